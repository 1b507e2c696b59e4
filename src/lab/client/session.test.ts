import { describe, expect, it } from 'vitest';
import { rememberedLabKey } from './remembered-lab';
import { LabSession } from './session';
import { fakeFetch, MemoryStorage, type FetchCall } from './test-fakes';

const URL_ = 'http://127.0.0.1:4100';
const NOW = 1_000_000;
const HOUR = 3_600_000;

function remember(storage: MemoryStorage, extra: Record<string, unknown> = {}): void {
  storage.setItem(rememberedLabKey(URL_, 'single-node'), JSON.stringify({ labId: 'lab-old', sessionSecret: 's3cret', role: 'solo', scenario: 'single-node', ...extra }));
}

const grant = (token: string) => ({ status: 200, body: { labId: 'lab-old', role: 'solo', token, expiresAt: NOW + HOUR } });

function session(storage: MemoryStorage, route: (c: FetchCall) => ReturnType<Parameters<typeof fakeFetch>[0]>) {
  const fetch = fakeFetch(route);
  return { s: new LabSession({ scenario: 'single-node', storage, fetch, now: () => NOW }), fetch };
}

describe('LabSession', () => {
  it('opens a new lab and remembers it when nothing is remembered', async () => {
    const storage = new MemoryStorage();
    const { s, fetch } = session(storage, () => ({ status: 201, body: { labId: 'lab-new', role: 'solo', token: 'tok', expiresAt: NOW + HOUR, sessionSecret: 'sec', place: { state: 'active', position: null } } }));
    expect(s.getState()).toEqual({ status: 'connecting', scenario: 'single-node' });
    expect(await s.start()).toEqual({ status: 'ready', scenario: 'single-node', labId: 'lab-new', role: 'solo', resumed: false });
    expect(fetch.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /labs']);
    expect(fetch.calls[0]?.body).toEqual({ scenario: 'single-node' });
    expect(JSON.parse(storage.getItem(rememberedLabKey(URL_, 'single-node'))!)).toMatchObject({ labId: 'lab-new', sessionSecret: 'sec', role: 'solo', scenario: 'single-node' });
    expect(await s.token()).toBe('tok');
    expect(fetch.calls).toHaveLength(1);
  });

  it('keeps no secret when the server holds it in a cookie (a room over HTTPS), and renews with the cookie alone', async () => {
    const storage = new MemoryStorage();
    let now = NOW;
    const fetch = fakeFetch((c) => (c.path === '/labs'
      ? { status: 201, body: { labId: 'lab-new', role: 'solo', token: 'tok', expiresAt: NOW + HOUR, sessionSecret: null, place: { state: 'active', position: null } } }
      : { status: 200, body: { labId: 'lab-new', role: 'solo', token: 'fresh', expiresAt: now + HOUR, sessionCookie: true } }));
    const s = new LabSession({ scenario: 'single-node', storage, fetch, now: () => now });
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-new' });
    expect(JSON.parse(storage.getItem(rememberedLabKey(URL_, 'single-node'))!)).toMatchObject({ labId: 'lab-new', sessionSecret: null });
    now += HOUR;
    expect(await s.token()).toBe('fresh');
    expect(fetch.calls.at(-1)).toMatchObject({ method: 'POST', path: '/labs/lab-new/session', body: {} });
  });

  it('forgets a secret from a link once the server says it holds it in a cookie', async () => {
    const storage = new MemoryStorage();
    const fetch = fakeFetch(() => ({ status: 200, body: { labId: 'lab-shared', role: 'trainer', token: 'tok', expiresAt: NOW + HOUR, sessionCookie: true } }));
    const s = new LabSession({ scenario: 'single-node', storage, fetch, now: () => NOW, enter: { labId: 'lab-shared', sessionSecret: 'from-the-link' } });
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-shared', role: 'trainer' });
    expect(fetch.calls[0]).toMatchObject({ path: '/labs/lab-shared/session', body: { secret: 'from-the-link' } });
    expect(storage.getItem(rememberedLabKey(URL_, 'single-node'))).not.toContain('from-the-link');
  });

  it('resumes the remembered lab by trading its session secret, without opening another', async () => {
    const storage = new MemoryStorage();
    remember(storage);
    const { s, fetch } = session(storage, (c) => (c.path === '/labs/lab-old/session' ? grant('fresh') : { status: 500 }));
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-old', resumed: true });
    expect(fetch.calls).toEqual([expect.objectContaining({ method: 'POST', path: '/labs/lab-old/session', body: { secret: 's3cret' } })]);
    expect(await s.token()).toBe('fresh');
  });

  it('trades the secret when the remembered token is refused with 401 during start', async () => {
    const storage = new MemoryStorage();
    remember(storage, { token: 'from-before-restart', expiresAt: NOW + HOUR });
    const { s, fetch } = session(storage, (c) => {
      if (c.path === '/labs/lab-old') return { status: 401, body: { error: 'bad-signature', message: '[lab-auth] not signed by this lab server' } };
      if (c.path === '/labs/lab-old/session') return grant('fresh');
      return { status: 500 };
    });
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-old', resumed: true });
    expect(fetch.calls.map((c) => `${c.method} ${c.path} ${c.authorization ?? ''}`.trim())).toEqual([
      'GET /labs/lab-old Bearer from-before-restart',
      'POST /labs/lab-old/session',
    ]);
    expect(await s.token()).toBe('fresh');
    expect(JSON.parse(storage.getItem(rememberedLabKey(URL_, 'single-node'))!)).toMatchObject({ token: 'fresh' });
  });

  it('renews a token that is about to expire before handing it out', async () => {
    const storage = new MemoryStorage();
    remember(storage, { token: 'old', expiresAt: NOW + 10_000 });
    const { s } = session(storage, (c) => (c.path === '/labs/lab-old/session' ? grant('fresh') : { status: 500 }));
    await s.start();
    expect(await s.token()).toBe('fresh');
  });

  it('fetchLab retries once with a fresh token after a 401 expired-token', async () => {
    const storage = new MemoryStorage();
    remember(storage, { token: 'stale', expiresAt: NOW + HOUR });
    const { s, fetch } = session(storage, (c) => {
      if (c.path === '/labs/lab-old') return { status: 200, body: {} };
      if (c.path === '/labs/lab-old/session') return grant('fresh');
      if (c.path === '/labs/lab-old/view') return c.authorization === 'Bearer fresh' ? { status: 200, body: { seq: 1 } } : { status: 401, body: { error: 'expired-token', message: 'expired' } };
      return { status: 500 };
    });
    await s.start();
    const res = await s.fetchLab('/view');
    expect(res.status).toBe(200);
    expect(fetch.calls.filter((c) => c.path === '/labs/lab-old/view').map((c) => c.authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('reports lab-gone when the secret opens no lab, and openNewLab forgets it and opens another', async () => {
    const storage = new MemoryStorage();
    remember(storage);
    const { s } = session(storage, (c) => {
      if (c.path === '/labs/lab-old/session') return { status: 403, body: { error: 'bad-session', message: '[lab-auth] this session secret does not open that lab' } };
      if (c.path === '/labs') return { status: 201, body: { labId: 'lab-new', role: 'solo', token: 'tok', expiresAt: NOW + HOUR, sessionSecret: 'sec', place: { state: 'active', position: null } } };
      return { status: 500 };
    });
    const gone = await s.start();
    expect(gone).toMatchObject({ status: 'lab-gone', labId: 'lab-old' });
    expect(gone.status === 'lab-gone' && gone.message).toMatch(/^\[lab-client\] lab lab-old no longer exists.*open a new lab/);
    expect(await s.openNewLab()).toMatchObject({ status: 'ready', labId: 'lab-new', resumed: false });
    expect(JSON.parse(storage.getItem(rememberedLabKey(URL_, 'single-node'))!)).toMatchObject({ labId: 'lab-new' });
  });

  it('says in the server\'s words that an idle session expired, and offers a new lab', async () => {
    const storage = new MemoryStorage();
    remember(storage);
    const expired = '[lab-auth] this lab was not opened for 14 days and its session has expired; open the guide (or your class link) again for a new lab, or ask the trainer for a new link';
    const { s } = session(storage, (c) => (c.path === '/labs/lab-old/session' ? { status: 403, body: { error: 'session-expired', message: expired } } : { status: 500 }));
    expect(await s.start()).toEqual({ status: 'lab-gone', scenario: 'single-node', labId: 'lab-old', message: expired });
  });

  it('says a removed member was removed, on renewal and when their remembered token is refused', async () => {
    const removed = '[lab-auth] the trainer removed you from this lab; ask the trainer for a new invite link if you should be in it';
    const storage = new MemoryStorage();
    remember(storage);
    const { s } = session(storage, (c) => (c.path === '/labs/lab-old/session' ? { status: 403, body: { error: 'member-removed', message: removed } } : { status: 500 }));
    expect(await s.start()).toEqual({ status: 'error', scenario: 'single-node', message: removed });
    await expect(s.refreshToken()).rejects.toThrow(/the trainer removed you from this lab/);

    const withToken = new MemoryStorage();
    remember(withToken, { token: 'still-signed', expiresAt: NOW + HOUR });
    const ended = '[lab-auth] the trainer removed you from this lab, so this session no longer opens it; ask the trainer for a new invite link';
    const { s: s2, fetch } = session(withToken, (c) => (c.path === '/labs/lab-old' ? { status: 403, body: { error: 'session-ended', message: ended } } : grant('should-not-be-asked')));
    expect(await s2.start()).toEqual({ status: 'error', scenario: 'single-node', message: ended });
    expect(fetch.calls.map((c) => c.path)).toEqual(['/labs/lab-old']);
  });

  it('reports simulator-unreachable with what to do, and recovers on retry', async () => {
    let up = false;
    const { s } = session(new MemoryStorage(), () => (up ? { status: 201, body: { labId: 'lab-new', role: 'solo', token: 'tok', expiresAt: NOW + HOUR, sessionSecret: 'sec', place: { state: 'active', position: null } } } : 'unreachable'));
    const down = await s.start();
    expect(down).toMatchObject({ status: 'simulator-unreachable', simulatorUrl: URL_ });
    expect(down.status === 'simulator-unreachable' && down.message).toMatch(/^\[lab-client\] the lab simulator at http:\/\/127\.0\.0\.1:4100 does not answer.*start it with npm start/);
    up = true;
    expect(await s.retry()).toMatchObject({ status: 'ready', labId: 'lab-new' });
  });

  it('reports a server refusal as error with the server\'s message', async () => {
    const { s } = session(new MemoryStorage(), () => ({ status: 404, body: { error: 'unknown-scenario', message: '[lab-server] no scenario "single-nod"' } }));
    const state = await s.start();
    expect(state).toMatchObject({ status: 'error' });
    expect(state.status === 'error' && state.message).toBe('[lab-client] opening the single-node lab failed (404 unknown-scenario): [lab-server] no scenario "single-nod"');
  });

  it('ignores a broken remembered entry and touches no storage before start()', async () => {
    const storage = new MemoryStorage();
    storage.setItem(rememberedLabKey(URL_, 'single-node'), '{not json');
    const { s, fetch } = session(storage, () => ({ status: 201, body: { labId: 'lab-new', role: 'solo', token: 'tok', expiresAt: NOW + HOUR, sessionSecret: 'sec', place: { state: 'active', position: null } } }));
    expect(fetch.calls).toHaveLength(0);
    expect(await s.start()).toMatchObject({ status: 'ready', labId: 'lab-new' });
  });
});
