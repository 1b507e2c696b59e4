// The trainer's desk and a member's page against the real lab server (fake VMs, real HTTP,
// WebSocket and SQLite): list who joined, make a new link, remove a member; the removed member's
// open page hears it at once and says why, while another member's page stays live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabServer } from '../../../simulator/server/lab-server';
import { startFakeLabServer } from '../../../simulator/testing/fake-lab-server';
import { Lab, type LabSnapshot } from './lab';
import type { FetchLike } from './lab-http';
import type { WebSocketConstructor } from './socket-types';
import { MemoryStorage } from './test-fakes';
import { listLabMembers, makeInvite, removeLabMember, trainerSession } from './trainer-desk';

let server: LabServer;
let closeServer: (() => Promise<void>) | undefined;
/** Node's fetch sends no Origin; a browser page always does, and the server wants one on changes. */
let pageFetch: FetchLike;

beforeAll(async () => {
  ({ server, close: closeServer } = await startFakeLabServer());
  pageFetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', server.url);
    return fetch(input, { ...init, headers });
  };
});
afterAll(async () => {
  await closeServer?.();
});

async function openShared(): Promise<{ labId: string; sessionSecret: string; invites: Record<string, string> }> {
  const res = await pageFetch(`${server.url}/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'single-node', shared: true }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { labId: string; sessionSecret: string; invites: Record<string, string> };
}

function memberPage(labId: string, invite: string): Lab {
  return new Lab({
    scenario: 'single-node', simulatorUrl: server.url, storage: new MemoryStorage(), fetch: pageFetch, enter: { labId, invite },
    connection: { WebSocket: WebSocket as unknown as WebSocketConstructor },
  });
}

function until(lab: Lab, pred: (s: LabSnapshot) => boolean, what: string): Promise<LabSnapshot> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!pred(lab.getSnapshot())) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(lab.getSnapshot());
    };
    const timer = setTimeout(() => { unsubscribe(); reject(new Error(`timed out waiting for ${what}; last state ${JSON.stringify(lab.getSnapshot()).slice(0, 600)}`)); }, 10_000);
    const unsubscribe = lab.subscribe(check);
    check();
  });
}

describe('the trainer desk', () => {
  it('lists who joined, makes a new link that works while the old one does not, and removes a member whose page is told at once', async () => {
    const shared = await openShared();
    const desk = trainerSession({ simulatorUrl: server.url, scenario: 'single-node', labId: shared.labId, sessionSecret: shared.sessionSecret, fetch: pageFetch });
    expect(await desk.start()).toMatchObject({ status: 'ready', role: 'trainer', labId: shared.labId });
    const fetchLab = desk.fetchLab.bind(desk);

    const empty = await listLabMembers(fetchLab);
    expect(empty).toMatchObject({ kind: 'ok', value: { members: [], invites: { 'it-ops': { state: 'open' } } } });

    const ops = memberPage(shared.labId, shared.invites['it-ops']!);
    const owner = memberPage(shared.labId, shared.invites['app-owner']!);
    await Promise.all([ops.start(), owner.start()]);
    await until(ops, (s) => s.connection.status === 'open', 'the IT/Ops page to connect');
    await until(owner, (s) => s.connection.status === 'open', 'the App owner page to connect');

    const joined = await listLabMembers(fetchLab);
    if (joined.kind !== 'ok') throw new Error(JSON.stringify(joined));
    expect(joined.value.members.map((m) => m.role).sort()).toEqual(['app-owner', 'it-ops']);
    expect(joined.value.invites['it-ops']).toMatchObject({ state: 'used' });

    // A second browser with the same link is refused, with what to do.
    const copy = memberPage(shared.labId, shared.invites['it-ops']!);
    const refused = await copy.session.start();
    expect(refused).toMatchObject({ status: 'error' });
    expect(refused.status === 'error' && refused.message).toMatch(/403 invite-used.*already used.*ask the trainer for a new link/);

    const fresh = await makeInvite(fetchLab, 'it-ops');
    if (fresh.kind !== 'ok') throw new Error(JSON.stringify(fresh));
    const late = memberPage(shared.labId, fresh.value.invite);
    expect(await late.session.start()).toMatchObject({ status: 'ready', role: 'it-ops' });

    const opsId = joined.value.members.find((m) => m.role === 'it-ops')!.memberId;
    expect(await removeLabMember(fetchLab, opsId)).toEqual({ kind: 'ok', value: { removed: opsId, socketsClosed: 1 } });
    const told = await until(ops, (s) => s.session.status === 'error' && s.connection.status !== 'reconnecting', 'the removed page to say so and stop');
    expect(told.session.status === 'error' && told.session.message).toBe('[lab-auth] the trainer removed you from this lab; ask the trainer for a new invite link if you should be in it');
    expect(told.connection.status).toBe('stopped');
    expect(owner.getSnapshot().connection.status).toBe('open');
    expect(owner.getSnapshot().session.status).toBe('ready');

    // Removing twice, and a member trying the trainer's doors, are refused in words.
    expect(await removeLabMember(fetchLab, opsId)).toMatchObject({ kind: 'refused', status: 404, code: 'not-found' });
    expect(await makeInvite(owner.session.fetchLab.bind(owner.session), 'it-ops')).toMatchObject({ kind: 'refused', status: 403, code: 'trainer-only' });
    for (const l of [ops, owner, copy, late]) l.stop();
  });

  it('answers unreachable when the simulator does not answer', async () => {
    const down = await listLabMembers(async () => { throw new TypeError('fetch failed'); });
    expect(down).toEqual({ kind: 'unreachable', message: 'fetch failed' });
  });
});
