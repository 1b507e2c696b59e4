// Shared labs and roles at the lab server's doors, with a fake VM driver: the trainer's invites,
// joining with them, each role held to its own steps (HTTP and socket), and the lines a session
// must not cross (another lab, a guessed or expired invite, a foreign Origin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, textToBase64 } from '../pure/protocol';
import { singleNode } from '../pure/scenarios/single-node';
import { LabClient } from '../scenarios/lab-client';
import { INVITE_TTL_MS } from '../labs/lab-members';
import type { LabServer } from './lab-server';
import { startFakeLabServer } from '../testing/fake-lab-server';

const SITE = 'http://127.0.0.1:3000';
let server: LabServer;
let clock = Date.now();

let closeServer: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close: closeServer } = await startFakeLabServer({ allowedOrigins: [SITE], now: () => clock }));
});
afterAll(async () => {
  await closeServer?.();
});

const post = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

interface Opened { labId: string; role: string; token: string; sessionSecret: string; expiresAt: number; invites?: Record<string, string> }

async function sharedLab(): Promise<Opened> {
  const r = await post('/labs', { scenario: 'single-node', shared: true });
  expect(r.status).toBe(201);
  return r.body as Opened;
}

async function joinAs(lab: Opened, role: string): Promise<LabClient> {
  const r = await post(`/labs/${lab.labId}/join`, { invite: lab.invites![role] });
  expect(r.status).toBe(201);
  expect(r.body.role).toBe(role);
  return new LabClient(server.url, r.body);
}

describe('shared labs and roles', () => {
  it('gives the trainer one unguessable invite per lifecycle role', async () => {
    const lab = await sharedLab();
    expect(lab.role).toBe('trainer');
    expect(Object.keys(lab.invites!).sort()).toEqual(['app-owner', 'it-ops', 'site-technician', 'tenant-admin']);
    const codes = Object.values(lab.invites!);
    expect(new Set(codes).size).toBe(4);
    for (const c of codes) expect(c.length).toBeGreaterThanOrEqual(32);
  });

  it('sends each session the view for its role: may holds only what that role may send now', async () => {
    const lab = await sharedLab();
    const ops = await joinAs(lab, 'it-ops');
    const tech = await joinAs(lab, 'site-technician');
    const trainer = new LabClient(server.url, lab);
    try {
      for (const c of [ops, tech, trainer]) await c.connect();
      const host = (c: LabClient) => c.view!.hosts['edge-host-1']!;
      // On the staging bench the hosts are IT/Ops': the site technician sees what the chart accepts but may press nothing.
      expect(host(ops).may).toEqual(host(ops).allowed);
      expect(host(ops).may).toContain('POWER_ON');
      expect(host(tech).allowed).toContain('POWER_ON');
      expect(host(tech).may).toEqual([]);
      expect(host(trainer).may).toEqual(host(trainer).allowed);
      expect(trainer.view!.may).toEqual(trainer.view!.allowed);
      // The same narrowing over HTTP.
      const { body } = await ops.http('GET', '/view');
      expect(body.view.hosts['edge-host-1'].may).toContain('POWER_ON');
      expect((await tech.http('GET', '/view')).body.view.hosts['edge-host-1'].may).toEqual([]);
    } finally {
      for (const c of [ops, tech, trainer]) c.close();
    }
  });

  it('holds each role to its own steps, with a refusal naming who may do it', async () => {
    const lab = await sharedLab();
    const owner = await joinAs(lab, 'app-owner');
    const admin = await joinAs(lab, 'tenant-admin');
    const ops = await joinAs(lab, 'it-ops');
    const tech = await joinAs(lab, 'site-technician');

    const token = await owner.http('POST', '/palette/v1/tokens', { name: 'edge-lab-token', project: 'Default' });
    expect(token.status).toBe(403);
    expect(token.body).toMatchObject({ error: 'role-forbidden', allowed: ['tenant-admin'] });
    expect(token.body.message).toMatch(/you play the App owner\. The Tenant admin may do it/);
    expect((await admin.http('POST', '/palette/v1/tokens', { name: 'edge-lab-token', project: 'Default' })).status).toBe(201);

    expect((await ops.http('POST', '/palette/v1/profiles', singleNode.profile)).status).toBe(403);
    expect((await owner.http('POST', '/palette/v1/profiles', singleNode.profile)).status).toBe(201);
    // Everyone reads.
    expect((await tech.http('GET', '/palette/v1/profiles')).status).toBe(200);

    const userData = singleNode.userData({ token: 'tok', endpoint: 'api.palette.lab', host: singleNode.hosts[0]! });
    const refused = await tech.http('POST', '/installers', { userData });
    expect(refused).toMatchObject({ status: 403, body: { error: 'role-forbidden', allowed: ['it-ops'] } });
    // IT/Ops gets past the role check to the user data's own checks (this fake lab has no guest images to build with).
    expect((await ops.http('POST', '/installers', { userData: '#cloud-config\nstylus: [' })).status).toBe(422);

    // On the staging bench the hosts are IT/Ops'; the site technician may not touch them yet.
    const early = await tech.http('POST', '/commands', { target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_ON' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ ok: false, code: 'role-forbidden' });
    expect(early.body.message).toMatch(/staging bench.*IT\/Ops may do it/);
    expect((await ops.http('POST', '/commands', { target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_ON' })).body).toMatchObject({ ok: true });

    // Resetting the whole lab is the trainer's; checking is anyone's.
    expect((await ops.http('POST', '/commands', { target: { kind: 'lab' }, name: 'RESTART' })).body).toMatchObject({ code: 'role-forbidden' });
    const trainer = new LabClient(server.url, lab);
    expect((await trainer.http('GET', '/view')).status).toBe(200);
  });

  it('refuses typing on a host the role does not hold, over the socket', async () => {
    const lab = await sharedLab();
    const tech = await post(`/labs/${lab.labId}/join`, { invite: lab.invites!['site-technician'] });
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/labs/${lab.labId}/socket?token=${encodeURIComponent(tech.body.token)}`);
    const frames: any[] = [];
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, since: 0 }));
    for (let i = 0; i < 50 && !frames.some((f) => f.type === 'welcome'); i++) await new Promise((r) => setTimeout(r, 20));
    ws.send(JSON.stringify({ type: 'console.input', hostId: 'edge-host-1', data: textToBase64('reboot\n') }));
    for (let i = 0; i < 50 && !frames.some((f) => f.type === 'error'); i++) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(frames.find((f) => f.type === 'welcome')).toMatchObject({ role: 'site-technician' });
    expect(frames.find((f) => f.type === 'error')).toMatchObject({ code: 'role-forbidden', message: expect.stringMatching(/typing on the console while the hosts are on the staging bench/) });
  });

  it('lets a member renew their token with their own secret, and keeps them to their lab', async () => {
    const lab = await sharedLab();
    const other = await sharedLab();
    const joined = await post(`/labs/${lab.labId}/join`, { invite: lab.invites!['it-ops'] });
    const renewed = await post(`/labs/${lab.labId}/session`, { secret: joined.body.sessionSecret });
    expect(renewed).toMatchObject({ status: 200, body: { role: 'it-ops' } });
    expect((await post(`/labs/${other.labId}/session`, { secret: joined.body.sessionSecret })).status).toBe(403);
    const peek = await fetch(`${server.url}/labs/${other.labId}/view`, { headers: { authorization: `Bearer ${joined.body.token}` } });
    expect(peek.status).toBe(403);
    // Another lab's invite opens nothing here.
    expect(await post(`/labs/${lab.labId}/join`, { invite: other.invites!['it-ops'] })).toMatchObject({ status: 403, body: { error: 'bad-invite' } });
  });

  it('refuses guessed, expired and foreign-Origin joins', async () => {
    const lab = await sharedLab();
    expect(await post(`/labs/${lab.labId}/join`, { invite: 'guess' })).toMatchObject({ status: 403, body: { error: 'bad-invite' } });
    expect(await post(`/labs/${lab.labId}/join`, { invite: lab.invites!['it-ops'] }, { origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(await post(`/labs/${lab.labId}/join`, {})).toMatchObject({ status: 400, body: { field: 'invite' } });
    expect(await post('/labs/lab-nosuchlab/join', { invite: 'x' })).toMatchObject({ status: 404 });
    clock += INVITE_TTL_MS + 1;
    try {
      expect(await post(`/labs/${lab.labId}/join`, { invite: lab.invites!['it-ops'] })).toMatchObject({ status: 403, body: { error: 'invite-expired' } });
    } finally {
      clock -= INVITE_TTL_MS + 1;
    }
  });

  it('keeps solo labs as they were: one reader, every role', async () => {
    const r = await post('/labs', { scenario: 'single-node' });
    const solo = new LabClient(server.url, r.body);
    expect((await solo.http('POST', '/palette/v1/tokens', { name: 't1', project: 'Default' })).status).toBe(201);
    expect((await solo.http('POST', '/palette/v1/profiles', singleNode.profile)).status).toBe(201);
    expect(r.body.invites).toBeUndefined();
    expect(await post('/labs', { scenario: 'single-node', role: 'trainer' })).toMatchObject({ status: 400, body: { field: 'role' } });
  });
});
