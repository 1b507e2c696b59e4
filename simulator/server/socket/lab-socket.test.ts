import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ServerMessage } from '../../pure/protocol';
import { LAB_SOCKET_CLOSE } from '../../pure/protocol/close-codes';
import { FakeLabChannel, type FakeLabChannelOptions } from './fake-lab-channel';
import { MAX_CLIENT_FRAME_BYTES, type LabSocketOptions } from './lab-socket';
import { connect, startTestServer, type TestClient, type TestServer } from './test-kit';

let server: TestServer | undefined;
let clients: TestClient[] = [];

async function setUp(channelOpts: FakeLabChannelOptions = {}, socket: LabSocketOptions = {}): Promise<{ lab: FakeLabChannel; open: () => Promise<TestClient> }> {
  const lab = new FakeLabChannel(channelOpts);
  server = await startTestServer([lab], { socket });
  const s = server;
  return {
    lab,
    open: async () => {
      const client = await connect(s.url(lab.labId));
      clients.push(client);
      return client;
    },
  };
}

afterEach(async () => {
  for (const c of clients) expect(c.invalid, 'frames the page could not parse').toEqual([]);
  await server?.close();
  server = undefined;
  clients = [];
});

/** The event seqs, after checking: consecutive from since+1, and no view before the events it reflects. */
function eventSeqs(messages: readonly ServerMessage[], since = 0): number[] {
  let last = since;
  const seqs: number[] = [];
  for (const m of messages) {
    if (m.type === 'event') {
      expect(m.seq, `event after ${last}`).toBe(last + 1);
      last = m.seq;
      seqs.push(m.seq);
    } else if (m.type === 'view') {
      expect(m.seq, 'a view came before the events it reflects').toBeLessThanOrEqual(last);
    }
  }
  return seqs;
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const isView = (seq: number) => (m: ServerMessage) => m.type === 'view' && m.seq === seq;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('handshake and replay', () => {
  it('answers hello with welcome, the log, then the view, then live updates', async () => {
    const { lab, open } = await setUp();
    lab.appendMany(3);
    const page = await open();
    page.hello();
    const first = await page.until(isView(3));
    expect(first.map((m) => m.type)).toEqual(['welcome', 'event', 'event', 'event', 'view']);
    expect(first[0]).toEqual({ type: 'welcome', version: PROTOCOL_VERSION, labId: 'lab-1', role: 'solo', seq: 3 });
    expect(first[1]).toEqual({ type: 'event', seq: 1, at: lab.log[0]!.at, event: { type: 'tick', i: 0 } });
    lab.append({ type: 'host.registered', hostId: 'edge-1' });
    expect((await page.until(isView(4))).map((m) => [m.type, 'seq' in m ? m.seq : null])).toEqual([['event', 4], ['view', 4]]);
  });

  it('replays only what follows since=', async () => {
    const { lab, open } = await setUp();
    lab.appendMany(5);
    const page = await open();
    page.hello(3);
    const got = await page.until(isView(5));
    expect(got[0]).toMatchObject({ type: 'welcome', seq: 5 });
    expect(eventSeqs(got, 3)).toEqual([4, 5]);
  });

  it('replays the whole log when since= is beyond it (an earlier run of the lab): welcome.seq < since tells the page', async () => {
    const { lab, open } = await setUp();
    lab.appendMany(2);
    const page = await open();
    page.hello(40);
    const got = await page.until(isView(2));
    expect(got[0]).toMatchObject({ type: 'welcome', seq: 2 });
    expect(eventSeqs(got)).toEqual([1, 2]);
    lab.append({ type: 'tick' });
    expect(eventSeqs(await page.until(isView(3)), 2)).toEqual([3]);
  });

  // [case, how the fake reads its log around the events that land mid-replay, late delivery]
  const races: [string, FakeLabChannelOptions][] = [
    ['events land after the log was read (they come from the live buffer)', { readLog: 'before-hook' }],
    ['events land before the log was read (they are also in the buffer: duplicates)', { readLog: 'after-hook' }],
    ['live delivery lags behind the log and the view', { readLog: 'before-hook', deliverLate: true }],
  ];
  it.each(races)('a reconnect with since= misses nothing and duplicates nothing when %s', async (_name, opts) => {
    let lab!: FakeLabChannel;
    let landed = false;
    ({ lab } = await setUp({
      ...opts,
      duringEventsSince: async () => {
        if (landed) return;
        landed = true;
        await sleep(20);
        lab.appendMany(3, 'mid-replay');
        await sleep(20);
      },
    }));
    lab.appendMany(5);
    const page = await connect(server!.url('lab-1'));
    clients.push(page);
    page.hello(2);
    const got = await page.until(isView(8));
    lab.append({ type: 'after' });
    got.push(...(await page.until(isView(9))), ...(await page.rest()));
    expect(eventSeqs(got, 2)).toEqual(range(3, 9));
    expect(got.filter((m) => m.type === 'welcome')).toHaveLength(1);
    // Views buffered during the replay are older than the one sent after it: not sent again.
    if (!opts.deliverLate) expect(got.flatMap((m) => (m.type === 'view' ? [m.seq] : []))).toEqual([8, 9]);
  });

  it('keeps order under a stream of events during slow replays of several pages', async () => {
    let lab!: FakeLabChannel;
    ({ lab } = await setUp({ duringEventsSince: () => sleep(5) }));
    lab.appendMany(10);
    const ticker = setInterval(() => lab.appendMany(2), 3);
    const pages = await Promise.all([0, 4, 10].map(async (since) => {
      const page = await connect(server!.url('lab-1'));
      clients.push(page);
      page.hello(since);
      return { page, since };
    }));
    await sleep(120);
    clearInterval(ticker);
    const end = lab.log.length;
    for (const { page, since } of pages) {
      const got = await page.until(isView(end));
      expect(eventSeqs(got, since)).toEqual(range(since + 1, end));
    }
  });

  it('forwards a view that changed without a new event', async () => {
    const { lab, open } = await setUp();
    lab.appendMany(1);
    const page = await open();
    page.hello(1);
    await page.until(isView(1));
    lab.relabel('Host powered off');
    expect(await page.next('view')).toMatchObject({ seq: 1, lab: { label: 'Host powered off' } });
  });
});

describe('a lab that fails', () => {
  it('is reported to the server log, told to the page without details, and the socket closed', async () => {
    const { lab, open } = await setUp();
    lab.failReads = true;
    const page = await open();
    page.hello();
    page.send({ type: 'ping' });
    expect(await page.next('error')).toEqual({ type: 'error', code: 'lab-unavailable', message: '[lab-socket] the lab did not answer; reconnect in a moment' });
    expect(await page.closed).toEqual({ code: LAB_SOCKET_CLOSE.internalError, reason: '[lab-socket] the lab failed; reconnect in a moment' });
    expect(page.messages.map((m) => m.type)).toEqual(['error']);
    expect(server!.errors.map((e) => (e.cause as Error).message)).toEqual(['fake lab: the view is unreadable']);
    expect(lab.listenerCount).toBe(0);
  });
});

describe('the first frame', () => {
  it('must be hello: anything else gets an error and a protocol-error close', async () => {
    const { lab, open } = await setUp();
    const page = await open();
    page.send({ type: 'ping' });
    expect(await page.next('error')).toEqual({ type: 'error', code: 'bad-message', message: expect.stringMatching(new RegExp(`^\\[lab-socket\\] the first message must be \\{"type":"hello","version":${PROTOCOL_VERSION}\\}, not ping`)) });
    expect(await page.closed).toEqual({ code: LAB_SOCKET_CLOSE.protocolError, reason: '[lab-socket] the first message must be hello' });
    expect(lab.listenerCount).toBe(0);
  });

  it('must parse: garbage is named and the socket closed', async () => {
    const { open } = await setUp();
    const page = await open();
    page.send('{"type":"hello","version":1');
    expect(await page.next('error')).toMatchObject({ code: 'bad-json', message: expect.stringContaining('not JSON') });
    expect((await page.closed).code).toBe(LAB_SOCKET_CLOSE.protocolError);
  });

  it('with another protocol version gets version-mismatch', async () => {
    const { open } = await setUp();
    const page = await open();
    page.send({ type: 'hello', version: PROTOCOL_VERSION + 1 });
    expect(await page.next('error')).toMatchObject({ code: 'version-mismatch', message: expect.stringContaining(`speaks protocol version ${PROTOCOL_VERSION + 1}`) });
    expect(await page.closed).toEqual({ code: LAB_SOCKET_CLOSE.versionMismatch, reason: `[lab-socket] this lab server speaks protocol version ${PROTOCOL_VERSION}; reload the page` });
  });

  it('must come in time', async () => {
    const { open } = await setUp({}, { helloTimeoutMs: 50 });
    const page = await open();
    expect(await page.closed).toEqual({ code: LAB_SOCKET_CLOSE.protocolError, reason: '[lab-socket] no hello within 0.05 s' });
  });

  it('in time keeps the connection up past the hello timeout', async () => {
    const { open } = await setUp({}, { helloTimeoutMs: 50 });
    const page = await open();
    page.hello();
    await page.next('view');
    await sleep(100);
    page.send({ type: 'ping' });
    expect(await page.next('pong')).toEqual({ type: 'pong' });
  });
});

describe('bad frames after hello', () => {
  // [case, frame, code, what the message must name]
  const bad: [string, string | Buffer, string, string][] = [
    ['not JSON', 'POWER_ON', 'bad-json', 'not JSON'],
    ['an unknown type', '{"type":"launch"}', 'bad-message', 'unknown message type "launch"'],
    ['a command with a bad target', '{"type":"command","id":"c1","target":{"kind":"host","hostId":"a/b"},"name":"POWER_ON"}', 'bad-message', 'command.target.hostId'],
    ['console input that is not base64', '{"type":"console.input","hostId":"edge-1","data":"ls"}', 'bad-message', 'console.input.data'],
    ['a binary frame', Buffer.from('{"type":"ping"}'), 'bad-message', 'binary frames are not part of the lab protocol'],
    ['a second hello', `{"type":"hello","version":${PROTOCOL_VERSION}}`, 'bad-message', 'hello was already received'],
  ];
  it.each(bad)('%s is answered with an error naming it, and the connection stays up', async (_name, frame, code, fragment) => {
    const { open } = await setUp();
    const page = await open();
    page.hello();
    await page.next('view');
    page.ws.send(frame);
    const error = await page.next('error');
    expect(error).toMatchObject({ code, message: expect.stringContaining(fragment) });
    expect(error.type === 'error' && error.message).not.toMatch(/\n\s+at /);
    page.send({ type: 'ping' });
    expect(await page.next('pong')).toEqual({ type: 'pong' });
  });

  it('refuses an oversized frame by closing with 1009', async () => {
    const { lab, open } = await setUp();
    const page = await open();
    page.hello();
    await page.next('view');
    page.send({ type: 'command', id: 'big', target: { kind: 'lab' }, name: 'X', args: { pad: 'x'.repeat(MAX_CLIENT_FRAME_BYTES) } });
    expect((await page.closed).code).toBe(LAB_SOCKET_CLOSE.tooBig);
    expect(lab.commands).toEqual([]);
  });
});

describe('commands', () => {
  it('are carried out with the session role and answered with the same id', async () => {
    const { lab, open } = await setUp();
    lab.onCommand = (c) => (c.name === 'POWER_OFF' ? { ok: false, code: 'not-allowed', message: 'the host is already off' } : { ok: true });
    const page = await open();
    page.hello();
    page.send({ type: 'command', id: 'c1', target: { kind: 'host', hostId: 'edge-1' }, name: 'INSERT_USB', args: { image: 'installer.img' } });
    page.send({ type: 'command', id: 'c2', target: { kind: 'host', hostId: 'edge-1' }, name: 'POWER_OFF' });
    expect(await page.next('command.result')).toEqual({ type: 'command.result', id: 'c1', ok: true });
    expect(await page.next('command.result')).toEqual({ type: 'command.result', id: 'c2', ok: false, error: { code: 'not-allowed', message: 'the host is already off' } });
    expect(lab.commands).toEqual([
      { target: { kind: 'host', hostId: 'edge-1' }, name: 'INSERT_USB', args: { image: 'installer.img' }, role: 'solo' },
      { target: { kind: 'host', hostId: 'edge-1' }, name: 'POWER_OFF', role: 'solo' },
    ]);
  });

  it('that fail inside the lab get a generic result, and the failure goes to the server log', async () => {
    const { lab, open } = await setUp();
    lab.onCommand = () => Promise.reject(new Error('database is locked'));
    const page = await open();
    page.hello();
    page.send({ type: 'command', id: 'c1', target: { kind: 'lab' }, name: 'START' });
    const result = await page.next('command.result');
    expect(result).toEqual({ type: 'command.result', id: 'c1', ok: false, error: { code: 'command-failed', message: "[lab-socket] the lab failed to carry out START; see the lab server's log" } });
    expect(server!.errors.map((e) => [e.message, (e.cause as Error).message])).toEqual([['[lab-socket] lab lab-1: command START failed', 'database is locked']]);
  });

  it('with a code that is not kebab-case are still answered validly', async () => {
    const { lab, open } = await setUp();
    lab.onCommand = () => ({ ok: false, code: 'Not Allowed', message: 'no' });
    const page = await open();
    page.hello();
    page.send({ type: 'command', id: 'c1', target: { kind: 'lab' }, name: 'START' });
    expect(await page.next('command.result')).toMatchObject({ ok: false, error: { code: 'command-refused', message: 'no' } });
  });

  it('reusing a pending id is an error and runs nothing', async () => {
    const { lab, open } = await setUp();
    let release!: () => void;
    lab.onCommand = () => new Promise((resolve) => (release = () => resolve({ ok: true })));
    const page = await open();
    page.hello();
    page.send({ type: 'command', id: 'c1', target: { kind: 'lab' }, name: 'START' });
    page.send({ type: 'command', id: 'c1', target: { kind: 'lab' }, name: 'STOP' });
    expect(await page.next('error')).toMatchObject({ code: 'duplicate-command-id' });
    release();
    expect(await page.next('command.result')).toEqual({ type: 'command.result', id: 'c1', ok: true });
    expect(lab.commands.map((c) => c.name)).toEqual(['START']);
  });
});

describe('liveness', () => {
  it('a ping right after hello is answered with pong, after the welcome', async () => {
    const { open } = await setUp();
    const page = await open();
    page.hello();
    page.send({ type: 'ping' });
    const got = await page.until((m) => m.type === 'pong');
    expect(got[0]?.type).toBe('welcome');
  });

  it('a page that answers no WebSocket ping is dropped, and its subscription with it', async () => {
    const { lab, open } = await setUp({}, { heartbeatMs: 100 });
    const healthy = await open();
    const dead = await open();
    healthy.hello();
    dead.hello();
    await Promise.all([healthy.next('view'), dead.next('view')]);
    dead.ws.pause(); // reads nothing, so answers no ping
    await expect.poll(() => lab.listenerCount, { timeout: 2000 }).toBe(1);
    healthy.send({ type: 'ping' });
    expect(await healthy.next('pong')).toEqual({ type: 'pong' });
  });
});
