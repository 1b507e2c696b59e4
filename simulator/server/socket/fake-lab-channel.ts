// An in-memory LabChannel for the socket's tests (in the spirit of go-qemu's qmptest): a log, a
// view that follows it, scriptable commands and consoles, and hooks that stretch the timing so
// the races the socket must survive can be provoked on purpose.
import type { LabEvent, LabView } from '../../pure/protocol';
import { CONSOLE_INPUT_LIMIT } from '../../limits/console-input-budget';
import { UnknownHostError, type ChannelUpdate, type ConsoleInputReceipt, type ConsoleTap, type LabChannel, type LabLogEntry } from '../../labs/channel-contract';

export const FAKE_T0 = 1_750_000_000_000;
type Outcome = Awaited<ReturnType<LabChannel['command']>>;
export type FakeCommand = Parameters<LabChannel['command']>[0];

export interface FakeLabChannelOptions {
  labId?: string;
  /**
   * Runs inside every eventsSince call; tests append events here to land them mid-replay. With
   * readLog 'before-hook' the log is read before it runs (what it appends must come from the live
   * buffer), with 'after-hook' after it (what it appends also comes in the replay: duplicates).
   */
  duringEventsSince?: (since: number) => void | Promise<void>;
  readLog?: 'before-hook' | 'after-hook';
  /** Deliver live updates on a later macrotask, as a runtime whose notifications lag its state. */
  deliverLate?: boolean;
  /** Updates for which this is true are never delivered (they still reach the log and the view). */
  loseDelivery?: (u: ChannelUpdate) => boolean;
}

interface FakeConsole {
  /** Bytes printed since the lab began. */
  total: number;
  /** The retained tail, at most `retain` bytes. */
  tail: Uint8Array;
  retain: number;
  taps: Set<(bytes: Uint8Array, offset: number) => void>;
  /** Runs inside attachConsole after the tap is registered, before the history is taken. */
  onAttach?: () => void;
}

export class FakeLabChannel implements LabChannel {
  readonly labId: string;
  readonly log: LabLogEntry[] = [];
  readonly commands: FakeCommand[] = [];
  readonly inputs: { hostId: string; text: string }[] = [];
  readonly eventsSinceCalls: number[] = [];
  /** Answers each command; the default accepts everything. */
  onCommand: (c: FakeCommand) => Outcome | Promise<Outcome> = () => ({ ok: true });
  /** Makes currentView and eventsSince reject, as a lab that broke. */
  failReads = false;
  private view: LabView;
  private viewSeq = 0;
  private readonly listeners = new Set<(u: ChannelUpdate) => void>();
  private readonly consoles = new Map<string, FakeConsole>();

  constructor(private readonly options: FakeLabChannelOptions = {}) {
    this.labId = options.labId ?? 'lab-1';
    this.view = fakeView(0, 'Empty lab');
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get tapCount(): number {
    let n = 0;
    for (const c of this.consoles.values()) n += c.taps.size;
    return n;
  }

  /** Appends to the log, moves the view to it and notifies: the event first, then the view. */
  append(event: LabEvent): LabLogEntry {
    const entry: LabLogEntry = { seq: this.log.length + 1, at: FAKE_T0 + this.log.length + 1, event };
    this.log.push(entry);
    this.viewSeq = entry.seq;
    this.view = fakeView(entry.seq, `After ${event.type}`);
    this.notify({ kind: 'event', entry });
    this.notify({ kind: 'view', seq: this.viewSeq, view: this.view });
    return entry;
  }

  /** A view change without a log entry (same seq, new content), e.g. a label that moved on. */
  relabel(label: string): void {
    this.view = { ...this.view, label };
    this.notify({ kind: 'view', seq: this.viewSeq, view: this.view });
  }

  appendMany(n: number, type = 'tick'): void {
    for (let i = 0; i < n; i++) this.append({ type, i });
  }

  addHost(hostId: string, opts: { retain?: number; onAttach?: () => void } = {}): void {
    this.consoles.set(hostId, { total: 0, tail: new Uint8Array(), retain: opts.retain ?? 4096, taps: new Set(), onAttach: opts.onAttach });
  }

  /** Output from a host's serial console. */
  print(hostId: string, output: string | Uint8Array): void {
    const c = this.console(hostId);
    const bytes = typeof output === 'string' ? new TextEncoder().encode(output) : output;
    const offset = c.total;
    c.total += bytes.length;
    const joined = new Uint8Array(c.tail.length + bytes.length);
    joined.set(c.tail);
    joined.set(bytes, c.tail.length);
    c.tail = joined.slice(Math.max(0, joined.length - c.retain));
    for (const tap of [...c.taps]) tap(bytes, offset);
  }

  async eventsSince(since: number): Promise<LabLogEntry[]> {
    this.eventsSinceCalls.push(since);
    if (this.failReads) throw new Error('fake lab: the log is unreadable');
    const read = (): LabLogEntry[] => this.log.filter((e) => e.seq > since);
    if (this.options.readLog !== 'after-hook') {
      const entries = read();
      await this.options.duringEventsSince?.(since);
      return entries;
    }
    await this.options.duringEventsSince?.(since);
    return read();
  }

  async currentView(): Promise<{ seq: number; view: LabView }> {
    if (this.failReads) throw new Error('fake lab: the view is unreadable');
    return { seq: this.viewSeq, view: this.view };
  }

  subscribe(listener: (u: ChannelUpdate) => void): () => void {
    const own = (u: ChannelUpdate): void => listener(u);
    this.listeners.add(own);
    return () => this.listeners.delete(own);
  }

  async command(c: FakeCommand): Promise<Outcome> {
    this.commands.push(c);
    return this.onCommand(c);
  }

  attachConsole(hostId: string, onData: (bytes: Uint8Array, offset: number) => void): ConsoleTap {
    const c = this.console(hostId);
    const tap = (bytes: Uint8Array, offset: number): void => onData(bytes, offset);
    c.taps.add(tap);
    c.onAttach?.();
    return { history: c.tail.slice(), offset: c.total - c.tail.length, detach: () => void c.taps.delete(tap) };
  }

  async consoleInput(hostId: string, bytes: Uint8Array, _role?: string): Promise<ConsoleInputReceipt> {
    this.console(hostId);
    this.inputs.push({ hostId, text: new TextDecoder().decode(bytes) });
    return { written: bytes.length, dropped: 0, limit: CONSOLE_INPUT_LIMIT };
  }

  private console(hostId: string): FakeConsole {
    const c = this.consoles.get(hostId);
    if (!c) throw new UnknownHostError(this.labId, hostId);
    return c;
  }

  private notify(u: ChannelUpdate): void {
    if (this.options.loseDelivery?.(u)) return;
    for (const listener of [...this.listeners]) {
      if (this.options.deliverLate) setTimeout(() => this.listeners.has(listener) && listener(u), 5);
      else listener(u);
    }
  }
}

/** A small but valid protocol LabView; `data.seq` tells tests which state it shows. */
export function fakeView(seq: number, label: string): LabView {
  return {
    state: seq === 0 ? 'empty' : 'running',
    label,
    tags: [],
    allowed: ['START'],
    may: ['START'],
    data: { seq },
    at: FAKE_T0 + seq,
    phases: [{ id: 'registration', label: 'Registration', status: seq === 0 ? 'pending' : 'active' }],
    hosts: {},
    clusters: {},
  };
}
