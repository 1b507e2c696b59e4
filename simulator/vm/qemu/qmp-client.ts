/**
 * Small typed QMP client over any Node Duplex (a connected unix socket from
 * QEMU in production; a fake duplex pair in tests).
 *
 * Contracts:
 * - Exactly one command is in flight: `execute` calls queue in call order and
 *   each is sent only after the previous one settled. Replies match by `id`.
 * - QEMU may emit an event BEFORE the reply of the command that caused it (RESET
 *   precedes the `system_reset` reply). Call `waitForEvent` before `execute`;
 *   it registers synchronously, so such events are never missed.
 * - Once the stream ends, closes or errors, every pending command and event
 *   waiter rejects with QmpClosedError and `closed` resolves. Stream errors
 *   (ECONNRESET when QEMU quits) are absorbed, never thrown.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  QmpLineSplitter,
  classifyQmpLine,
  type QmpEventData,
  type QmpEventKey,
  type QmpEventListener,
  type QmpEventMessage,
  type QmpTypedEvent,
} from './qmp-lines';

export type * from './qmp-lines';

const TAG = '[simulator:qmp]';

/** Base class: every error this client raises has a message prefixed with TAG. */
export class QmpError extends Error {
  constructor(message: string, cause?: unknown) {
    super(`${TAG} ${message}`, cause === undefined ? undefined : { cause });
  }
}
export class QmpTimeoutError extends QmpError {
  override name = 'QmpTimeoutError';
  constructor(readonly operation: string, readonly timeoutMs: number) {
    super(`${operation} timed out after ${timeoutMs}ms`);
  }
}
/** QEMU answered a command with `{"error": {class, desc}}`. */
export class QmpCommandError extends QmpError {
  override name = 'QmpCommandError';
  constructor(readonly command: string, readonly errorClass: string, readonly desc: string) {
    super(`${command} failed: ${errorClass}: ${desc}`);
  }
}
/** The connection is gone; `cause` holds the stream or protocol error, if any. */
export class QmpClosedError extends QmpError {
  override name = 'QmpClosedError';
}
/** QEMU sent something that is not valid QMP (malformed line, misplaced greeting). */
export class QmpProtocolError extends QmpError {
  override name = 'QmpProtocolError';
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;
export const DEFAULT_EVENT_TIMEOUT_MS = 30_000;
/** How long close() waits for the peer to hang up before destroying the stream. */
const CLOSE_GRACE_MS = 500;

interface Pending {
  command: string;
  args?: object;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
  id?: string;
  timer?: ReturnType<typeof setTimeout>;
}

/** Returns the first line if HMP output reports an error ("Error: ..."), else null. */
export function hmpErrorText(output: string): string | null {
  const text = output.trimStart();
  if (!text.startsWith('Error:')) return null;
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/** Timeouts of Infinity (or any non-finite value) disable the timer. */
function startTimer(ms: number, onTimeout: () => void): ReturnType<typeof setTimeout> | undefined {
  return Number.isFinite(ms) ? setTimeout(onTimeout, ms) : undefined;
}

export class QmpClient {
  /** Resolves once no further message can be received (closed by either side). */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly greeting: Promise<void>;
  private greetingWaiter!: { resolve(): void; reject(err: Error): void };
  private greeted = false;
  /** Set once the connection is finished; chained as cause of later rejections. */
  private finishError?: QmpClosedError;
  private closing?: Promise<void>;
  private readonly splitter = new QmpLineSplitter();
  private readonly decoder = new StringDecoder('utf8');
  private readonly queue: Pending[] = [];
  private inFlight: Pending | null = null;
  private seq = 0;
  private readonly listeners = new Map<string, Set<QmpEventListener<string>>>();
  private readonly closeHooks = new Set<(err: QmpClosedError) => void>();

  private constructor(private readonly stream: Duplex) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.greeting = new Promise<void>((resolve, reject) => (this.greetingWaiter = { resolve, reject }));
    this.greeting.catch(() => {}); // connect() observes it; avoid unhandled rejection
    stream.on('error', (err) => {
      this.finish('stream error', err);
      stream.destroy();
    });
    stream.on('data', (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
      for (const line of this.splitter.push(text)) this.onLine(line);
    });
    stream.on('end', () => {
      for (const line of this.splitter.push(this.decoder.end())) this.onLine(line);
      for (const line of this.splitter.flush()) this.onLine(line);
      this.finish('stream ended by peer');
      stream.end(); // peer hung up: do not keep our half open
    });
    stream.on('close', () => this.finish('stream closed'));
  }

  /**
   * Waits for the greeting, negotiates capabilities and returns a ready client.
   * Rejects (and destroys the stream) with QmpTimeoutError, QmpCommandError,
   * QmpClosedError or QmpProtocolError. The timeout covers the whole handshake.
   */
  static async connect(stream: Duplex, opts: { timeoutMs?: number } = {}): Promise<QmpClient> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const client = new QmpClient(stream);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = startTimer(timeoutMs, () => reject(new QmpTimeoutError('QMP handshake', timeoutMs)));
    });
    try {
      await Promise.race([client.greeting, timeout]);
      await Promise.race([client.execute('qmp_capabilities', undefined, { timeoutMs: Infinity }), timeout]);
      return client;
    } catch (err) {
      client.finish('handshake failed', err);
      stream.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Queues a command; resolves with its `return` value. The timeout starts when
   * the command is sent (not while queued). A timed-out command frees the slot;
   * its late reply is recognised by id and dropped.
   */
  execute<T = unknown>(command: string, args?: object, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.finishError) return Promise.reject(new QmpClosedError(`cannot execute ${command}`, this.finishError));
    const timeoutMs = opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ command, args, timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Runs an HMP command line; HMP failures come back as text (see hmpErrorText). */
  async humanMonitor(commandLine: string, opts: { timeoutMs?: number } = {}): Promise<string> {
    const out = await this.execute('human-monitor-command', { 'command-line': commandLine }, opts);
    if (typeof out !== 'string') throw new QmpProtocolError('human-monitor-command returned a non-string');
    return out;
  }

  /** Subscribes to one event name or '*'; returns an unsubscribe function. */
  on<K extends QmpEventKey>(event: K, listener: QmpEventListener<K>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as QmpEventListener<string>);
    this.listeners.set(event, set);
    return () => this.off(event, listener);
  }

  off<K extends QmpEventKey>(event: K, listener: QmpEventListener<K>): void {
    this.listeners.get(event)?.delete(listener as QmpEventListener<string>);
  }

  /**
   * Resolves with the first matching event arriving AFTER this call. Registers
   * synchronously, so call it before the `execute` that triggers the event.
   * Rejects with QmpTimeoutError, QmpClosedError, or the predicate's error.
   */
  waitForEvent<K extends QmpEventKey>(
    name: K,
    predicate?: (data: QmpEventData<K>, event: QmpEventMessage) => boolean,
    timeoutMs: number = DEFAULT_EVENT_TIMEOUT_MS,
  ): Promise<QmpTypedEvent<K>> {
    if (this.finishError) return Promise.reject(new QmpClosedError(`cannot wait for ${name}`, this.finishError));
    return new Promise((resolve, reject) => {
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        unsubscribe();
        this.closeHooks.delete(onClose);
        fn();
      };
      const unsubscribe = this.on(name, (data, event) => {
        try {
          if (predicate && !predicate(data, event)) return;
        } catch (err) {
          settle(() => reject(err));
          return;
        }
        settle(() => resolve(event as QmpTypedEvent<K>));
      });
      const onClose = (err: QmpClosedError) => settle(() => reject(err));
      this.closeHooks.add(onClose);
      const timer = startTimer(timeoutMs, () =>
        settle(() => reject(new QmpTimeoutError(`waiting for event ${name}`, timeoutMs))),
      );
    });
  }

  /**
   * Ends the stream gracefully (destroying it if the peer does not hang up
   * within a short grace period). Pending work rejects immediately with
   * QmpClosedError. Idempotent: every call returns the same promise.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.finish('client closed');
    const { stream } = this;
    this.closing = new Promise<void>((resolve) => {
      if (stream.destroyed && stream.closed) return resolve();
      const grace = setTimeout(() => stream.destroy(), CLOSE_GRACE_MS);
      stream.once('close', () => {
        clearTimeout(grace);
        resolve();
      });
      stream.end();
    });
    return this.closing;
  }

  private pump(): void {
    if (this.inFlight || this.finishError) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = next;
    next.id = `qmp-${++this.seq}`;
    const msg = { execute: next.command, ...(next.args && { arguments: next.args }), id: next.id };
    next.timer = startTimer(next.timeoutMs, () => {
      if (this.inFlight !== next) return;
      this.inFlight = null;
      next.reject(new QmpTimeoutError(`execute ${next.command}`, next.timeoutMs));
      this.pump();
    });
    this.stream.write(`${JSON.stringify(msg)}\n`); // write failures surface as 'error'
  }

  private onLine(line: string): void {
    if (this.finishError) return;
    const msg = classifyQmpLine(line);
    if (msg.kind === 'malformed') return this.fatal(new QmpProtocolError(`${msg.reason}: ${line.slice(0, 200)}`));
    if (!this.greeted) {
      if (msg.kind !== 'greeting') return this.fatal(new QmpProtocolError(`expected greeting, got ${msg.kind}`));
      this.greeted = true;
      return this.greetingWaiter.resolve();
    }
    if (msg.kind === 'greeting') return this.fatal(new QmpProtocolError('unexpected second greeting'));
    if (msg.kind === 'event') return this.dispatch(msg);
    const pending = this.inFlight;
    // Replies without id can only belong to the single in-flight command; a
    // reply with another id is a late answer to a timed-out command.
    if (!pending || (msg.id !== undefined && msg.id !== pending.id)) return;
    clearTimeout(pending.timer);
    this.inFlight = null;
    if (msg.kind === 'return') pending.resolve(msg.value);
    else pending.reject(new QmpCommandError(pending.command, msg.class, msg.desc));
    this.pump();
  }

  private dispatch(event: QmpEventMessage): void {
    for (const key of [event.event, '*']) {
      for (const listener of [...(this.listeners.get(key) ?? [])]) {
        try {
          listener(event.data, event);
        } catch (err) {
          queueMicrotask(() => {
            throw err; // a listener bug must surface, but not break line parsing
          });
        }
      }
    }
  }

  private fatal(err: QmpProtocolError): void {
    this.finish('protocol error', err);
    this.stream.destroy();
  }

  /** Marks the client finished and rejects everything pending. Runs once. */
  private finish(reason: string, cause?: unknown): void {
    if (this.finishError) return;
    const err = new QmpClosedError(reason, cause);
    this.finishError = err;
    const pending = this.inFlight ? [this.inFlight, ...this.queue] : [...this.queue];
    this.inFlight = null;
    this.queue.length = 0;
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new QmpClosedError(`${p.command} not answered: ${reason}`, cause));
    }
    this.greetingWaiter.reject(cause instanceof QmpProtocolError ? cause : err);
    for (const hook of [...this.closeHooks]) hook(err);
    this.resolveClosed();
  }
}
