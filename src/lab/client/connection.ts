// LabConnection: the page's WebSocket to its lab, speaking simulator/pure/protocol. It says hello
// with `since` (the last event seq it saw), keeps the latest view and the recent events (each seq
// once), reconnects by itself when the server says it may (1001, 1006, 4000, 1011), after a pause
// when it sent too much (4004), renews the token on 4002 and stops on 4001. Commands settle from their command.result; consoles are kept
// per host from console.history and console.output. Every server frame goes through
// parseServerMessage and every client frame through encodeClientFrame.
import {
  base64ToBytes, bytesToBase64, MAX_CONSOLE_CHUNK_BYTES, parseServerMessage, PROTOCOL_VERSION,
  type ClientMessage, type CommandTarget, type LabEvent, type LabRole, type LabView, type ServerMessage,
} from '../../../simulator/pure/protocol';
import { Backoff, type BackoffOptions } from './backoff';
import { ConsoleBuffer, DEFAULT_MAX_CONSOLE_BYTES, type ConsoleSnapshot } from './console-buffer';
import { Listeners, type Unsubscribe } from './emitter';
import { LabClientError } from './errors';
import { encodeClientFrame } from './frames';
import { PendingCommands } from './pending-commands';
import type { LabTokenSource } from './session';
import { CLOSE, defaultWebSocket, RECONNECT_CODES, SOCKET_OPEN, type WebSocketConstructor, type WebSocketLike } from './socket-types';

export const DEFAULT_MAX_EVENTS = 200;
/** How long a lab waiting for a place (close 4003) waits before it asks again. */
export const QUEUE_RETRY_MS = 3_000;
/**
 * The least a page closed for sending too much (close 4004) waits before it reconnects: long
 * enough for the server's budget to refill, so whatever sent too much is not met by a reconnect
 * storm. Repeated closes wait longer (the backoff), until a connection is welcomed again.
 */
export const TOO_MANY_MESSAGES_RETRY_MS = 5_000;

/** A command's arguments, e.g. INSERT_USB {image: "installer.img"}: JSON values only. */
export type CommandArgs = NonNullable<Extract<ClientMessage, { type: 'command' }>['args']>;

export type LabConnectionStatus =
  /** Not started yet (connect() not called). */
  | 'idle'
  /** Opening the socket, or waiting for welcome. */
  | 'connecting'
  /** Welcomed: view, events and consoles are live and commands can be sent. */
  | 'open'
  /** Lost; the next attempt comes after `retryInMs` (see `problem` for why). */
  | 'reconnecting'
  /** Over: close() was called, or `problem` says why it cannot go on. */
  | 'stopped';

export interface SeqEvent {
  seq: number;
  at: number;
  event: LabEvent;
}

export interface ConnectionProblem {
  /** e.g. version-mismatch, lab-gone, simulator-unreachable, closed-1002, queued, or an `error` frame's code. */
  code: string;
  message: string;
  /** With code `queued` only: this lab's place in the queue (1 = next), when the server said it. */
  queuePosition?: number;
}

/** Immutable; getSnapshot() returns the same object until something in it changed. */
export interface LabConnectionSnapshot {
  status: LabConnectionStatus;
  labId: string | null;
  role: LabRole | null;
  /** The last event seq seen; what the next hello sends as `since`. */
  seq: number;
  view: LabView | null;
  /** The most recent events, oldest first, each seq once; at most maxEvents. */
  events: readonly SeqEvent[];
  problem: ConnectionProblem | null;
  /** While reconnecting: the delay before the next attempt. */
  retryInMs: number | null;
}

export interface LabConnectionOptions {
  session: LabTokenSource;
  /** Default globalThis.WebSocket, looked up on connect(). */
  WebSocket?: WebSocketConstructor;
  /** Recent events kept. Default 200. */
  maxEvents?: number;
  /** Console bytes kept per host. Default 256 KiB. */
  maxConsoleBytes?: number;
  backoff?: BackoffOptions;
  /** Check client frames against the protocol schemas before sending. Default: unless NODE_ENV is production. */
  validateFrames?: boolean;
}

export class LabConnection {
  private snapshot: LabConnectionSnapshot = { status: 'idle', labId: null, role: null, seq: 0, view: null, events: [], problem: null, retryInMs: null };
  private readonly listeners = new Listeners();
  private readonly consoleListeners = new Map<string, Listeners<[Uint8Array]>>();
  private readonly consoles = new Map<string, ConsoleBuffer>();
  /** Hosts whose console is attached, with how many callers asked for it. */
  private readonly attached = new Map<string, number>();
  private readonly pending = new PendingCommands();
  private readonly backoff: Backoff;
  private ws: WebSocketLike | null = null;
  private welcomed = false;
  private viewJson = '';
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: LabConnectionOptions) {
    this.backoff = new Backoff(options.backoff);
  }

  getSnapshot(): LabConnectionSnapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /** Starts connecting; does nothing while already connecting or open. */
  connect(): void {
    const s = this.snapshot.status;
    if (s === 'connecting' || s === 'open') return;
    this.clearRetry();
    void this.open();
  }

  /** Closes the socket for good (until connect() again); pending commands are rejected. */
  close(): void {
    this.stop(null);
  }

  /** Sends a command; resolves on ok, rejects with LabCommandRefused (the lab's message) or LabClientError. */
  command(target: CommandTarget, name: string, args?: CommandArgs): Promise<void> {
    if (!this.isLive()) {
      return Promise.reject(new LabClientError(`not connected to the lab (${this.snapshot.status}); ${name} was not sent`, 'not-connected'));
    }
    const { id, done } = this.pending.add(name);
    try {
      this.send({ type: 'command', id, target, name, ...(args ? { args } : {}) });
    } catch (err) {
      this.pending.fail(id, err instanceof Error ? err : new Error(String(err)));
    }
    return done;
  }

  /**
   * Asks for the host's console (history, then live output). Counted: each attach needs its own
   * detach, and the console stays attached while any caller holds it, across reconnects.
   */
  attachConsole(hostId: string): void {
    const n = this.attached.get(hostId) ?? 0;
    this.attached.set(hostId, n + 1);
    this.buffer(hostId);
    if (n === 0 && this.isLive()) this.send({ type: 'console.attach', hostId });
  }

  detachConsole(hostId: string): void {
    const n = this.attached.get(hostId) ?? 0;
    if (n > 1) return void this.attached.set(hostId, n - 1);
    if (n === 0) return;
    this.attached.delete(hostId);
    if (this.isLive()) this.send({ type: 'console.detach', hostId });
  }

  /** Types into the host's serial console; throws LabClientError when not connected. */
  consoleInput(hostId: string, input: string | Uint8Array): void {
    if (!this.isLive()) throw new LabClientError(`not connected to the lab (${this.snapshot.status}); the input for ${hostId} was not sent`, 'not-connected');
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    for (let at = 0; at < bytes.length; at += MAX_CONSOLE_CHUNK_BYTES) {
      this.send({ type: 'console.input', hostId, data: bytesToBase64(bytes.subarray(at, at + MAX_CONSOLE_CHUNK_BYTES)) });
    }
  }

  getConsoleSnapshot(hostId: string): ConsoleSnapshot {
    return this.buffer(hostId).getSnapshot();
  }

  /** `listener` gets the new bytes of each chunk (repeats already dropped). */
  subscribeConsole(hostId: string, listener: (fresh: Uint8Array) => void): Unsubscribe {
    let set = this.consoleListeners.get(hostId);
    if (!set) this.consoleListeners.set(hostId, (set = new Listeners<[Uint8Array]>()));
    return set.add(listener);
  }

  private async open(): Promise<void> {
    this.update({ status: 'connecting', retryInMs: null });
    const session = this.options.session;
    let token: string;
    try {
      token = await session.token();
    } catch (err) {
      return this.tokenFailed(err);
    }
    if (this.snapshot.status !== 'connecting') return; // closed meanwhile
    const Ctor = this.options.WebSocket ?? defaultWebSocket();
    if (!Ctor) return this.stop({ code: 'no-websocket', message: '[lab-client] this environment has no WebSocket; pass one as options.WebSocket' });
    const url = `${session.simulatorUrl.replace(/^http/, 'ws')}/labs/${session.labId}/socket?token=${encodeURIComponent(token)}`;
    const ws = new Ctor(url);
    this.ws = ws;
    this.welcomed = false;
    let opened = false;
    ws.onerror = () => {}; // every failure also comes as a close, which is handled below
    ws.onopen = () => {
      if (this.ws !== ws) return;
      opened = true;
      this.send({ type: 'hello', version: PROTOCOL_VERSION, since: this.snapshot.seq });
    };
    ws.onmessage = (event) => {
      if (this.ws === ws) this.receive(event.data);
    };
    ws.onclose = (event) => {
      if (this.ws === ws) this.closed(event.code, event.reason, opened);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return this.problem({ code: 'bad-message', message: '[lab-client] the lab server sent a binary frame; the lab protocol uses text frames only' });
    const parsed = parseServerMessage(data);
    if (!parsed.ok) {
      if (parsed.error.code === 'version-mismatch') return this.stop({ code: 'version-mismatch', message: `[lab-client] ${parsed.error.message}` });
      return this.problem({ code: parsed.error.code, message: `[lab-client] ignored a frame from the lab server: ${parsed.error.message}` });
    }
    this.dispatch(parsed.msg);
  }

  private dispatch(m: ServerMessage): void {
    switch (m.type) {
      case 'welcome':
        return this.welcome(m);
      case 'event': {
        if (m.seq <= this.snapshot.seq) return; // already seen (replayed after a reconnect)
        const max = this.options.maxEvents ?? DEFAULT_MAX_EVENTS;
        const events = [...this.snapshot.events, { seq: m.seq, at: m.at, event: m.event }];
        return this.update({ seq: m.seq, events: events.length > max ? events.slice(events.length - max) : events });
      }
      case 'view': {
        const json = JSON.stringify(m.lab);
        if (json === this.viewJson) return; // unchanged: keep the same objects
        this.viewJson = json;
        return this.update({ view: m.lab });
      }
      case 'console.history':
      case 'console.output': {
        const fresh = this.buffer(m.hostId).append(m.offset, base64ToBytes(m.data));
        if (fresh.length > 0) this.consoleListeners.get(m.hostId)?.emit(fresh);
        return;
      }
      case 'command.result':
        this.pending.settle(m.id, m.ok, m.error);
        return;
      case 'error':
        return this.problem({ code: m.code, message: m.message });
      case 'pong':
        return;
    }
  }

  private welcome(m: Extract<ServerMessage, { type: 'welcome' }>): void {
    const labId = this.options.session.labId;
    if (m.labId !== labId) {
      return this.stop({ code: 'wrong-lab', message: `[lab-client] the lab server welcomed this page to lab ${m.labId}, not lab ${labId ?? '(none)'}; reload the page` });
    }
    this.welcomed = true;
    this.backoff.reset();
    this.options.session.reachable?.();
    // A head behind our `since` means the log started over (the lab was reset): it is replayed whole.
    const restarted = m.seq < this.snapshot.seq;
    this.update({ status: 'open', labId: m.labId, role: m.role, problem: null, retryInMs: null, ...(restarted ? { seq: 0, events: [] } : {}) });
    for (const hostId of this.attached.keys()) this.send({ type: 'console.attach', hostId });
  }

  private closed(code: number, reason: string, opened: boolean): void {
    this.ws = null;
    this.welcomed = false;
    const why = `the lab socket closed (${code}${reason ? ` ${reason}` : ''})`;
    this.pending.rejectAll(why);
    if (code === CLOSE.versionMismatch) {
      return this.stop({ code: 'version-mismatch', message: '[lab-client] the lab server speaks another protocol version than this page; reload the page (if that does not help, the site and the simulator come from different Edge Lab versions)' });
    }
    if (code === CLOSE.tokenExpired) return void this.renewAndReconnect();
    if (code === CLOSE.queued) return this.retryIn(QUEUE_RETRY_MS, queuedProblem(reason));
    if (code === CLOSE.tooManyMessages) {
      const delay = Math.max(TOO_MANY_MESSAGES_RETRY_MS, this.backoff.next());
      return this.retryIn(delay, tooManyMessagesProblem(reason, delay));
    }
    if (!RECONNECT_CODES.has(code)) {
      return this.stop({ code: `closed-${code}`, message: `[lab-client] ${why}; this page cannot go on, reload it` });
    }
    if (code === CLOSE.fellBehind) return this.retryIn(0, { code: 'fell-behind', message: `[lab-client] ${why}; catching up` });
    // A socket that never opened was refused (a browser hides why): the session finds out whether
    // the simulator answers and the lab still exists, and sets its own state accordingly.
    if (!opened) return void this.renewAndReconnect(this.backoff.next());
    this.retryIn(this.backoff.next(), { code: 'connection-lost', message: `[lab-client] ${why}; reconnecting` });
  }

  private async renewAndReconnect(delayMs = 0): Promise<void> {
    this.update({ status: 'reconnecting', retryInMs: null });
    try {
      await this.options.session.refreshToken();
    } catch (err) {
      return this.tokenFailed(err);
    }
    if (this.snapshot.status === 'reconnecting') this.retryIn(delayMs, null);
  }

  /** The session could not give a token: it has set its own state; go on only if that may pass. */
  private tokenFailed(err: unknown): void {
    if (this.snapshot.status === 'stopped') return;
    const code = err instanceof LabClientError ? err.code : 'error';
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'simulator-unreachable') return this.retryIn(this.backoff.next(), { code, message });
    this.stop({ code, message });
  }

  private retryIn(delayMs: number, problem: ConnectionProblem | null): void {
    this.clearRetry();
    this.update({ status: 'reconnecting', retryInMs: delayMs, problem });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.open();
    }, delayMs);
  }

  private stop(problem: ConnectionProblem | null): void {
    this.clearRetry();
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    this.pending.rejectAll(problem ? problem.message.replace(/^\[lab-client\] /, '') : 'the page closed the lab connection');
    if (ws) ws.close(CLOSE.normal);
    this.update({ status: 'stopped', retryInMs: null, problem });
  }

  private problem(problem: ConnectionProblem): void {
    this.update({ problem });
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private isLive(): boolean {
    return this.welcomed && this.ws !== null && this.ws.readyState === SOCKET_OPEN;
  }

  /** The one door out: every frame is encoded (and, in development, checked) here. */
  private send(msg: ClientMessage): void {
    if (!this.ws) throw new LabClientError(`not connected to the lab; the ${msg.type} frame was not sent`, 'not-connected');
    this.ws.send(encodeClientFrame(msg, this.options.validateFrames));
  }

  private buffer(hostId: string): ConsoleBuffer {
    let b = this.consoles.get(hostId);
    if (!b) this.consoles.set(hostId, (b = new ConsoleBuffer(hostId, this.options.maxConsoleBytes ?? DEFAULT_MAX_CONSOLE_BYTES)));
    return b;
  }

  private update(patch: Partial<LabConnectionSnapshot>): void {
    const next = { ...this.snapshot, ...patch };
    const keys = Object.keys(patch) as (keyof LabConnectionSnapshot)[];
    if (keys.every((k) => Object.is(next[k], this.snapshot[k]))) return;
    this.snapshot = next;
    this.listeners.emit();
  }
}

/**
 * The problem of a page the lab server closed for sending too much; `reason` is the server's own
 * (which limit was passed), shown as it is. Commands still waiting were rejected: the lab may or
 * may not have carried them out, which the view shows after the reconnect.
 */
export function tooManyMessagesProblem(reason: string, delayMs: number): ConnectionProblem {
  const why = reason.replace(/^\[lab-socket\]\s*/, '').trim() || 'this page sent more than the lab server allows';
  return {
    code: 'too-many-messages',
    message: `[lab-client] the lab server closed the connection: ${why}. Reconnecting in ${Math.ceil(delayMs / 1000)} s; commands still waiting for an answer may not have been carried out.`,
  };
}

/** The problem of a lab waiting for a place; `reason` is the close reason, `queued <position>`. */
export function queuedProblem(reason: string): ConnectionProblem {
  const m = /^queued\s+(\d+)/.exec(reason.trim());
  const position = m ? Number(m[1]) : null;
  return position !== null && position > 0
    ? { code: 'queued', queuePosition: position, message: `[lab-client] the lab waits for a free place: you are number ${position} in the queue` }
    : { code: 'queued', message: '[lab-client] the lab waits for a free place on this machine' };
}
