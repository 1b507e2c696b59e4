// Telling one page that some of its console input was dropped (console-input-budget.ts): one
// `error` frame per burst and host, not one per dropped chunk, or a flood of input would become a
// flood of errors. Drops within REPORT_AFTER_MS of the first are added up into that one frame (a
// paste arrives as several chunks); the burst is over once QUIET_MS pass without a drop.
import type { ServerMessage } from '../../pure/protocol';
import type { ConsoleInputReceipt } from '../../limits/console-input-budget';

export const REPORT_AFTER_MS = 200;
export const QUIET_MS = 2_000;

interface Burst {
  dropped: number;
  lastDropAt: number;
  reported: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class ConsoleDropNotices {
  private readonly bursts = new Map<string, Burst>();

  constructor(
    /** Sends one frame; false once the socket is closing. */
    private readonly send: (msg: ServerMessage) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Input for `hostId` came back with `receipt.dropped` > 0. */
  dropped(hostId: string, receipt: ConsoleInputReceipt): void {
    const t = this.now();
    let burst = this.bursts.get(hostId);
    if (burst?.reported && t - burst.lastDropAt >= QUIET_MS) burst = undefined;
    if (!burst) {
      burst = { dropped: 0, lastDropAt: t, reported: false, timer: undefined };
      this.bursts.set(hostId, burst);
    }
    burst.lastDropAt = t;
    if (burst.reported) return;
    burst.dropped += receipt.dropped;
    const b = burst;
    b.timer ??= setTimeout(() => {
      b.timer = undefined;
      b.reported = true;
      const { perSecond, burst: most } = receipt.limit;
      this.send({
        type: 'error',
        code: 'console-input-limited',
        message: `[lab-socket] console input to ${hostId} is limited to ${perSecond} bytes/s (${most} at once); ${b.dropped} bytes were dropped, and more are until the input slows down; paste less at once`,
      });
    }, REPORT_AFTER_MS);
  }

  /** Cancels reports not sent yet (the socket is closing). */
  stop(): void {
    for (const b of this.bursts.values()) clearTimeout(b.timer);
    this.bursts.clear();
  }
}
