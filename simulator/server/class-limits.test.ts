// What callers can take from the machine, at the lab server's doors (fake VMs, real HTTP and a
// real SQLite file): no class without the operator's key; warm labs within the operator's budget,
// which always leaves places for learners who come on their own; a bounded number of classes and
// of learners per class; POST /labs rate-limited per client address and capped machine-wide.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer, LabServerOptions } from './lab-server';
import { startFakeLabServer } from '../testing/fake-lab-server';

const OPERATOR = 'the-operator-key-for-these-tests';
type Reply = { status: number; body: any; headers: Headers };

function client(server: LabServer) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', origin: server.url, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: res.headers };
  };
}
const asOperator = { authorization: `Bearer ${OPERATOR}` };
const asTrainer = (secret: string) => ({ authorization: `Bearer ${secret}` });

let clock = Date.now();
const opened: (() => Promise<void>)[] = [];
async function serverWith(o: Omit<LabServerOptions, 'port' | 'dataDir' | 'driver' | 'io' | 'images'>): Promise<LabServer> {
  const { server, close } = await startFakeLabServer({ now: () => clock, prepareCheckpoints: false, operatorSecret: OPERATOR, ...o });
  opened.push(close);
  return server;
}
afterEach(async () => { for (const close of opened.splice(0)) await close(); });

describe('the operator key', () => {
  it('opens no class without it or with a wrong one, and says where to find it; with it, the class opens', async () => {
    const server = await serverWith({});
    const call = client(server);
    const none = await call('POST', '/classes', { scenario: 'single-node' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(none.body).toMatchObject({ error: 'no-operator' });
    expect(none.body.message).toMatch(/^\[class\] opening a class takes the operator key .*`npm start` prints it/);
    const wrong = await call('POST', '/classes', { scenario: 'single-node' }, { authorization: 'Bearer the-operator-key-for-these-testz' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toMatch(/^\[class\] this is not the operator key of this lab server; .*operator-secret/);
    // A trainer secret of another class is no operator key either.
    const ok = await call('POST', '/classes', { scenario: 'single-node' }, asOperator);
    expect(ok.status).toBe(201);
    expect((await call('POST', '/classes', { scenario: 'single-node' }, asTrainer(ok.body.trainerSecret))).status).toBe(403);
    expect(server.operator).toEqual({ secret: OPERATOR, source: 'option' });
  });
});

describe('warm labs and places', () => {
  it('refuses warm labs beyond the budget, naming it, and solo learners still get a place when warm labs are at it', async () => {
    const server = await serverWith({ maxRunningHosts: 4 }); // default budget: half, 2 places
    const call = client(server);
    expect(server.labs.places.aheadLimit).toBe(2);
    const a = (await call('POST', '/classes', { scenario: 'single-node', warm: 2 }, asOperator)).body;
    await server.classes.fillWarm(a.classId);
    expect(await server.classes.labIds(a.classId, { warm: true })).toHaveLength(2);
    expect(server.labs.places.aheadUsed()).toBe(2);

    const b = await call('POST', '/classes', { scenario: 'single-node', warm: 1 }, asOperator);
    expect(b.status).toBe(409);
    expect(b.body).toMatchObject({ error: 'over-budget', field: 'warm' });
    expect(b.body.message).toMatch(/^\[class\] warm: 1 warm labs of single-node would hold 1 host places, but warm labs of all classes may hold at most 2 of this machine's 4 .*other classes' warm labs already count 2; ask for at most 0/);
    const more = await call('PUT', `/classes/${a.classId}/warm`, { count: 3 }, asTrainer(a.trainerSecret));
    expect(more.status).toBe(409);
    expect(more.body.message).toMatch(/at most 2 of this machine's 4.*ask for at most 2.*--max-warm/);

    // The two places warm labs may not take are there for learners who come on their own.
    const solo = [await call('POST', '/labs', { scenario: 'single-node' }), await call('POST', '/labs', { scenario: 'single-node' })];
    expect(solo.map((s) => s.body.place)).toEqual([{ state: 'active', position: null }, { state: 'active', position: null }]);

    // A learner who takes a warm lab frees its warm place; the pool refills only within the budget and the machine's room.
    const learner = (await call('POST', `/classes/${a.classId}/join`, { code: a.joinCode, learner: 'Ada' })).body;
    expect(learner.place).toEqual({ state: 'active', position: null });
    expect(server.labs.places.aheadUsed()).toBe(1);
    await server.classes.fillWarm(a.classId);
    expect(server.labs.places.used()).toBe(4);
    expect(await server.classes.labIds(a.classId, { warm: true })).toHaveLength(1);
  });
});

describe('classes and learners', () => {
  it('keeps at most maxClasses open, frees one when a class closes, and a class takes at most its learners', async () => {
    const server = await serverWith({ maxRunningHosts: 4, maxClasses: 2 });
    const call = client(server);
    const one = (await call('POST', '/classes', { scenario: 'single-node', learners: 1 }, asOperator)).body;
    expect(one.learners).toBe(1);
    const two = (await call('POST', '/classes', { scenario: 'single-node' }, asOperator)).body;
    expect(two.learners).toBe(200);
    const third = await call('POST', '/classes', { scenario: 'single-node' }, asOperator);
    expect(third.status).toBe(409);
    expect(third.body.message).toMatch(/^\[class\] this lab server already has 2 open classes, the most it keeps at once \(2\); close one/);
    expect((await call('POST', '/classes', { scenario: 'single-node', learners: 0 }, asOperator)).body).toMatchObject({ field: 'learners' });

    expect((await call('DELETE', `/classes/${two.classId}`)).status).toBe(403);
    expect((await call('DELETE', `/classes/${two.classId}`, undefined, asTrainer(two.trainerSecret))).body).toEqual({ closed: true, warmDeleted: 0 });
    expect((await call('GET', `/classes/${two.classId}`, undefined, asTrainer(two.trainerSecret))).status).toBe(404);
    expect((await call('POST', '/classes', { scenario: 'single-node' }, asOperator)).status).toBe(201);

    expect((await call('POST', `/classes/${one.classId}/join`, { code: one.joinCode, learner: 'Ada' })).status).toBe(201);
    const full = await call('POST', `/classes/${one.classId}/join`, { code: one.joinCode, learner: 'Bob' });
    expect(full.status).toBe(409);
    expect(full.body).toMatchObject({ error: 'class-full' });
    expect(full.body.message).toMatch(/^\[class\] this class is full: 1 learners joined, the most its trainer set when opening it \(1\)/);
    const dash = await call('GET', `/classes/${one.classId}`, undefined, asTrainer(one.trainerSecret));
    expect(dash.body.learners).toEqual({ max: 1 });
    expect(dash.body.labs).toHaveLength(1);
  });
});

describe('labs opened without a credential', () => {
  it('opens at most labsPerMinute a minute per client address, with Retry-After, and more once the minute has passed', async () => {
    const server = await serverWith({ maxRunningHosts: 2, labsPerMinute: 3 });
    const call = client(server);
    for (let i = 0; i < 3; i++) expect((await call('POST', '/labs', { scenario: 'single-node' })).status).toBe(201);
    // A refused body is no lab: an unknown scenario does not use up the minute.
    expect((await call('POST', '/labs', { scenario: 'nope' })).status).toBe(404);
    const fourth = await call('POST', '/labs', { scenario: 'single-node' });
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(fourth.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(fourth.body).toMatchObject({ error: 'too-many-labs' });
    expect(fourth.body.message).toMatch(/^\[lab-server\] 3 labs were opened from your address in the last minute, the most this server allows \(3 a minute\); try again in \d+ s/);
    expect((await server.labs.places.used())).toBe(2);
    clock += 61_000;
    expect((await call('POST', '/labs', { scenario: 'single-node' })).status).toBe(201);
  });

  it('keeps at most maxStoredLabs labs: beyond it, 503 with Retry-After', async () => {
    const server = await serverWith({ maxRunningHosts: 2, maxStoredLabs: 2 });
    const call = client(server);
    // A class's record is not a lab: it does not count.
    expect((await call('POST', '/classes', { scenario: 'single-node' }, asOperator)).status).toBe(201);
    const labs = [await call('POST', '/labs', { scenario: 'single-node' }), await call('POST', '/labs', { scenario: 'single-node' })];
    expect(labs.map((l) => l.status)).toEqual([201, 201]);
    const full = await call('POST', '/labs', { scenario: 'single-node' });
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('3600');
    expect(full.body).toMatchObject({ error: 'lab-store-full' });
    expect(full.body.message).toMatch(/^\[lab-server\] this lab server keeps 2 labs, its most \(2\); no new lab can open until idle ones expire/);
    await server.labs.delete(labs[0]!.body.labId);
    expect((await call('POST', '/labs', { scenario: 'single-node' })).status).toBe(201);
  });
});

beforeAll(() => { clock = Date.now(); });
afterAll(async () => { for (const close of opened.splice(0)) await close(); });
