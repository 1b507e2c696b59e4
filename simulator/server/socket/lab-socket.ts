// One page's WebSocket to one lab, speaking the protocol in pure/protocol: hello → welcome, the
// replay and the view (lab-stream.ts), then live updates, commands, consoles and pings.
// Every frame is parsed with the protocol's parser; a bad one gets an `error` frame naming what is
// wrong, never a stack trace. Nothing is dropped silently: a page that reads too slowly is closed
// with LAB_SOCKET_CLOSE.fellBehind and catches up with hello {since}. What a page may send is
// bounded (rate-limits.ts): past a limit the socket is closed with tooManyMessages, and what the
// page types into a host is bounded per host (console-input-budget.ts).
import { WebSocket, type RawData } from 'ws';
import { base64ToBytes, parseClientMessage, PROTOCOL_VERSION, type ClientMessage, type LabRole, type ParseResult } from '../../pure/protocol';
import { closeReason, LAB_SOCKET_CLOSE } from '../../pure/protocol/close-codes';
import { viewForRole } from '../../pure/roles/may';
import { CommandRunner } from './command-runner';
import { ConsoleDropNotices } from './console-drop-notices';
import { ConsoleTaps } from './console-taps';
import { FrameSender } from './frame-sender';
import { LabChannelError, type LabChannel } from '../../labs/channel-contract';
import { LabStream } from './lab-stream';
import { DEFAULT_SOCKET_RATE_LIMITS, SocketRateLimiter, type SocketRateLimits } from './rate-limits';

export { MAX_PENDING_COMMANDS } from './command-runner';
export { REPLAY_PACE_BYTES } from './frame-sender';

/** Largest frame a page may send: a full console.input chunk in base64 plus room for JSON. */
export const MAX_CLIENT_FRAME_BYTES = 128 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
export const DEFAULT_HEARTBEAT_MS = 30_000;
/**
 * How long a socket closed for flooding may take to go: it is read no more meanwhile (a flood
 * that goes on after the close must cost nothing), so the page's answer to the close is not
 * awaited; the connection is dropped once the close frame has had time to reach the page.
 */
export const FLOOD_CLOSE_GRACE_MS = 1000;

export interface LabSocketOptions {
  /** Close with fellBehind once this much is queued on the socket. Default 8 MiB. */
  maxBufferedBytes?: number;
  /** Close with protocolError when no hello arrives in this time. Default 10 s. */
  helloTimeoutMs?: number;
  /** WebSocket ping interval; a peer that misses one pong is dropped. 0 turns it off. Default 30 s. */
  heartbeatMs?: number;
  /** What the page may send; see rate-limits.ts. Default DEFAULT_SOCKET_RATE_LIMITS. */
  rateLimits?: SocketRateLimits;
  /** Failures of the lab or of this server (never the page's mistakes), for the server log. */
  onError?: (err: Error) => void;
}

export interface LabSession {
  labId: string;
  role: LabRole;
}

export class LabSocketError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[lab-socket] ${message}`, options);
    this.name = 'LabSocketError';
  }
}

/**
 * Serves the protocol on an open socket until it closes. Resolves once the connection is over and
 * everything it held (the subscription, console taps, timers) is released; never rejects.
 */
export function handleLabSocket(ws: WebSocket, channel: LabChannel, session: LabSession, options: LabSocketOptions = {}): Promise<void> {
  return new LabSocketSession(ws, channel, session, options).run();
}

class LabSocketSession {
  private phase: 'hello' | 'open' | 'closed' = 'hello';
  /** Resolves true once `welcome` is out; frames after hello wait for it, so welcome comes first. */
  private welcomed: Promise<boolean> = Promise.resolve(false);
  private readonly sender: FrameSender;
  private readonly commands: CommandRunner;
  private readonly consoles: ConsoleTaps;
  private readonly drops: ConsoleDropNotices;
  private readonly limiter: SocketRateLimiter;
  private flooded = false;
  private readonly stream: LabStream;
  private helloTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private finished!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly ws: WebSocket,
    private readonly channel: LabChannel,
    private readonly session: LabSession,
    private readonly options: LabSocketOptions,
  ) {
    this.sender = new FrameSender(ws, {
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      onOverflow: () => this.fellBehind(),
      onBadFrame: (err) => this.fail(err),
    });
    const send = this.sender.send.bind(this.sender);
    this.commands = new CommandRunner(channel, session.role, send, (err, what) => this.report(err, what));
    this.consoles = new ConsoleTaps(channel, send);
    this.drops = new ConsoleDropNotices(send);
    this.limiter = new SocketRateLimiter(options.rateLimits ?? DEFAULT_SOCKET_RATE_LIMITS);
    this.stream = new LabStream(
      channel,
      { send, drained: () => this.sender.drained(), overflow: () => this.fellBehind() },
      (err) => this.fail(err),
      (view) => viewForRole(view, session.role),
    );
  }

  run(): Promise<void> {
    if (this.channel.labId !== this.session.labId) {
      this.fail(new LabSocketError(`the channel is for lab ${this.channel.labId}, the session for lab ${this.session.labId}`));
      return this.done;
    }
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.cleanup();
      return this.done;
    }
    this.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    // ws answers pings itself; counting them (and pongs) bounds what that costs.
    this.ws.on('ping', () => this.onControlFrame());
    this.ws.on('pong', () => this.onControlFrame());
    this.ws.on('close', () => this.cleanup());
    // ws reports a peer's bad framing here and closes the socket itself (1002, 1007, 1009).
    this.ws.on('error', () => {});
    const helloTimeoutMs = this.options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS;
    this.helloTimer = setTimeout(() => this.close(LAB_SOCKET_CLOSE.protocolError, `[lab-socket] no hello within ${helloTimeoutMs / 1000} s`), helloTimeoutMs);
    this.startHeartbeat();
    return this.done;
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    // What ws still parses of a flood after the close costs no more than this.
    if (this.flooded) return;
    // Counted before anything else, even once closed: a flood that goes on is cut all the same.
    const over = this.limiter.frame(frameBytes(data));
    if (over !== null) return this.tooMany(over);
    if (this.phase === 'closed') return;
    const parsed: ParseResult<ClientMessage> = isBinary
      ? { ok: false, error: { code: 'bad-message', message: '[lab-socket] binary frames are not part of the lab protocol; send each message as one JSON text frame' } }
      : parseClientMessage(frameText(data));
    if (this.phase === 'hello') return this.onFirstFrame(parsed);
    void this.welcomed.then((ok) => {
      if (ok && this.phase === 'open') this.dispatch(parsed);
    });
  }

  private onControlFrame(): void {
    if (this.flooded) return;
    const over = this.limiter.controlFrame();
    if (over !== null) this.tooMany(over);
  }

  /**
   * The page passed a limit: closed with tooManyMessages and `reason`, then read no more (ws would
   * go on parsing the flood until the page answers the close, up to 30 s), and dropped after a
   * grace. Idempotent.
   */
  private tooMany(reason: string): void {
    if (this.flooded) return;
    this.flooded = true;
    this.close(LAB_SOCKET_CLOSE.tooManyMessages, reason);
    this.ws.pause();
    const drop = setTimeout(() => this.ws.terminate(), FLOOD_CLOSE_GRACE_MS);
    drop.unref();
    this.ws.once('close', () => clearTimeout(drop));
  }

  private onFirstFrame(parsed: ParseResult<ClientMessage>): void {
    clearTimeout(this.helloTimer);
    if (!parsed.ok) {
      this.sender.send({ type: 'error', code: parsed.error.code, message: parsed.error.message });
      if (parsed.error.code === 'version-mismatch') {
        return this.close(LAB_SOCKET_CLOSE.versionMismatch, `[lab-socket] this lab server speaks protocol version ${PROTOCOL_VERSION}; reload the page`);
      }
      return this.close(LAB_SOCKET_CLOSE.protocolError, '[lab-socket] the first message must be a valid hello');
    }
    if (parsed.msg.type !== 'hello') {
      this.sender.send({ type: 'error', code: 'bad-message', message: `[lab-socket] the first message must be {"type":"hello","version":${PROTOCOL_VERSION}}, not ${parsed.msg.type}` });
      return this.close(LAB_SOCKET_CLOSE.protocolError, '[lab-socket] the first message must be hello');
    }
    this.phase = 'open';
    let welcomed!: (ok: boolean) => void;
    this.welcomed = new Promise((resolve) => (welcomed = resolve));
    const { labId, role } = this.session;
    this.stream
      .start(parsed.msg.since ?? 0, (seq) => welcomed(this.sender.send({ type: 'welcome', version: PROTOCOL_VERSION, labId, role, seq })))
      .catch((err: unknown) => this.fail(err))
      .finally(() => welcomed(false)); // no-op once welcomed; unblocks waiting frames after a failure
  }

  private dispatch(parsed: ParseResult<ClientMessage>): void {
    if (!parsed.ok) return void this.sender.send({ type: 'error', code: parsed.error.code, message: parsed.error.message });
    const msg = parsed.msg;
    switch (msg.type) {
      case 'hello':
        return void this.sender.send({ type: 'error', code: 'bad-message', message: '[lab-socket] hello was already received on this connection; send it once' });
      case 'ping':
        return void this.sender.send({ type: 'pong' });
      case 'command':
        return void this.commands.run(msg);
      case 'console.attach':
        try {
          this.consoles.attach(msg.hostId);
        } catch (err) {
          this.consoleFailed(msg.hostId, 'attach', err);
        }
        return;
      case 'console.detach':
        return this.consoles.detach(msg.hostId);
      case 'console.input': {
        const bytes = base64ToBytes(msg.data); // the parser checked it is base64
        // Called now, in frame order; an async wrapper turns a synchronous throw into a rejection.
        void (async () => this.channel.consoleInput(msg.hostId, bytes, this.session.role))().then(
          (receipt) => {
            if (receipt.dropped > 0 && this.phase === 'open') this.drops.dropped(msg.hostId, receipt);
          },
          (err: unknown) => this.consoleFailed(msg.hostId, 'input', err),
        );
        return;
      }
    }
  }

  private consoleFailed(hostId: string, what: 'attach' | 'input', err: unknown): void {
    if (err instanceof LabChannelError) return void this.sender.send({ type: 'error', code: err.code, message: err.message });
    this.report(err, `console ${what} for host ${hostId} failed`);
    this.sender.send({ type: 'error', code: 'console-failed', message: `[lab-socket] the console of host ${hostId} failed (${what}); see the lab server's log` });
  }

  private fellBehind(): void {
    this.close(LAB_SOCKET_CLOSE.fellBehind, '[lab-socket] the page fell behind the lab; reconnect with since=<last seq>');
  }

  /** A failure of the lab (or a bug here): reported, told to the page, and the socket closed. */
  private fail(err: unknown): void {
    if (this.phase === 'closed') return;
    this.report(err, 'the lab failed while serving a page');
    this.sender.send({ type: 'error', code: 'lab-unavailable', message: '[lab-socket] the lab did not answer; reconnect in a moment' });
    this.close(LAB_SOCKET_CLOSE.internalError, '[lab-socket] the lab failed; reconnect in a moment');
  }

  private report(err: unknown, what: string): void {
    const error = err instanceof LabSocketError ? err : new LabSocketError(`lab ${this.session.labId}: ${what}`, { cause: err });
    this.options.onError?.(error);
  }

  private startHeartbeat(): void {
    const every = this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    if (every <= 0) return;
    let answered = true;
    this.ws.on('pong', () => (answered = true));
    this.heartbeat = setInterval(() => {
      if (!answered) return void this.ws.terminate(); // a dead peer must not hold a subscription
      answered = false;
      this.ws.ping();
    }, every);
    this.heartbeat.unref();
  }

  /** Releases everything now, then closes the socket with `code` (the page still gets queued frames first). */
  private close(code: number, reason: string): void {
    this.cleanup();
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code, closeReason(reason));
  }

  private cleanup(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    clearTimeout(this.helloTimer);
    clearInterval(this.heartbeat);
    this.stream.stop();
    this.consoles.detachAll();
    this.drops.stop();
    this.sender.stop();
    this.finished();
  }
}

/** A frame's payload size in bytes. */
function frameBytes(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

/** A text frame's content; ws has already checked it is valid UTF-8 (else it closes with 1007). */
function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
