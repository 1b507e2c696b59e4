import { describe, expect, it } from 'vitest';
import { joinedClassKey } from '../class/class-join';
import { rememberedLabKey } from './remembered-lab';
import { LabSession } from './session';
import { enterFromSearch, sharedLabOptions } from './shared-lab';
import { fakeFetch, MemoryStorage, type FakeAnswer, type FetchCall } from './test-fakes';

const SERVER = 'http://127.0.0.1:4100';
const NOW = 1_000_000;
const HOUR = 3_600_000;
const CLASS_LINK = '?class=cls-1&code=JOIN42&name=Ada';

describe('entering a shared lab from the address', () => {
  it('reads a member invite link and a trainer link', () => {
    expect(enterFromSearch('?lab=lab-abc123&invite=CODE')).toEqual({ labId: 'lab-abc123', invite: 'CODE' });
    expect(enterFromSearch('?lab=lab-abc123&session=SECRET')).toEqual({ labId: 'lab-abc123', sessionSecret: 'SECRET' });
  });
  it('reads a class link, with the learner name or the default one', () => {
    expect(enterFromSearch(CLASS_LINK)).toEqual({ classId: 'cls-1', code: 'JOIN42', learner: 'Ada' });
    expect(enterFromSearch('?class=cls-1&code=JOIN42')).toEqual({ classId: 'cls-1', code: 'JOIN42', learner: 'Learner' });
    expect(enterFromSearch('?class=cls-1&code=JOIN42&name=%20%20')).toMatchObject({ learner: 'Learner' });
  });
  it('ignores anything else', () => {
    expect(enterFromSearch('')).toBeNull();
    expect(enterFromSearch('?lab=lab-abc123')).toBeNull();
    expect(enterFromSearch('?lab=../etc&invite=x')).toBeNull();
    expect(enterFromSearch('?class=cls-1')).toBeNull();
    expect(enterFromSearch('?class=../x&code=JOIN42')).toBeNull();
  });
});

/** A lab session made the way sharedLab makes the tab's one, from the address `search`. */
function sessionFor(search: string, storage: MemoryStorage, route: (c: FetchCall) => FakeAnswer) {
  const fetch = fakeFetch(route);
  const options = sharedLabOptions({ scenario: 'single-node', simulatorUrl: SERVER, storage, fetch, now: () => NOW }, search);
  return { s: new LabSession(options), fetch };
}

const joined = { status: 201, body: { labId: 'lab-class1', role: 'solo', token: 'tok', expiresAt: NOW + HOUR, sessionSecret: 'sec', classId: 'cls-1', place: { state: 'queued', position: 2 }, warm: false } };

describe('joining a class from its link', () => {
  it('joins the class instead of opening a lab, then remembers the lab like any other', async () => {
    const storage = new MemoryStorage();
    const { s, fetch } = sessionFor(CLASS_LINK, storage, (c) => (c.path === '/classes/cls-1/join' ? joined : { status: 500 }));
    expect(await s.start()).toEqual({ status: 'ready', scenario: 'single-node', labId: 'lab-class1', role: 'solo', resumed: false });
    expect(fetch.calls).toEqual([expect.objectContaining({ method: 'POST', path: '/classes/cls-1/join', body: { code: 'JOIN42', learner: 'Ada' } })]);
    expect(JSON.parse(storage.getItem(rememberedLabKey(SERVER, 'single-node'))!)).toMatchObject({ labId: 'lab-class1', sessionSecret: 'sec' });
    expect(storage.getItem(joinedClassKey(SERVER, 'cls-1'))).toBe('lab-class1');
  });

  it('resumes the class lab on a reload of the same link instead of joining again', async () => {
    const storage = new MemoryStorage();
    await sessionFor(CLASS_LINK, storage, () => joined).s.start();
    const { s, fetch } = sessionFor(CLASS_LINK, storage, (c) => (c.path === '/labs/lab-class1' ? { status: 200, body: { labId: 'lab-class1', scenario: 'single-node', role: 'solo', hosts: ['edge-host-1'], installers: [] } } : { status: 500 }));
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-class1', resumed: true });
    expect(fetch.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /labs/lab-class1']);
  });

  it('sets aside the reader\'s own lab of the scenario to join the class', async () => {
    const storage = new MemoryStorage();
    storage.setItem(rememberedLabKey(SERVER, 'single-node'), JSON.stringify({ labId: 'lab-mine', sessionSecret: 's', role: 'solo', scenario: 'single-node' }));
    const { s, fetch } = sessionFor(CLASS_LINK, storage, () => joined);
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-class1' });
    expect(fetch.calls.map((c) => c.path)).toEqual(['/classes/cls-1/join']);
  });

  it('shows the server\'s reason when the code is refused, and joins on retry', async () => {
    const storage = new MemoryStorage();
    let refuse = true;
    const { s } = sessionFor(CLASS_LINK, storage, () => (refuse ? { status: 403, body: { error: 'bad-code', message: '[classes] that join code does not open class cls-1' } } : joined));
    expect(await s.start()).toMatchObject({ status: 'error', message: expect.stringMatching(/403 bad-code\): \[classes\] that join code does not open class cls-1/) });
    refuse = false;
    expect(await s.retry()).toMatchObject({ status: 'ready', labId: 'lab-class1' });
  });

  it('says the lab server does not answer when it is down', async () => {
    const { s } = sessionFor(CLASS_LINK, new MemoryStorage(), () => 'unreachable');
    expect(await s.start()).toMatchObject({ status: 'simulator-unreachable' });
  });

  it('leaves the lab server\'s other calls alone', async () => {
    const storage = new MemoryStorage();
    const { s, fetch } = sessionFor(CLASS_LINK, storage, (c) => (c.path === '/labs/lab-class1/session' ? { status: 200, body: { labId: 'lab-class1', role: 'solo', token: 't2', expiresAt: NOW + HOUR } } : joined));
    await s.start();
    expect(await s.refreshToken()).toBe('t2');
    expect(fetch.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /classes/cls-1/join', 'POST /labs/lab-class1/session']);
  });
});
