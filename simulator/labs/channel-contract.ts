// What the lab WebSocket endpoint needs from one running lab, and nothing more: the durable
// event log, the current view, live updates, commands and host consoles. The lab runtime
// implements it; the socket never sees the statecharts or the VMs behind it.
import type { CommandTarget, LabView as ProtocolLabView, LabEvent as ProtocolLabEvent } from '../pure/protocol';
import { codeSchema } from '../pure/protocol';
import type { ConsoleInputReceipt } from '../limits/console-input-budget';

export type { ConsoleInputReceipt } from '../limits/console-input-budget';

export interface LabLogEntry {
  /** Position in the lab's log: consecutive integers from 1, never reused while the lab lives. */
  seq: number;
  /** When the entry was appended, ms since the epoch (the lab's clock). */
  at: number;
  event: ProtocolLabEvent;
}

export type ChannelUpdate = { kind: 'event'; entry: LabLogEntry } | { kind: 'view'; seq: number; view: ProtocolLabView };

export interface ConsoleTap {
  /** The retained tail of the host's console at attach time (may be empty). */
  history: Uint8Array;
  /** Byte offset of `history`'s first byte in the host's console stream since the lab began. */
  offset: number;
  /** Stops `onData`. Idempotent. */
  detach(): void;
}

export interface LabChannel {
  labId: string;
  /** Log entries with seq > since, in order (from the durable per-lab log). */
  eventsSince(since: number): Promise<LabLogEntry[]>;
  /**
   * The current view and the log seq it reflects. It reflects at least every update already
   * delivered to subscribers, so the socket may drop older buffered views once it has sent it.
   * The socket also takes this seq as the log's head (welcome.seq), so update the view in the same
   * step as appending to the log.
   */
  currentView(): Promise<{ seq: number; view: ProtocolLabView }>;
  /**
   * Live updates; every 'event' is already durable in the log when delivered. Returns unsubscribe.
   * Updates come in log order; a 'view' with seq N comes after the 'event' with seq N. The listener
   * must not throw; unsubscribe is idempotent.
   */
  subscribe(listener: (u: ChannelUpdate) => void): () => void;
  /**
   * Carries out a page command (role checks included); resolves with the outcome. A refusal's
   * `code` is kebab-case (e.g. not-allowed) and its message is shown to the reader. Rejects only on
   * a failure of the lab itself.
   */
  command(c: { target: CommandTarget; name: string; args?: Record<string, unknown>; role: string }): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
  /**
   * Live console of a host: the retained tail now, then onData(bytes, offset) for each later chunk.
   * Throws a typed error for an unknown host (UnknownHostError). onData may already be called
   * before attachConsole returns; offsets tell the socket what overlaps the history. The bytes
   * passed to onData may be reused by the caller once onData returns.
   */
  attachConsole(hostId: string, onData: (bytes: Uint8Array, offset: number) => void): ConsoleTap;
  /**
   * Bytes typed into a host's serial console by a session with `role`, within the host's input
   * budget (console-input-budget.ts, shared by every socket typing into that host): the receipt
   * says how much of the chunk was written and how much dropped. Chunks are written in call order.
   * Rejects with UnknownHostError for an unknown host, and a LabChannelError (role-forbidden) when
   * the role does not hold the host now.
   */
  consoleInput(hostId: string, bytes: Uint8Array, role: string): Promise<ConsoleInputReceipt>;
}

/**
 * An expected failure the page should hear about as it is: the socket forwards `code` and
 * `message` in an `error` (console) or `command.result` (command) frame. Any other error thrown
 * by a channel is reported to the server log and reaches the page only as a generic message.
 */
export class LabChannelError extends Error {
  constructor(
    /** kebab-case, e.g. host-powered-off. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LabChannelError';
    if (!codeSchema.safeParse(code).success) {
      throw new Error(`[lab-socket] LabChannelError code ${JSON.stringify(code)} is not kebab-case (e.g. unknown-host)`);
    }
  }
}

/** The host named by a console or command does not exist in this lab. */
export class UnknownHostError extends LabChannelError {
  constructor(
    readonly labId: string,
    readonly hostId: string,
  ) {
    super('unknown-host', `[lab-socket] lab ${labId} has no host ${JSON.stringify(hostId)}; use a host ID from the lab view`);
    this.name = 'UnknownHostError';
  }
}
