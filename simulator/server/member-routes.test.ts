// The trainer's hold on a shared lab, at the lab server's doors (fake VMs, real HTTP, WebSocket
// and SQLite): invites are single-use and can be re-issued, session secrets expire when idle and
// slide on renewal, and a removed member's secret, token and open socket stop at once while the
// others go on. Only the trainer may do any of it. The clock only moves forward in this file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { GuestImages } from '../images/guest-images';
import { PROTOCOL_VERSION } from '../pure/protocol';
import { NO_FILES_IO, startFakeLabServer } from '../testing/fake-lab-server';
import { FakeVmDriver } from '../vm/fake/fake-driver';
import { SESSION_IDLE_MS } from '../labs/lab-members';
import { startLabServer, type LabServer } from './lab-server';

const SITE = 'http://127.0.0.1:3000';
const DAY = 24 * 3600_000;
let server: LabServer;
let clock = Date.now();
let closeServer: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close: closeServer } = await startFakeLabServer({ allowedOrigins: [SITE], now: () => clock }));
});
afterAll(async () => {
  await closeServer?.();
});

type Reply = { status: number; body: any };
async function call(method: string, path: string, o: { body?: unknown; token?: string; origin?: string; base?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  // The site's own pages always send their Origin (a changing request without one is refused).
  headers.origin = o.origin ?? SITE;
  const res = await fetch(`${o.base ?? server.url}${path}`, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  return { status: res.status, body: await res.json().catch(() => null) };
}
const post = (path: string, body: unknown, base?: string): Promise<Reply> => call('POST', path, { body, ...(base ? { base } : {}) });

interface Session { labId: string; role: string; token: string; sessionSecret: string; invites?: Record<string, string> }

async function sharedLab(base?: string): Promise<Session> {
  const r = await post('/labs', { scenario: 'single-node', shared: true }, base);
  expect(r, 'the shared lab').toMatchObject({ status: 201 });
  return r.body as Session;
}
async function joinWith(lab: Session, invite: string, base?: string): Promise<Session> {
  const r = await post(`/labs/${lab.labId}/join`, { invite }, base);
  expect(r, 'the join').toMatchObject({ status: 201 });
  return r.body as Session;
}
const members = async (lab: Session): Promise<{ memberId: string; role: string; joinedAt: number; lastUsedAt: number }[]> => {
  const r = await call('GET', `/labs/${lab.labId}/members`, { token: lab.token });
  expect(r.status).toBe(200);
  return r.body.members;
};

/** A welcomed lab socket, and how it closed. */
async function openSocket(labId: string, token: string): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; pong: () => Promise<boolean> }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/labs/${labId}/socket?token=${encodeURIComponent(token)}`);
  const frames: { type: string }[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(String(m))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, since: 0 }));
  for (let i = 0; i < 100 && !frames.some((f) => f.type === 'welcome'); i++) await new Promise((r) => setTimeout(r, 20));
  expect(frames.some((f) => f.type === 'welcome')).toBe(true);
  const pong = async (): Promise<boolean> => {
    const before = frames.filter((f) => f.type === 'pong').length;
    if (ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ type: 'ping' }));
    for (let i = 0; i < 100; i++) {
      if (frames.filter((f) => f.type === 'pong').length > before) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  };
  return { ws, closed, pong };
}

/** The status an upgrade request gets when it is refused before upgrading. */
function upgradeStatus(labId: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/labs/${labId}/socket?token=${encodeURIComponent(token)}`);
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.once('open', () => { ws.close(); reject(new Error('the upgrade was accepted')); });
    ws.once('error', () => {});
  });
}

describe('invites are single-use', () => {
  it('refuses a second join with the same invite, and the first person keeps their seat', async () => {
    const lab = await sharedLab();
    const first = await joinWith(lab, lab.invites!['it-ops']!);
    const again = await post(`/labs/${lab.labId}/join`, { invite: lab.invites!['it-ops'] });
    expect(again).toMatchObject({ status: 403, body: { error: 'invite-used' } });
    expect(again.body.message).toMatch(/^\[lab-auth\] this invite link was already used.*ask the trainer for a new link/);
    expect((await members(lab)).map((m) => m.role)).toEqual(['it-ops']);
    // Reloads resume through the session secret, not the invite.
    expect(await post(`/labs/${lab.labId}/session`, { secret: first.sessionSecret })).toMatchObject({ status: 200, body: { role: 'it-ops' } });
    const states = (await call('GET', `/labs/${lab.labId}/members`, { token: lab.token })).body.invites;
    expect(states['it-ops']).toMatchObject({ state: 'used', memberId: (await members(lab))[0]!.memberId });
    expect(states['app-owner']).toMatchObject({ state: 'open' });
  });

  it('seats one person when two join with one invite at the same moment', async () => {
    const lab = await sharedLab();
    const tries = await Promise.all([1, 2, 3].map(() => post(`/labs/${lab.labId}/join`, { invite: lab.invites!['app-owner'] })));
    expect(tries.map((t) => t.status).sort()).toEqual([201, 403, 403]);
    expect(await members(lab)).toHaveLength(1);
  });

  it('lets the trainer issue a fresh invite for a role: the new one works, the old one does not', async () => {
    const lab = await sharedLab();
    const fresh = await call('POST', `/labs/${lab.labId}/invites/site-technician`, { token: lab.token, origin: SITE });
    expect(fresh).toMatchObject({ status: 201, body: { role: 'site-technician', expiresAt: clock + 24 * 3600_000 } });
    expect(fresh.body.invite).not.toBe(lab.invites!['site-technician']);
    expect(await post(`/labs/${lab.labId}/join`, { invite: lab.invites!['site-technician'] })).toMatchObject({ status: 403, body: { error: 'bad-invite' } });
    expect((await joinWith(lab, fresh.body.invite)).role).toBe('site-technician');
    // A used invite is replaced just the same (someone else takes the role): the old person stays until removed.
    const second = await call('POST', `/labs/${lab.labId}/invites/site-technician`, { token: lab.token });
    await joinWith(lab, second.body.invite);
    expect((await members(lab)).map((m) => m.role)).toEqual(['site-technician', 'site-technician']);
    expect(await call('POST', `/labs/${lab.labId}/invites/admin`, { token: lab.token })).toMatchObject({ status: 404, body: { error: 'unknown-role' } });
  });
});

describe('only the trainer manages the lab', () => {
  it('refuses members, solo readers, strangers and foreign pages', async () => {
    const lab = await sharedLab();
    const ops = await joinWith(lab, lab.invites!['it-ops']!);
    const [opsId] = (await members(lab)).map((m) => m.memberId);
    for (const [method, path] of [['GET', '/members'], ['POST', '/invites/it-ops'], ['DELETE', `/members/${opsId}`]] as const) {
      const r = await call(method, `/labs/${lab.labId}${path}`, { token: ops.token });
      expect(r, `${method} ${path} by a member`).toMatchObject({ status: 403, body: { error: 'trainer-only' } });
      expect(r.body.message).toMatch(/^\[lab-server\] only the trainer of a shared lab may .*; you play IT\/Ops/);
      expect((await call(method, `/labs/${lab.labId}${path}`)).status, `${method} ${path} without a token`).toBe(401);
      expect((await call(method, `/labs/${lab.labId}${path}`, { token: lab.token, origin: 'http://evil.example' })).status, `${method} ${path} from a foreign page`).toBe(403);
    }
    const solo = (await post('/labs', { scenario: 'single-node' })).body as Session;
    expect(await call('GET', `/labs/${solo.labId}/members`, { token: solo.token })).toMatchObject({ status: 403, body: { error: 'trainer-only' } });
    // Nothing changed: the member is still in, with a working secret.
    expect(await members(lab)).toHaveLength(1);
    expect((await post(`/labs/${lab.labId}/session`, { secret: ops.sessionSecret })).status).toBe(200);
    // A trainer of another lab reaches nothing here.
    const other = await sharedLab();
    expect((await call('DELETE', `/labs/${lab.labId}/members/${opsId}`, { token: other.token })).status).toBe(403);
  });
});

describe('removing a member', () => {
  it('stops their secret, token and open socket at once; the others go on', async () => {
    const lab = await sharedLab();
    const ops = await joinWith(lab, lab.invites!['it-ops']!);
    const tech = await joinWith(lab, lab.invites!['site-technician']!);
    const opsId = (await members(lab)).find((m) => m.role === 'it-ops')!.memberId;
    const opsSocket = await openSocket(lab.labId, ops.token);
    const techSocket = await openSocket(lab.labId, tech.token);
    const trainerSocket = await openSocket(lab.labId, lab.token);

    const removed = await call('DELETE', `/labs/${lab.labId}/members/${opsId}`, { token: lab.token, origin: SITE });
    expect(removed).toMatchObject({ status: 200, body: { removed: opsId, socketsClosed: 1 } });

    expect(await opsSocket.closed).toEqual({ code: 4002, reason: '[lab-socket] the trainer removed you from this lab' });
    const view = await call('GET', `/labs/${lab.labId}/view`, { token: ops.token });
    expect(view).toMatchObject({ status: 403, body: { error: 'session-ended' } });
    expect(view.body.message).toMatch(/^\[lab-auth\] the trainer removed you from this lab.*ask the trainer for a new invite link/);
    expect(await upgradeStatus(lab.labId, ops.token)).toBe(403);
    expect(await post(`/labs/${lab.labId}/session`, { secret: ops.sessionSecret })).toMatchObject({ status: 403, body: { error: 'member-removed' } });

    expect(await techSocket.pong()).toBe(true);
    expect(await trainerSocket.pong()).toBe(true);
    expect((await call('GET', `/labs/${lab.labId}/view`, { token: tech.token })).status).toBe(200);
    expect(await post(`/labs/${lab.labId}/session`, { secret: tech.sessionSecret })).toMatchObject({ status: 200, body: { role: 'site-technician' } });
    expect((await members(lab)).map((m) => m.role)).toEqual(['site-technician']);
    expect(await call('DELETE', `/labs/${lab.labId}/members/${opsId}`, { token: lab.token })).toMatchObject({ status: 404, body: { error: 'not-found' } });
    // The role can be given to someone else.
    const fresh = await call('POST', `/labs/${lab.labId}/invites/it-ops`, { token: lab.token });
    expect((await joinWith(lab, fresh.body.invite)).role).toBe('it-ops');
    techSocket.ws.close();
    trainerSocket.ws.close();
  });

  it('still refuses the removed member\'s token after the lab server restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-members-'));
    const provider = join(dir, 'provider-os.tgz');
    await writeFile(provider, 'not really a provider image');
    const images = { key: 'k', sha256: { 'provider-os.tgz': 'ab'.repeat(32) }, providerOs: provider } as unknown as GuestImages;
    const start = (): Promise<LabServer> => startLabServer({ port: 0, dataDir: join(dir, 'data'), driver: new FakeVmDriver(), io: NO_FILES_IO, images, now: () => clock });
    let s = await start();
    try {
      const lab = await sharedLab(s.url);
      const ops = await joinWith(lab, lab.invites!['it-ops']!, s.url);
      const opsId = (await call('GET', `/labs/${lab.labId}/members`, { token: lab.token, base: s.url })).body.members[0].memberId;
      expect((await call('DELETE', `/labs/${lab.labId}/members/${opsId}`, { token: lab.token, base: s.url })).status).toBe(200);
      await s.close();
      s = await start();
      expect(await call('GET', `/labs/${lab.labId}/view`, { token: ops.token, base: s.url })).toMatchObject({ status: 403, body: { error: 'session-ended' } });
      expect((await call('GET', `/labs/${lab.labId}/view`, { token: lab.token, base: s.url })).status).toBe(200);
    } finally {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('session secrets expire when idle', () => {
  it('slide on every renewal, and are refused once unused for the idle period', async () => {
    const lab = await sharedLab();
    const ops = await joinWith(lab, lab.invites!['it-ops']!);
    const solo = (await post('/labs', { scenario: 'single-node' })).body as Session;
    // Renewed just before the idle period ends, three times: 39 days in all, still working.
    for (let i = 0; i < 3; i++) {
      clock += SESSION_IDLE_MS - DAY;
      expect((await post(`/labs/${lab.labId}/session`, { secret: ops.sessionSecret })).status, `member renewal ${i + 1}`).toBe(200);
      expect((await post(`/labs/${lab.labId}/session`, { secret: lab.sessionSecret })).status, `trainer renewal ${i + 1}`).toBe(200);
    }
    // The solo reader never came back: 39 days idle.
    const stale = await post(`/labs/${solo.labId}/session`, { secret: solo.sessionSecret });
    expect(stale).toMatchObject({ status: 403, body: { error: 'session-expired' } });
    expect(stale.body.message).toMatch(/^\[lab-auth\] this lab was not opened for 14 days.*open the guide \(or your class link\) again/);
    clock += SESSION_IDLE_MS;
    const expired = await post(`/labs/${lab.labId}/session`, { secret: ops.sessionSecret });
    expect(expired).toMatchObject({ status: 403, body: { error: 'session-expired' } });
    expect(expired.body.message).toMatch(/ask the trainer for a new invite link/);
    expect((await post(`/labs/${lab.labId}/session`, { secret: lab.sessionSecret })).body).toMatchObject({ error: 'session-expired' });
    // A wrong secret is still just wrong, not expired.
    expect((await post(`/labs/${lab.labId}/session`, { secret: 'm.nosuchmember.x' })).body).toMatchObject({ error: 'bad-session' });
  });
});
