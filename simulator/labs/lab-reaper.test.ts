// Labs expire (lab-reaper.ts), at a fake-VM lab server with a real SQLite file: an idle lab goes
// with its files and its records, and its old page gets the 404 of a deleted lab; a lab with a
// page attached, one with a running host and a fresh one stay; a class whose learners' labs all
// expired closes, and an expired learner's lab leaves its class's dashboard.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabServer } from '../server/lab-server';
import { startFakeLabServer } from '../testing/fake-lab-server';
import { openSqliteStore, type SqliteLabStore } from '../store/sqlite-store';
import { PROTOCOL_VERSION } from '../pure/protocol';

const DAY = 24 * 3600_000;
const OPERATOR = 'the-operator-key-for-these-tests';
let server: LabServer;
let closeServer: (() => Promise<void>) | undefined;
let clock = Date.now();
let store: SqliteLabStore;
let storeDir: string;

beforeAll(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-reaper-'));
  store = await openSqliteStore(join(storeDir, 'labs.sqlite'), { now: () => new Date(clock), newId: () => `lab-${randomBytes(10).toString('hex')}` });
  ({ server, close: closeServer } = await startFakeLabServer({
    now: () => clock, maxRunningHosts: 6, prepareCheckpoints: false, operatorSecret: OPERATOR, labExpiryMs: 2 * DAY, store,
  }));
});
afterAll(async () => {
  await closeServer?.();
  await store?.close();
  await rm(storeDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', origin: server.url, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const exists = (p: string) => stat(p).then(() => true, () => false);

/** A page attached to the lab by its socket, open until closed. */
function attach(labId: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/labs/${labId}/socket?token=${encodeURIComponent(token)}`);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, since: 0 })));
    ws.on('message', (m) => { if ((JSON.parse(String(m)) as { type?: string }).type === 'welcome') resolve(ws); });
    ws.once('error', reject);
  });
}

describe('the lab reaper', () => {
  it('deletes an idle lab with its files and records, and spares a lab with a page, one with a running host and a fresh one', async () => {
    const open = async () => (await call('POST', '/labs', { scenario: 'single-node' })).body as { labId: string; token: string; sessionSecret: string };
    const idle = await open();
    const watched = await open();
    const running = await open();
    const idleDir = (await server.labs.get(idle.labId))!.dir;
    await writeFile(join(idleDir, 'marker'), 'a file of the lab');
    await call('POST', `/labs/${idle.labId}/palette/v1/projects`, { name: 'Doomed' }, bearer(idle.token));
    const power = await call('POST', `/labs/${running.labId}/commands`, { target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_ON' }, bearer(running.token));
    expect(power.body).toMatchObject({ ok: true });
    const page = await attach(watched.labId, watched.token);
    expect(server.labs.attachedPages(watched.labId)).toBe(1);

    clock += 3 * DAY;
    const fresh = await open();
    // The idle lab's page comes back later: its token has expired, so it trades its session secret for a new one.
    const renewed = (await call('POST', `/labs/${idle.labId}/session`, { secret: idle.sessionSecret })).body as { token: string };
    // Nothing is reaped before its time: the fresh lab was made just now.
    const reaped = await server.reaper.reapOnce();
    expect(reaped.labs).toEqual([idle.labId]);

    expect(await server.labs.get(idle.labId)).toBeUndefined();
    expect(await exists(idleDir)).toBe(false);
    expect(await store.getLab(idle.labId)).toBeUndefined();
    await expect(store.eventsSince(idle.labId, 0)).rejects.toThrow(/^\[store\]/);
    expect((await store.listLabs()).map((l) => l.id).sort()).toEqual([watched.labId, running.labId, fresh.labId].sort());
    const dirs = await readdir(join(idleDir, '..'));
    expect(dirs).not.toContain(idle.labId);

    // The old page: the lab server's 404 for a deleted lab; its session secret opens nothing any more.
    const gone = await call('GET', `/labs/${idle.labId}/view`, undefined, bearer(renewed.token));
    expect(gone.status).toBe(404);
    expect(gone.body.message).toMatch(/^\[lab-server\] lab .* does not exist \(it was deleted\)/);
    expect((await call('POST', `/labs/${idle.labId}/session`, { secret: idle.sessionSecret })).body.error).toBe('bad-session');

    // Once the page leaves and the host is off, they go too (after their own idle time).
    page.close();
    await new Promise((r) => page.once('close', r));
    const again = (await call('POST', `/labs/${running.labId}/session`, { secret: running.sessionSecret })).body as { token: string };
    const off = await call('POST', `/labs/${running.labId}/commands`, { target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_OFF' }, bearer(again.token));
    expect(off.body).toMatchObject({ ok: true });
    expect(server.labs.attachedPages(watched.labId)).toBe(0);
    expect((await server.labs.peek(running.labId))?.runningHosts()).toBe(0);
    clock += 3 * DAY;
    expect((await server.reaper.reapOnce()).labs.sort()).toEqual([watched.labId, running.labId, fresh.labId].sort());
  });

  it('drops an expired learner\'s lab from its class, and closes a class whose learners\' labs all expired', async () => {
    const opened = await call('POST', '/classes', { scenario: 'single-node', warm: 1 }, bearer(OPERATOR));
    const k = opened.body as { classId: string; trainerSecret: string; joinCode: string };
    await server.classes.fillWarm(k.classId);
    const warm = await server.classes.labIds(k.classId, { warm: true });
    expect(warm).toHaveLength(1);
    const joined = (await call('POST', `/classes/${k.classId}/join`, { code: k.joinCode, learner: 'Ada' })).body;
    await server.classes.fillWarm(k.classId);
    const warmNow = await server.classes.labIds(k.classId, { warm: true });

    clock += 3 * DAY;
    const first = await server.reaper.reapOnce();
    // The warm lab waiting for a learner is spared; the learner's idle lab goes, and so does the class (no learner left).
    expect(first.labs).toEqual([joined.labId]);
    expect(first.classes).toEqual([k.classId]);
    expect((await call('GET', `/classes/${k.classId}`, undefined, bearer(k.trainerSecret))).status).toBe(404);
    for (const id of warmNow) expect(await server.labs.get(id)).toBeUndefined();
  });
});
