// The ordered lab stream of one connection: welcome, the replay of the log after `since`, the
// view, then live updates, with no event missing and none sent twice.
//
// How: subscribe before reading anything, so an update that lands while the log is being read is
// buffered rather than lost; then drop buffered events the replay already covered (seq <= the
// last one sent). A live event that skips a seq, or a view ahead of the last event sent, is
// completed from the durable log first, so a page that has view N always has every event <= N,
// whatever the timing of the channel's deliveries.
import type { LabView, ServerMessage } from '../../pure/protocol';
import type { ChannelUpdate, LabChannel, LabLogEntry } from '../../labs/channel-contract';

/** Most live updates held while the log is being read; beyond it the page must reconnect. */
export const MAX_QUEUED_UPDATES = 10_000;

export interface StreamOutput {
  /** Sends one frame now; false once the socket is closing (the stream is then stopped too). */
  send(msg: ServerMessage): boolean;
  /** Resolves once the socket's send buffer is low again; paces reads from the log. */
  drained(): Promise<void>;
  /** More than MAX_QUEUED_UPDATES are waiting: close the socket so the page reconnects with since=. */
  overflow(): void;
}

export class LabStream {
  /** Seq of the last event sent (or the page's `since`). */
  private lastEvent = 0;
  /** Seq of the last view sent; -1 before the first. */
  private lastView = -1;
  private queue: ChannelUpdate[] = [];
  private live = false;
  private draining = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly channel: LabChannel,
    private readonly out: StreamOutput,
    /** Called when the channel fails after the stream went live. */
    private readonly onFailure: (err: unknown) => void,
    /** The view as this stream's session sees it (roles/may.ts); default as built. */
    private readonly present: (view: LabView) => LabView = (v) => v,
  ) {}

  /**
   * Subscribes, calls `welcome` with the log's head seq, replays the events after `since`, sends
   * the view and then forwards live updates. Resolves once live; rejects if the channel fails
   * before that. A `since` beyond the head comes from an earlier run of the lab: the whole log is
   * replayed, and the page tells from welcome.seq < since that it must drop what it had.
   */
  async start(since: number, welcome: (headSeq: number) => void): Promise<void> {
    this.unsubscribe = this.channel.subscribe((u) => this.onUpdate(u));
    const head = await this.channel.currentView();
    if (this.stopped) return;
    this.lastEvent = since > head.seq ? 0 : since;
    welcome(head.seq);

    await this.catchUp();
    if (this.stopped) return;
    const mark = this.queue.length;
    const current = await this.channel.currentView();
    if (this.stopped) return;
    if (current.seq > this.lastEvent) await this.catchUp();
    if (this.stopped) return;
    this.sendView(current.seq, current.view);
    // Views buffered before that read are reflected by it (LabChannel.currentView's contract).
    this.queue = this.queue.filter((u, i) => i >= mark || u.kind === 'event');
    this.live = true;
    await this.drain();
  }

  /** Unsubscribes and drops whatever is queued. Idempotent. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private onUpdate(u: ChannelUpdate): void {
    if (this.stopped) return;
    this.queue.push(u);
    if (this.queue.length > MAX_QUEUED_UPDATES) return this.out.overflow();
    if (this.live) void this.drain();
  }

  /** Sends queued updates one at a time; a single drain runs at once, so order is kept. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let u = this.queue.shift(); u && !this.stopped; u = this.queue.shift()) {
        if (u.kind === 'event') {
          if (u.entry.seq <= this.lastEvent) continue;
          if (u.entry.seq > this.lastEvent + 1) await this.catchUp();
          if (!this.stopped && u.entry.seq > this.lastEvent) this.sendEvent(u.entry);
        } else {
          if (u.seq < this.lastView) continue;
          if (u.seq > this.lastEvent) await this.catchUp();
          if (!this.stopped) this.sendView(u.seq, u.view);
        }
      }
    } catch (err) {
      if (!this.stopped) this.onFailure(err);
    } finally {
      this.draining = false;
    }
  }

  /** Sends every logged event after the last one sent, at the pace the socket drains. */
  private async catchUp(): Promise<void> {
    const entries = await this.channel.eventsSince(this.lastEvent);
    for (const entry of entries) {
      if (this.stopped) return;
      if (entry.seq <= this.lastEvent) continue;
      this.sendEvent(entry);
      await this.out.drained();
    }
  }

  private sendEvent(entry: LabLogEntry): void {
    this.lastEvent = entry.seq;
    this.out.send({ type: 'event', seq: entry.seq, at: entry.at, event: entry.event });
  }

  private sendView(seq: number, lab: LabView): void {
    this.lastView = seq;
    this.out.send({ type: 'view', seq, lab: this.present(lab) });
  }
}
