import { afterEach, describe, expect, it } from 'vitest';
import { LAB_SOCKET_CLOSE } from '../../pure/protocol/close-codes';
import { FakeLabChannel } from './fake-lab-channel';
import { connect, refusal, SITE, startTestServer, tokenFor, type TestServer } from './test-kit';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(): Promise<{ lab: FakeLabChannel; s: TestServer }> {
  const lab = new FakeLabChannel({ labId: 'lab-1' });
  server = await startTestServer([lab, new FakeLabChannel({ labId: 'lab-2' })]);
  return { lab, s: server };
}

describe('createLabSocketServer admits', () => {
  it('a page of the site with a token for this lab, in ?token=, with its role', async () => {
    const { s } = await serve();
    const page = await connect(s.url('lab-1', tokenFor('lab-1', { role: 'site-technician' })));
    page.hello();
    expect(await page.next('welcome')).toMatchObject({ labId: 'lab-1', role: 'site-technician' });
    await page.close();
  });

  it('a token in Authorization: Bearer (command-line clients)', async () => {
    const { s } = await serve();
    const page = await connect(s.url('lab-1', null), { origin: SITE, headers: { authorization: `Bearer ${tokenFor('lab-1')}` } });
    await page.close();
  });
});

describe('createLabSocketServer refuses before upgrading, with a one-line reason', () => {
  // [case, url, client options, status, code fragment of the reason]
  const cases: [string, (s: TestServer) => string, object, number, string][] = [
    ['a foreign Origin', (s) => s.url('lab-1'), { origin: 'https://evil.example' }, 403, 'Origin https://evil.example may not use this lab server'],
    ['no Origin', (s) => s.url('lab-1'), {}, 403, 'no Origin header'],
    ['a token for another lab', (s) => s.url('lab-1', tokenFor('lab-2')), { origin: SITE }, 403, 'this token opens lab lab-2, not lab lab-1'],
    ['an expired token', (s) => s.url('lab-1', tokenFor('lab-1', { ttlMs: 1000, now: Date.now() - 5000 })), { origin: SITE }, 401, 'the lab token has expired'],
    ['no token', (s) => s.url('lab-1', null), { origin: SITE }, 401, 'no lab token'],
    ['a forged token', (s) => s.url('lab-1', `${tokenFor('lab-1').slice(0, -2)}AA`), { origin: SITE }, 401, 'lab token'],
    ['another path under the lab', (s) => `${s.base}/labs/lab-1/events?token=${tokenFor('lab-1')}`, { origin: SITE }, 404, 'the lab socket is /labs/lab-1/socket'],
    ['a path outside /labs/', (s) => `${s.base}/socket?token=${tokenFor('lab-1')}`, { origin: SITE }, 404, 'lab URLs look like /labs/<lab id>/'],
  ];
  it.each(cases)('%s', async (_name, url, opts, status, fragment) => {
    const { lab, s } = await serve();
    const answer = await refusal(url(s), opts);
    expect(answer.status).toBe(status);
    expect(answer.body).toContain(fragment);
    expect(answer.body).toMatch(/^\[lab-(auth|socket)\] [^\n]*\n$/);
    if (status === 401) expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="edge-lab"/);
    expect(s.resolved, 'the lab is not even looked up').toEqual([]);
    expect(lab.listenerCount).toBe(0);
  });

  it('an admitted request for a lab that does not exist: 404', async () => {
    const { s } = await serve();
    const answer = await refusal(s.url('lab-9'));
    expect([answer.status, answer.body]).toEqual([404, '[lab-socket] there is no lab lab-9 (it ended, or the lab server restarted); open the lab again from its page\n']);
    expect(s.resolved).toEqual(['lab-9']);
  });
});

describe('open sockets', () => {
  it('are closed when their token expires', async () => {
    const { lab, s } = await serve();
    const page = await connect(s.url('lab-1', tokenFor('lab-1', { ttlMs: 400 })));
    page.hello();
    await page.next('view');
    expect(await page.closed).toEqual({ code: LAB_SOCKET_CLOSE.tokenExpired, reason: '[lab-socket] the lab token expired; reload the lab page' });
    await expect.poll(() => lab.listenerCount).toBe(0);
  });

  it('are closed with goingAway by close(), which leaves no listener behind and refuses new ones', async () => {
    const { lab, s } = await serve();
    const pages = await Promise.all([connect(s.url('lab-1')), connect(s.url('lab-1'))]);
    for (const p of pages) p.hello();
    await Promise.all(pages.map((p) => p.next('view')));
    expect(lab.listenerCount).toBe(2);
    await s.sockets.close();
    expect(await Promise.all(pages.map((p) => p.closed))).toEqual([
      { code: LAB_SOCKET_CLOSE.goingAway, reason: '[lab-socket] the lab server is shutting down' },
      { code: LAB_SOCKET_CLOSE.goingAway, reason: '[lab-socket] the lab server is shutting down' },
    ]);
    expect(lab.listenerCount).toBe(0);
    expect((await refusal(s.url('lab-1'))).status).toBe(503);
  });

  it('a page that reads too slowly is closed with fellBehind and loses nothing on reconnect', async () => {
    const lab = new FakeLabChannel();
    server = await startTestServer([lab], { socket: { maxBufferedBytes: 64 * 1024 } });
    const page = await connect(server.url('lab-1'));
    page.hello();
    await page.next('view');
    page.ws.pause(); // the page stops reading; the server's send buffer fills up
    const pad = 'x'.repeat(4096);
    for (let i = 0; i < 4000 && lab.listenerCount > 0; i++) lab.append({ type: 'bulk', pad });
    expect(lab.listenerCount, 'unsubscribed at once, before the close handshake').toBe(0);
    const total = lab.log.length;
    page.ws.resume();
    expect((await page.closed).code).toBe(LAB_SOCKET_CLOSE.fellBehind);
    const seen = page.messages.flatMap((m) => (m.type === 'event' ? [m.seq] : []));
    lab.appendMany(5, 'while-away');

    const again = await connect(server.url('lab-1'));
    again.hello(seen.at(-1));
    const rest = await again.until((m) => m.type === 'view');
    const replayed = rest.flatMap((m) => (m.type === 'event' ? [m.seq] : []));
    expect([...seen, ...replayed]).toEqual(Array.from({ length: total + 5 }, (_, i) => i + 1));
    await again.close();
  });
});
