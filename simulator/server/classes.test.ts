// Classes, the warm pool and the queue at the lab server's doors, with a fake VM driver: a
// trainer's dashboard behind their secret, learners joining with the class's code, warm labs
// handed out first, labs beyond the machine's limit waiting in line (HTTP 503, socket 4003)
// until a place frees, and an idle lab suspended and woken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabServer } from './lab-server';
import { startFakeLabServer } from '../testing/fake-lab-server';

const SITE = 'http://127.0.0.1:3000';
const OPERATOR = 'operator-key-of-this-test-server';
let server: LabServer;
let clock = Date.now();

let closeServer: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close: closeServer } = await startFakeLabServer({ allowedOrigins: [SITE], now: () => clock,
    maxRunningHosts: 3, maxWarmHosts: 2, idleSuspendMs: 60_000, operatorSecret: OPERATOR,
    // The fake VMs cannot play a scenario; checkpoints are the VM tests' business.
    prepareCheckpoints: false }));
});
afterAll(async () => {
  await closeServer?.();
});

type Reply = { status: number; body: any };
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', origin: server.url, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}
const trainer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function openClass(warm = 0): Promise<{ classId: string; trainerSecret: string; joinCode: string }> {
  const r = await call('POST', '/classes', { scenario: 'single-node', name: 'Edge 101', warm }, { authorization: `Bearer ${OPERATOR}` });
  expect(r.status).toBe(201);
  return r.body;
}

/** The socket's close code and reason for a lab session. */
function socketClose(labId: string, token: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/labs/${labId}/socket?token=${encodeURIComponent(token)}`);
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

describe('classes', () => {
  it('refuses a class for a scenario that does not exist, naming the field', async () => {
    const r = await call('POST', '/classes', { scenario: 'single-nod' }, { authorization: `Bearer ${OPERATOR}` });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad-request', field: 'scenario' });
    expect(r.body.message).toMatch(/^\[class\] scenario: no scenario named "single-nod"; did you mean "single-node"\?/);
  });

  it('refuses a start phase that is not one, naming the phases', async () => {
    const r = await call('POST', '/classes', { scenario: 'single-node', startPhase: 'day2' }, { authorization: `Bearer ${OPERATOR}` });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad-request', field: 'startPhase', message: expect.stringMatching(/one of modelProfile, installHandoff, registration, clusterProvisioning, done/) });
  });

  it('shows the dashboard to its trainer only, and a learner who joins with the code appears on it', async () => {
    const k = await openClass();
    expect((await call('GET', `/classes/${k.classId}`)).status).toBe(403);
    const wrong = await call('GET', `/classes/${k.classId}`, undefined, trainer('not-the-secret'));
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toMatch(/^\[class\] this is not the trainer secret of that class/);
    expect((await call('GET', `/classes/${k.classId}`, undefined, { ...trainer(k.trainerSecret), origin: 'http://evil.example' })).status).toBe(403);

    expect((await call('POST', `/classes/${k.classId}/join`, { code: 'guess', learner: 'Mallory' })).status).toBe(403);
    const joined = await call('POST', `/classes/${k.classId}/join`, { code: k.joinCode, learner: 'Ada' });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ classId: k.classId, role: 'solo', place: { state: 'active' } });
    // The learner's token opens their lab like any other.
    const view = await call('GET', `/labs/${joined.body.labId}/view`, undefined, { authorization: `Bearer ${joined.body.token}` });
    expect(view.status).toBe(200);

    const dash = await call('GET', `/classes/${k.classId}`, undefined, trainer(k.trainerSecret));
    expect(dash.status).toBe(200);
    expect(dash.body).toMatchObject({ classId: k.classId, name: 'Edge 101', scenario: 'single-node', capacity: { maxRunningHosts: 3 }, checkpoints: { state: 'missing', error: null } });
    expect(dash.body.labs).toHaveLength(1);
    expect(dash.body.labs[0]).toMatchObject({
      labId: joined.body.labId, learner: 'Ada', role: 'solo', place: 'active', phase: 'modelProfile',
      step: { path: 'modelProfile', role: 'app-owner' }, hosts: [{ name: 'edge-host-1', power: 'off' }],
    });
    const peek = await call('GET', `/classes/${k.classId}/labs/${joined.body.labId}/hosts/edge-host-1/console`, undefined, trainer(k.trainerSecret));
    expect(peek.status).toBe(200);

    // Another class's trainer reaches none of it.
    const other = await openClass();
    const crossed = await call('GET', `/classes/${k.classId}/labs/${joined.body.labId}/hosts/edge-host-1/console`, undefined, trainer(other.trainerSecret));
    expect(crossed.status).toBe(403);
    const ownClassForeignLab = await call('POST', `/classes/${other.classId}/labs/${joined.body.labId}/jump`, { phase: 'registration' }, trainer(other.trainerSecret));
    expect(ownClassForeignLab.status).toBe(404);
    // A learner's lab token is not a trainer secret.
    expect((await call('GET', `/classes/${k.classId}`, undefined, trainer(joined.body.token))).status).toBe(403);
    await server.labs.delete(joined.body.labId);
  });

  it('lets the trainer pull a learner\'s host cable, cut its power and swap its disk, and put each right, shown on the dashboard; refuses what does not fit', async () => {
    const k = await openClass();
    const joined = await call('POST', `/classes/${k.classId}/join`, { code: k.joinCode, learner: 'Linus' });
    const labId = joined.body.labId as string;
    const drill = (body: unknown, host = 'edge-host-1', secret = k.trainerSecret) => call('POST', `/classes/${k.classId}/labs/${labId}/hosts/${host}/drill`, body, trainer(secret));
    const dashHost = async () => (await call('GET', `/classes/${k.classId}`, undefined, trainer(k.trainerSecret))).body.labs[0].hosts[0];
    expect(await dashHost()).toMatchObject({ name: 'edge-host-1', cable: 'in' });

    const pulled = await drill({ drill: 'unplug-cable' });
    expect(pulled).toEqual({ status: 200, body: { ok: true, drill: 'unplug-cable', host: 'edge-host-1' } });
    expect(await dashHost()).toMatchObject({ cable: 'out' });
    // The learner's own view says the same: it is their host's cable, whoever pulled it.
    const view = await call('GET', `/labs/${labId}/view`, undefined, { authorization: `Bearer ${joined.body.token}` });
    expect(view.body.view.hosts['edge-host-1'].data.cableUnplugged).toBe(true);
    // The learner checks the drill's fix too early; the trainer sees the answer on the dashboard.
    const checked = await call('POST', `/labs/${labId}/commands`, { target: { kind: 'lab' }, name: 'CHECK_DRILL', args: { drill: 'cable' } }, { authorization: `Bearer ${joined.body.token}` });
    expect(checked).toMatchObject({ status: 200, body: { ok: true } });
    const dashLab = (await call('GET', `/classes/${k.classId}`, undefined, trainer(k.trainerSecret))).body.labs[0];
    expect(dashLab.drills).toEqual([{ drill: 'cable', passed: false, message: expect.stringMatching(/^edge-host-1's network cable is still out/) }]);
    const again = await drill({ drill: 'unplug-cable' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('not-allowed');

    expect(await drill({ drill: 'plug-cable' })).toMatchObject({ status: 200, body: { ok: true, drill: 'plug-cable' } });
    expect(await dashHost()).toMatchObject({ cable: 'in' });

    // The disk drill needs the host off, as on the learner's page; the power drills go both ways.
    expect(await dashHost()).toMatchObject({ power: 'off', disk: 'own' });
    expect(await drill({ drill: 'small-disk' })).toMatchObject({ status: 200, body: { ok: true, drill: 'small-disk' } });
    expect(await dashHost()).toMatchObject({ disk: 'small' });
    expect((await drill({ drill: 'cut-power' })).status).toBe(409);
    expect(await drill({ drill: 'power-on' })).toMatchObject({ status: 200, body: { ok: true, drill: 'power-on' } });
    expect(await dashHost()).toMatchObject({ power: 'on', disk: 'small' });
    const swapOn = await drill({ drill: 'own-disk' });
    expect(swapOn.status).toBe(409);
    expect(swapOn.body.error).toBe('not-allowed');
    expect(await drill({ drill: 'cut-power' })).toMatchObject({ status: 200, body: { ok: true, drill: 'cut-power' } });
    expect(await drill({ drill: 'own-disk' })).toMatchObject({ status: 200, body: { ok: true, drill: 'own-disk' } });
    expect(await dashHost()).toMatchObject({ power: 'off', disk: 'own' });

    const unknown = await drill({ drill: 'unplug-cabel' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'bad-request', field: 'drill', message: '[class] drill: one of unplug-cable, plug-cable, cut-power, power-on, small-disk, own-disk, clock-behind, clock-right' } });
    expect((await drill({ drill: 'unplug-cable' }, 'edge-host-9')).body).toMatchObject({ error: 'unknown-host', message: '[class] this lab has no host edge-host-9' });
    expect((await drill({ drill: 'unplug-cable' }, 'edge-host-1', 'not-the-secret')).status).toBe(403);
    // As a stranger would: a null body, a percent-encoded host, another Origin.
    expect(await drill(null)).toMatchObject({ status: 400 });
    expect((await drill({ drill: 'unplug-cable' }, 'edge-host-1%2F..')).status).toBe(400);
    expect((await call('POST', `/classes/${k.classId}/labs/${labId}/hosts/edge-host-1/drill`, { drill: 'unplug-cable' }, { ...trainer(k.trainerSecret), origin: 'http://evil.example' })).status).toBe(403);
    const other = await openClass();
    const crossed = await call('POST', `/classes/${other.classId}/labs/${labId}/hosts/edge-host-1/drill`, { drill: 'unplug-cable' }, trainer(other.trainerSecret));
    expect(crossed.status).toBe(404);
    expect(await dashHost()).toMatchObject({ cable: 'in' });
    await server.labs.delete(labId);
  });

  it('hands out warm labs first and makes new ones to keep the pool full', async () => {
    const k = await openClass();
    const warm = await call('PUT', `/classes/${k.classId}/warm`, { count: 2 }, trainer(k.trainerSecret));
    expect(warm.body).toEqual({ target: 2, ready: 2 });
    const warmIds = await server.classes.labIds(k.classId, { warm: true });
    expect(warmIds).toHaveLength(2);
    const joined = await call('POST', `/classes/${k.classId}/join`, { code: k.joinCode, learner: 'Grace' });
    expect(warmIds).toContain(joined.body.labId);
    await server.classes.fillWarm(k.classId);
    // The pool is refilled as far as the machine has room: 3 places, 3 labs now.
    const dash = await call('GET', `/classes/${k.classId}`, undefined, trainer(k.trainerSecret));
    expect(dash.body.warm).toEqual({ target: 2, ready: 2 });
    expect(dash.body.labs.map((l: { learner: string }) => l.learner)).toEqual(['Grace']);
    const bad = await call('PUT', `/classes/${k.classId}/warm`, { count: 500 }, trainer(k.trainerSecret));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'count' });
    await call('PUT', `/classes/${k.classId}/warm`, { count: 0 }, trainer(k.trainerSecret));
    expect(await server.classes.labIds(k.classId, { warm: true })).toEqual([]);
    await server.labs.delete(joined.body.labId);
  });
});

describe('walkthroughs in a class', () => {
  it('opens a shared lab from the class, and the dashboard lists it with who joined it', async () => {
    const k = await openClass();
    expect((await call('POST', `/classes/${k.classId}/walkthroughs`, {})).status).toBe(403);
    const w = await call('POST', `/classes/${k.classId}/walkthroughs`, {}, trainer(k.trainerSecret));
    expect(w.status).toBe(201);
    expect(Object.keys(w.body.invites).sort()).toEqual(['app-owner', 'it-ops', 'site-technician', 'tenant-admin']);
    const joined = await call('POST', `/labs/${w.body.labId}/join`, { invite: w.body.invites['it-ops'] });
    expect(joined.body.role).toBe('it-ops');
    const dash = await call('GET', `/classes/${k.classId}`, undefined, trainer(k.trainerSecret));
    expect(dash.body.labs).toEqual([expect.objectContaining({ labId: w.body.labId, learner: 'Walkthrough 1', role: 'trainer', members: [expect.objectContaining({ role: 'it-ops' })] })]);
    // The trainer's own session secret opens it as its trainer.
    const session = await call('POST', `/labs/${w.body.labId}/session`, { secret: w.body.sessionSecret });
    expect(session.body.role).toBe('trainer');
    await server.labs.delete(w.body.labId);
  });
});

describe('capacity', () => {
  it('queues labs beyond the limit, tells the page its place, and lets them in as places free', async () => {
    const opened: { labId: string; token: string; place: { state: string; position: number | null } }[] = [];
    for (let i = 0; i < 4; i++) opened.push((await call('POST', '/labs', { scenario: 'single-node' })).body);
    expect(opened.slice(0, 3).map((o) => o.place.state)).toEqual(['active', 'active', 'active']);
    const waiting = opened[3]!;
    expect(waiting.place).toEqual({ state: 'queued', position: 1 });
    const auth = { authorization: `Bearer ${waiting.token}` };
    const blocked = await call('GET', `/labs/${waiting.labId}/view`, undefined, auth);
    expect(blocked.status).toBe(503);
    expect(blocked.body).toMatchObject({ error: 'queued', position: 1 });
    expect(blocked.body.message).toMatch(/^\[lab\] this machine is at its limit of running hosts; lab .* waits for a place: number 1 in the queue/);
    expect((await call('GET', `/labs/${waiting.labId}/place`, undefined, auth)).body).toEqual({ state: 'queued', position: 1 });
    expect(await socketClose(waiting.labId, waiting.token)).toEqual({ code: 4003, reason: 'queued 1' });

    await server.labs.delete(opened[0]!.labId);
    expect((await call('GET', `/labs/${waiting.labId}/place`, undefined, auth)).body).toEqual({ state: 'active', position: null });
    expect((await call('GET', `/labs/${waiting.labId}/view`, undefined, auth)).status).toBe(200);
    for (const o of opened.slice(1)) await server.labs.delete(o.labId);
  });

  it('suspends a lab nobody looks at, frees its places, and wakes it when asked for', async () => {
    const lab = (await call('POST', '/labs', { scenario: 'single-node' })).body;
    const auth = { authorization: `Bearer ${lab.token}` };
    clock += 61_000;
    expect(await server.labs.suspendIdle()).toContain(lab.labId);
    expect((await call('GET', `/labs/${lab.labId}/place`, undefined, auth)).body).toEqual({ state: 'suspended', position: null });
    expect(server.labs.places.holds(lab.labId)).toBe(false);
    expect((await call('GET', `/labs/${lab.labId}/view`, undefined, auth)).status).toBe(200);
    expect((await call('GET', `/labs/${lab.labId}/place`, undefined, auth)).body.state).toBe('active');
    const events = (await call('GET', `/labs/${lab.labId}/events?since=0`, undefined, auth)).body.events.map((e: { type: string }) => e.type);
    expect(events.filter((t: string) => t === 'lab.suspended' || t === 'lab.resumed')).toEqual(['lab.suspended', 'lab.resumed']);
    await server.labs.delete(lab.labId);
  });

  it('refuses a jump to a phase that does not exist, and a jump by a role that may not', async () => {
    const lab = (await call('POST', '/labs', { scenario: 'single-node' })).body;
    const r = await call('POST', `/labs/${lab.labId}/jump`, { phase: 'registation' }, { authorization: `Bearer ${lab.token}` });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ field: 'phase' });
    expect(r.body.message).toMatch(/phase: one of modelProfile, installHandoff, registration, clusterProvisioning, done/);
    const shared = (await call('POST', '/labs', { scenario: 'single-node', shared: true })).body;
    const member = (await call('POST', `/labs/${shared.labId}/join`, { invite: shared.invites['app-owner'] })).body;
    const refused = await call('POST', `/labs/${shared.labId}/jump`, { phase: 'registration' }, { authorization: `Bearer ${member.token}` });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('role-forbidden');
    await server.labs.delete(lab.labId);
    await server.labs.delete(shared.labId);
  });
});
