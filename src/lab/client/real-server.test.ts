// The client against the real lab server (fake VM driver, no QEMU), through Node's `ws` as the
// WebSocket: proves that this client and the server speak the same protocol.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { singleNode } from '../../../simulator/pure/scenarios/single-node';
import type { LabServer } from '../../../simulator/server/lab-server';
import { startFakeLabServer } from '../../../simulator/testing/fake-lab-server';
import { Lab } from './lab';
import type { LabSnapshot } from './lab';
import type { WebSocketConstructor } from './socket-types';
import { MemoryStorage } from './test-fakes';

let server: LabServer;

/** Node's fetch as a browser on the site sends it: with the page's Origin. */
const SITE_ORIGIN = 'http://127.0.0.1:3000';
const siteFetch: typeof fetch = (url, init) => {
  const headers = new Headers(init?.headers);
  headers.set('origin', SITE_ORIGIN);
  return fetch(url, { ...init, headers });
};

let closeServer: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close: closeServer } = await startFakeLabServer());
});
afterAll(async () => {
  await closeServer?.();
});

function until(lab: Lab, pred: (s: LabSnapshot) => boolean, what: string): Promise<LabSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = lab.getSnapshot();
      if (!pred(s)) return false;
      clearTimeout(timer);
      unsubscribe();
      resolve(s);
      return true;
    };
    const timer = setTimeout(() => { unsubscribe(); reject(new Error(`timed out waiting for ${what}; last state ${JSON.stringify(lab.getSnapshot()).slice(0, 600)}`)); }, 10_000);
    const unsubscribe = lab.subscribe(check);
    check();
  });
}

it('opens a lab, gets its view, hears a refusal and follows a saved profile', async () => {
  const lab = new Lab({
    scenario: 'single-node', simulatorUrl: server.url, storage: new MemoryStorage(), fetch: siteFetch,
    connection: { WebSocket: WebSocket as unknown as WebSocketConstructor },
  });
  await lab.start();
  const first = await until(lab, (s) => s.connection.view !== null, 'the first view');
  expect(first.session).toMatchObject({ status: 'ready', role: 'solo', resumed: false });
  expect(first.connection).toMatchObject({ status: 'open', view: { state: 'modelProfile', hosts: { 'edge-host-1': { state: 'poweredOff' } } } });
  expect(first.connection.view?.phases[0]?.status).not.toBe('done');

  await expect(lab.connection.command({ kind: 'host', hostId: 'edge-host-1' }, 'INSERT_USB')).rejects.toThrow(/^\[lab-client\] INSERT_USB was refused: .*needs args\.image/);

  const saved = await lab.session.fetchLab('/palette/v1/profiles', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(singleNode.profile),
  });
  expect(saved.status).toBe(201);
  const done = await until(lab, (s) => s.connection.view?.phases[0]?.status === 'done', 'the profile phase to be done');
  expect(done.connection.seq).toBeGreaterThan(0);
  lab.stop();
  expect(lab.getSnapshot().connection.status).toBe('stopped');
});

it('enters a shared lab with an invite, as its role, and resumes it later without joining again', async () => {
  const opened = await (await siteFetch(`${server.url}/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'single-node', shared: true }) })).json() as { labId: string; invites: Record<string, string> };
  const storage = new MemoryStorage();
  const options = { scenario: 'single-node', simulatorUrl: server.url, storage, fetch: siteFetch, connection: { WebSocket: WebSocket as unknown as WebSocketConstructor } };
  const member = new Lab({ ...options, enter: { labId: opened.labId, invite: opened.invites['tenant-admin']! } });
  await member.start();
  const live = await until(member, (s) => s.connection.view !== null, 'the shared lab\'s view');
  expect(live.session).toMatchObject({ status: 'ready', labId: opened.labId, role: 'tenant-admin', resumed: false });
  expect(live.connection.role).toBe('tenant-admin');
  const refused = await member.session.fetchLab('/palette/v1/profiles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(singleNode.profile) });
  expect(refused.status).toBe(403);
  member.stop();

  // The same browser later, with the same link: the remembered membership, not a second join.
  const joins: string[] = [];
  const again = new Lab({ ...options, fetch: (url, init) => { if (String(url).endsWith('/join')) joins.push(String(url)); return siteFetch(url, init); }, enter: { labId: opened.labId, invite: opened.invites['tenant-admin']! } });
  await again.start();
  const back = await until(again, (s) => s.connection.view !== null, 'the resumed shared lab');
  expect(back.session).toMatchObject({ status: 'ready', labId: opened.labId, role: 'tenant-admin', resumed: true });
  expect(joins).toEqual([]);
  again.stop();

  // A wrong invite is said in words.
  const stranger = new Lab({ ...options, storage: new MemoryStorage(), enter: { labId: opened.labId, invite: 'guessed' } });
  await stranger.start();
  expect(stranger.getSnapshot().session).toMatchObject({ status: 'error', message: expect.stringMatching(/does not open that lab/) });
});
