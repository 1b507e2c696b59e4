/**
 * Scripted fake QEMU monitor for QmpClient tests. It speaks QMP on the server
 * side of a duplex (a `createDuplexPair()` end or an accepted net.Socket):
 * sends the greeting, answers `qmp_capabilities` itself, and asks the script
 * for everything else. Each command is handled as soon as its line arrives
 * (no serialisation here), so a client that pipelines commands would show up
 * in `log` as a second `recv` before the first `send`.
 */
import { Duplex } from 'node:stream';

export type FakeQmpReply =
  | { return: unknown }
  | { error: { class: string; desc: string } }
  | { event: string; data?: unknown }
  /** Sent verbatim plus "\n" (for malformed-input tests). */
  | { raw: string };

/** Return/error replies get the command's id; events get a timestamp. */
export type FakeQmpScript = (
  command: string,
  args: Record<string, unknown> | undefined,
) => FakeQmpReply | FakeQmpReply[] | Promise<FakeQmpReply | FakeQmpReply[]>;

export interface FakeQmpOptions {
  /** false: never send the greeting (handshake-timeout tests). */
  greeting?: boolean;
  /** Overrides the default `{return: {}}` answer to qmp_capabilities. */
  capabilitiesReply?: FakeQmpReply;
}

export interface FakeQmpServer {
  /** Ordered trace: `recv <command>` on arrival, `send <command>` as its replies go out. */
  readonly log: string[];
  readonly received: Array<{ command: string; args?: Record<string, unknown>; id?: unknown }>;
  sendEvent(event: string, data?: unknown): void;
  /** Hangs up gracefully (like QEMU closing the monitor). */
  end(): void;
}

export const FAKE_QMP_GREETING = {
  QMP: { version: { qemu: { major: 8, minor: 2, micro: 2 }, package: 'fake' }, capabilities: ['oob'] },
};

export function startFakeQmpServer(
  side: Duplex,
  respond: FakeQmpScript = () => ({ return: {} }),
  opts: FakeQmpOptions = {},
): FakeQmpServer {
  const log: string[] = [];
  const received: FakeQmpServer['received'] = [];
  const send = (obj: unknown) => {
    if (!side.destroyed && !side.writableEnded) side.write(`${JSON.stringify(obj)}\r\n`);
  };
  const timestamp = () => {
    const ms = Date.now();
    return { seconds: Math.floor(ms / 1000), microseconds: (ms % 1000) * 1000 };
  };
  const sendReply = (reply: FakeQmpReply, id: unknown) => {
    if ('raw' in reply) {
      if (!side.destroyed && !side.writableEnded) side.write(`${reply.raw}\n`);
    } else if ('event' in reply) send({ event: reply.event, data: reply.data, timestamp: timestamp() });
    else send(id === undefined ? reply : { ...reply, id });
  };

  const handle = async (line: string) => {
    const msg = JSON.parse(line) as { execute: string; arguments?: Record<string, unknown>; id?: unknown };
    log.push(`recv ${msg.execute}`);
    received.push({ command: msg.execute, args: msg.arguments, id: msg.id });
    const replies =
      msg.execute === 'qmp_capabilities'
        ? (opts.capabilitiesReply ?? { return: {} })
        : await respond(msg.execute, msg.arguments);
    log.push(`send ${msg.execute}`); // before writing: an in-memory peer may react synchronously
    for (const reply of Array.isArray(replies) ? replies : [replies]) sendReply(reply, msg.id);
  };

  let buffer = '';
  side.setEncoding('utf8');
  side.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) void handle(line);
  });
  side.on('end', () => side.end());
  side.on('error', () => {}); // the client side may reset the connection

  if (opts.greeting !== false) send(FAKE_QMP_GREETING);
  return {
    log,
    received,
    sendEvent: (event, data) => sendReply({ event, data }, undefined),
    end: () => side.end(),
  };
}

/**
 * In-memory connected pair: bytes written to one end are read from the other;
 * ending one end ends the other's readable side; destroying one end makes the
 * other see end-of-stream (like a socket whose peer went away).
 */
export function createDuplexPair(): [client: Duplex, server: Duplex] {
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
      destroy(err, callback) {
        if (!peer().destroyed) peer().push(null);
        callback(err);
      },
    });
  const client: Duplex = make(() => server);
  const server: Duplex = make(() => client);
  return [client, server];
}
