// A hostile page for tests and the benchmark: a lab socket opened over a bare TCP connection,
// writing pre-built frames as fast as the kernel takes them (a `ws` client would spend more time
// framing than the server spends reading, and would share this process's event loop doing it).
// Loopback only: the URL must name 127.0.0.1.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '../../pure/protocol';

export interface CloseSeen {
  code: number;
  reason: string;
}

/** `count` masked client text frames carrying `text` (mask key 0: the payload goes as it is). */
export function textFrames(text: string, count: number): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (payload.length > 125) throw new RangeError('[flood-kit] frames here carry at most 125 bytes');
  const one = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
  return Buffer.concat(Array.from({ length: count }, () => one));
}

/** `count` masked WebSocket ping control frames with no payload. */
export function controlPingFrames(count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, () => Buffer.from([0x89, 0x80, 0, 0, 0, 0])));
}

/** About 64 KiB of protocol pings (21 bytes each). */
export const PING_FRAMES = textFrames('{"type":"ping"}', Math.floor((64 * 1024) / 21));

export class RawLabSocket {
  /** Text frames the server sent, as received. */
  readonly texts: string[] = [];
  /** Resolves with the server's close frame, or code 1006 when the connection ended without one. */
  readonly closed: Promise<CloseSeen>;
  private pending: Buffer = Buffer.alloc(0);
  private seen: ((c: CloseSeen) => void) | undefined;
  private done = false;

  private constructor(readonly socket: Socket, rest: Buffer) {
    this.closed = new Promise((resolve) => (this.seen = resolve));
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('close', () => this.finish({ code: 1006, reason: '' }));
    socket.on('error', () => {});
    if (rest.length) this.read(rest);
  }

  /** Opens `url` (ws://127.0.0.1:<port>/labs/<id>/socket?token=…) and says hello. */
  static async open(url: string, origin?: string): Promise<RawLabSocket> {
    const u = new URL(url);
    if (u.hostname !== '127.0.0.1') throw new Error(`[flood-kit] loopback only, not ${u.hostname}`);
    const socket = connect(Number(u.port), '127.0.0.1');
    socket.setNoDelay(true);
    await once(socket, 'connect');
    socket.write([
      `GET ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, 'Upgrade: websocket', 'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13',
      ...(origin ? [`Origin: ${origin}`] : []), '', '',
    ].join('\r\n'));
    let head = Buffer.alloc(0);
    for (;;) {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) continue;
      const status = head.subarray(0, head.indexOf('\r\n')).toString();
      if (!status.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        throw new Error(`[flood-kit] the upgrade was refused: ${head.toString().slice(0, 300)}`);
      }
      socket.pause();
      const raw = new RawLabSocket(socket, head.subarray(end + 4));
      socket.resume();
      raw.write(textFrames(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION }), 1));
      return raw;
    }
  }

  /** Writes; false when the kernel's buffer is full (wait for drain) or the socket is gone. */
  write(frames: Buffer): boolean {
    return !this.socket.destroyed && this.socket.write(frames);
  }

  /**
   * Writes `frames` over and over until the server closes (returned), or `ms` pass (then null);
   * the connection is dropped either way. With `ignoreClose`, as the most hostile page would, it
   * goes on writing after the server's close frame until the server drops the connection.
   */
  async flood(frames: Buffer, ms: number, opts: { ignoreClose?: boolean } = {}): Promise<{ close: CloseSeen | null; bytesWritten: number }> {
    let bytes = 0;
    let close: CloseSeen | null = null;
    let gone = false;
    let wake: () => void = () => {};
    const woken = (): Promise<void> => new Promise((resolve) => (wake = resolve));
    void this.closed.then((c) => {
      close = c;
      if (!opts.ignoreClose) wake();
    });
    const onGone = (): void => {
      gone = true;
      wake();
    };
    const onDrain = (): void => wake();
    this.socket.once('close', onGone);
    this.socket.on('drain', onDrain);
    const timer = setTimeout(onGone, ms);
    while ((close === null || opts.ignoreClose) && !gone) {
      bytes += frames.length;
      if (!this.write(frames)) await woken(); // the kernel's buffers are full: wait for room
      else await new Promise((resolve) => setImmediate(resolve)); // let this process's replies and timers run
    }
    clearTimeout(timer);
    this.socket.off('drain', onDrain);
    this.socket.destroy();
    return { close, bytesWritten: bytes };
  }

  destroy(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const b = this.pending;
      if (b.length < 2) return;
      let len = b[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + len) return;
      const opcode = b[0]! & 0x0f;
      const payload = b.subarray(at, at + len);
      this.pending = b.subarray(at + len);
      if (opcode === 0x1) this.texts.push(payload.toString('utf8'));
      if (opcode === 0x8) this.finish({ code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') });
    }
  }

  private finish(c: CloseSeen): void {
    if (this.done) return;
    this.done = true;
    this.seen?.(c);
  }
}
