import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, textToBase64 } from '../../../simulator/pure/protocol';
import { LabConnection, QUEUE_RETRY_MS, queuedProblem, TOO_MANY_MESSAGES_RETRY_MS } from './connection';
import { consoleText } from './console-buffer';
import { LabClientError, LabCommandRefused } from './errors';
import { fakeTokens, FakeWebSocket, flush, labView } from './test-fakes';

const event = (seq: number, type = 'host.powered-on') => ({ type: 'event' as const, seq, at: seq, event: { type } });

async function connected(tokens = fakeTokens(), seq = 0) {
  const conn = new LabConnection({ session: tokens, WebSocket: FakeWebSocket, backoff: { initialMs: 100, maxMs: 1000 } });
  conn.connect();
  await flush();
  const ws = FakeWebSocket.last();
  ws.accept('lab-1', seq);
  return { conn, ws, tokens };
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('LabConnection', () => {
  it('says hello with the protocol version, and keeps the view and the events', async () => {
    const { conn, ws } = await connected();
    expect(ws.url).toBe('ws://127.0.0.1:4100/labs/lab-1/socket?token=t1');
    expect(ws.sent).toEqual([{ type: 'hello', version: PROTOCOL_VERSION, since: 0 }]);
    ws.receive(event(1));
    ws.receive(event(2, 'host.booted'));
    ws.receive({ type: 'view', seq: 2, lab: labView() });
    expect(conn.getSnapshot()).toMatchObject({ status: 'open', labId: 'lab-1', role: 'solo', seq: 2, view: labView(), problem: null });
    expect(conn.getSnapshot().events.map((e) => e.event.type)).toEqual(['host.powered-on', 'host.booted']);
  });

  it('returns the same snapshot and view objects while nothing changed', async () => {
    const { conn, ws } = await connected();
    ws.receive({ type: 'view', seq: 1, lab: labView() });
    const first = conn.getSnapshot();
    const listener = vi.fn();
    conn.subscribe(listener);
    ws.receive({ type: 'view', seq: 1, lab: labView() }); // an equal view, e.g. after a reconnect
    ws.receive({ type: 'pong' });
    expect(conn.getSnapshot()).toBe(first);
    expect(listener).not.toHaveBeenCalled();
    ws.receive({ type: 'view', seq: 2, lab: labView({ label: 'Build the installer' }) });
    expect(conn.getSnapshot()).not.toBe(first);
    expect(conn.getSnapshot().view?.label).toBe('Build the installer');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('reconnects with since= after 1006 and keeps each event once', async () => {
    const { conn, ws } = await connected();
    ws.receive(event(1));
    ws.receive(event(2));
    ws.serverClose(1006);
    expect(conn.getSnapshot()).toMatchObject({ status: 'reconnecting', retryInMs: 100, problem: { code: 'connection-lost' } });
    await vi.advanceTimersByTimeAsync(100);
    const again = FakeWebSocket.last();
    expect(again).not.toBe(ws);
    again.accept('lab-1', 3);
    expect(again.sent[0]).toEqual({ type: 'hello', version: PROTOCOL_VERSION, since: 2 });
    again.receive(event(2)); // a replayed duplicate
    again.receive(event(3));
    expect(conn.getSnapshot().events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(conn.getSnapshot()).toMatchObject({ status: 'open', problem: null });
  });

  it('backs off between failed attempts on 1001 and 1011, and reconnects at once on 4000', async () => {
    const { conn, ws } = await connected();
    ws.serverClose(1001, 'shutting down');
    expect(conn.getSnapshot().retryInMs).toBe(100);
    await vi.advanceTimersByTimeAsync(100);
    FakeWebSocket.last().open();
    FakeWebSocket.last().serverClose(1011);
    expect(conn.getSnapshot().retryInMs).toBe(200);
    await vi.advanceTimersByTimeAsync(200);
    FakeWebSocket.last().accept('lab-1');
    FakeWebSocket.last().serverClose(4000);
    expect(conn.getSnapshot()).toMatchObject({ status: 'reconnecting', retryInMs: 0, problem: { code: 'fell-behind' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(4);
  });

  it('renews the token on 4002 and reconnects with the new one', async () => {
    const { conn, ws, tokens } = await connected();
    ws.receive(event(5));
    ws.serverClose(4002, 'token expired');
    await vi.advanceTimersByTimeAsync(0);
    expect(tokens.refreshes).toBe(1);
    const again = FakeWebSocket.last();
    expect(again.token).toBe('t2');
    again.accept('lab-1', 5);
    expect(again.sent[0]).toMatchObject({ type: 'hello', since: 5 });
    expect(conn.getSnapshot().status).toBe('open');
  });

  it('stops on 4001 and says to reload the page', async () => {
    const { conn, ws } = await connected();
    ws.serverClose(4001);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(conn.getSnapshot()).toMatchObject({ status: 'stopped', problem: { code: 'version-mismatch', message: expect.stringMatching(/^\[lab-client\] .*reload the page/) } });
  });

  it('stops when welcome carries another protocol version', async () => {
    const conn = new LabConnection({ session: fakeTokens(), WebSocket: FakeWebSocket });
    conn.connect();
    await flush();
    const ws = FakeWebSocket.last();
    ws.open();
    ws.receive(JSON.stringify({ type: 'welcome', version: PROTOCOL_VERSION + 1, labId: 'lab-1', role: 'solo', seq: 0 }));
    expect(conn.getSnapshot()).toMatchObject({ status: 'stopped', problem: { code: 'version-mismatch' } });
    expect(ws.closedByClient).toBe(1000);
  });

  it('drops what it had when the lab log started over (welcome.seq < since)', async () => {
    const { conn, ws } = await connected();
    ws.receive(event(7));
    ws.serverClose(1001);
    await vi.advanceTimersByTimeAsync(100);
    FakeWebSocket.last().accept('lab-1', 2);
    FakeWebSocket.last().receive(event(1, 'lab.reset'));
    expect(conn.getSnapshot().events.map((e) => [e.seq, e.event.type])).toEqual([[1, 'lab.reset']]);
  });

  it('resolves a command from its result, rejects a refusal with the lab\'s message, and rejects pending ones on close', async () => {
    const { conn, ws } = await connected();
    const ok = conn.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
    const refused = conn.command({ kind: 'host', hostId: 'edge-host-1' }, 'INSERT_USB');
    const lost = conn.command({ kind: 'lab' }, 'RESTART');
    const [c1, c2] = ws.sent.slice(1) as { id: string }[];
    expect(ws.sent[1]).toEqual({ type: 'command', id: c1!.id, target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_ON' });
    ws.receive({ type: 'command.result', id: c1!.id, ok: true });
    ws.receive({ type: 'command.result', id: c2!.id, ok: false, error: { code: 'bad-args', message: 'INSERT_USB needs args.image' } });
    await expect(ok).resolves.toBeUndefined();
    const err = await refused.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabCommandRefused);
    expect(err).toMatchObject({ message: '[lab-client] INSERT_USB was refused: INSERT_USB needs args.image', serverCode: 'bad-args', serverMessage: 'INSERT_USB needs args.image' });
    ws.serverClose(1006);
    await expect(lost).rejects.toThrow(/^\[lab-client\] RESTART got no answer: the lab socket closed \(1006\)/);
  });

  it('rejects a command while not connected, and a malformed one before it is sent', async () => {
    const conn = new LabConnection({ session: fakeTokens(), WebSocket: FakeWebSocket });
    await expect(conn.command({ kind: 'lab' }, 'RESTART')).rejects.toMatchObject({ code: 'not-connected' });
    conn.connect();
    await flush();
    const ws = FakeWebSocket.last();
    ws.accept('lab-1');
    await expect(conn.command({ kind: 'host', hostId: 'edge-host-1' }, 'DANCE')).rejects.toThrow(/^\[lab-client\] this page built a bad "command" frame: command.name: DANCE is not a host command/);
    expect(ws.sent).toHaveLength(1);
  });

  it('builds a host console from history and output with overlapping offsets, and re-attaches after a reconnect', async () => {
    const { conn, ws } = await connected();
    const heard: string[] = [];
    conn.subscribeConsole('edge-host-1', (b) => heard.push(new TextDecoder().decode(b)));
    conn.attachConsole('edge-host-1');
    expect(ws.sent.at(-1)).toEqual({ type: 'console.attach', hostId: 'edge-host-1' });
    ws.receive({ type: 'console.history', hostId: 'edge-host-1', data: textToBase64('login: '), offset: 100 });
    ws.receive({ type: 'console.output', hostId: 'edge-host-1', data: textToBase64(': root\n'), offset: 105 });
    const before = conn.getConsoleSnapshot('edge-host-1');
    expect(consoleText(before)).toBe('login: root\n');
    expect(before).toMatchObject({ endOffset: 112, gaps: [] });
    ws.serverClose(1001);
    await vi.advanceTimersByTimeAsync(100);
    const again = FakeWebSocket.last();
    again.accept('lab-1');
    expect(again.sent.at(-1)).toEqual({ type: 'console.attach', hostId: 'edge-host-1' });
    again.receive({ type: 'console.history', hostId: 'edge-host-1', data: textToBase64('login: root\n'), offset: 100 });
    expect(conn.getConsoleSnapshot('edge-host-1')).toBe(before); // nothing new: same snapshot
    again.receive({ type: 'console.output', hostId: 'edge-host-1', data: textToBase64('# '), offset: 120 });
    expect(consoleText(conn.getConsoleSnapshot('edge-host-1'))).toBe('login: root\n# ');
    expect(conn.getConsoleSnapshot('edge-host-1').gaps).toEqual([{ offset: 112, missing: 8 }]);
    expect(heard).toEqual(['login: ', 'root\n', '# ']);
    conn.consoleInput('edge-host-1', 'ls\n');
    expect(again.sent.at(-1)).toEqual({ type: 'console.input', hostId: 'edge-host-1', data: textToBase64('ls\n') });
    conn.detachConsole('edge-host-1');
    expect(again.sent.at(-1)).toEqual({ type: 'console.detach', hostId: 'edge-host-1' });
  });

  it('asks the session after a socket that never opened, and stops when the lab is gone', async () => {
    const { conn, ws, tokens } = await connected();
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(100);
    tokens.fail = new LabClientError('lab lab-1 no longer exists', 'lab-gone');
    FakeWebSocket.last().serverClose(1006); // refused before opening
    await vi.advanceTimersByTimeAsync(0);
    expect(tokens.refreshes).toBe(1);
    expect(conn.getSnapshot()).toMatchObject({ status: 'stopped', problem: { code: 'lab-gone' } });
  });

  it('keeps retrying while the simulator is unreachable', async () => {
    const tokens = fakeTokens();
    tokens.fail = new LabClientError('the lab simulator does not answer; start it with npm start', 'simulator-unreachable');
    const conn = new LabConnection({ session: tokens, WebSocket: FakeWebSocket, backoff: { initialMs: 100 } });
    conn.connect();
    await flush();
    expect(conn.getSnapshot()).toMatchObject({ status: 'reconnecting', retryInMs: 100, problem: { code: 'simulator-unreachable' } });
    tokens.fail = null;
    await vi.advanceTimersByTimeAsync(100);
    FakeWebSocket.last().accept('lab-1');
    expect(conn.getSnapshot()).toMatchObject({ status: 'open', problem: null });
  });

  it('waits its turn on 4003: says the queue position, asks again every few seconds, and clears it once welcomed', async () => {
    const { conn, ws } = await connected();
    ws.receive(event(4));
    ws.serverClose(4003, 'queued 3');
    expect(conn.getSnapshot()).toMatchObject({
      status: 'reconnecting', retryInMs: QUEUE_RETRY_MS,
      problem: { code: 'queued', queuePosition: 3, message: '[lab-client] the lab waits for a free place: you are number 3 in the queue' },
    });
    await vi.advanceTimersByTimeAsync(QUEUE_RETRY_MS - 1);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    // Still full, even before the socket opened: the position moves up, the delay stays the same.
    FakeWebSocket.last().serverClose(4003, 'queued 1');
    expect(conn.getSnapshot()).toMatchObject({ status: 'reconnecting', retryInMs: QUEUE_RETRY_MS, problem: { code: 'queued', queuePosition: 1 } });
    await vi.advanceTimersByTimeAsync(QUEUE_RETRY_MS);
    const admitted = FakeWebSocket.last();
    admitted.accept('lab-1', 4);
    expect(admitted.sent[0]).toMatchObject({ type: 'hello', since: 4 });
    expect(conn.getSnapshot()).toMatchObject({ status: 'open', problem: null });
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it('on 4004 (sent too much) shows the server\'s reason, rejects waiting commands and reconnects after a pause that grows', async () => {
    const { conn, ws } = await connected();
    ws.receive(event(7));
    const waiting = conn.command({ kind: 'lab' }, 'CHECK');
    const reason = '[lab-socket] this page sent over 100 messages/s (bursts of 400); closed, it reconnects after a pause';
    ws.serverClose(4004, reason);
    await expect(waiting).rejects.toThrow(/4004/);
    expect(conn.getSnapshot()).toMatchObject({
      status: 'reconnecting', retryInMs: TOO_MANY_MESSAGES_RETRY_MS,
      problem: {
        code: 'too-many-messages',
        message: '[lab-client] the lab server closed the connection: this page sent over 100 messages/s (bursts of 400); closed, it reconnects after a pause. Reconnecting in 5 s; commands still waiting for an answer may not have been carried out.',
      },
    });
    await vi.advanceTimersByTimeAsync(TOO_MANY_MESSAGES_RETRY_MS - 1);
    expect(FakeWebSocket.instances).toHaveLength(1); // no hammering: nothing before the pause is over
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    const again = FakeWebSocket.last();
    expect(FakeWebSocket.instances).toHaveLength(2);
    // Closed again before a welcome: the pause does not shrink (it grows once the backoff passes it).
    again.serverClose(4004, reason);
    expect(conn.getSnapshot().retryInMs).toBeGreaterThanOrEqual(TOO_MANY_MESSAGES_RETRY_MS);
    await vi.advanceTimersByTimeAsync(TOO_MANY_MESSAGES_RETRY_MS);
    await flush();
    FakeWebSocket.last().accept('lab-1', 7);
    expect(FakeWebSocket.last().sent[0]).toMatchObject({ type: 'hello', since: 7 });
    expect(conn.getSnapshot()).toMatchObject({ status: 'open', problem: null });
  });

  it('reads the queue position from the close reason, and does without one', () => {
    expect(queuedProblem('queued 12')).toMatchObject({ code: 'queued', queuePosition: 12, message: expect.stringMatching(/number 12 in the queue$/) });
    expect(queuedProblem('')).toEqual({ code: 'queued', message: '[lab-client] the lab waits for a free place on this machine' });
    expect(queuedProblem('queued soon')).not.toHaveProperty('queuePosition');
  });

  it('close() stops for good and rejects what is pending', async () => {
    const { conn, ws } = await connected();
    const pending = conn.command({ kind: 'lab' }, 'RESTART');
    conn.close();
    expect(ws.closedByClient).toBe(1000);
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    expect(conn.getSnapshot()).toMatchObject({ status: 'stopped', problem: null });
  });
});
