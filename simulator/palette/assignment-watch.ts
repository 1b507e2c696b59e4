// Wakes heartbeat long polls for assignments made by another process on the same database:
// while any poll waits, the lab's log is read every `intervalMs` from the oldest seq a waiting
// poll has seen, and each palette.host.assigned / .unassigned / .upgrade-turn wakes that host's polls.
// Assignments made through this process wake them directly (clusters.ts), without the log.
import type { LabStore } from '../store/types';
import type { Waiters } from './waiters';

export interface AssignmentWatch {
  /** A poll is about to wait, having seen the log up to `seq`. */
  from(seq: number): void;
  stop(): void;
}

const WAKING = new Set(['palette.host.assigned', 'palette.host.unassigned', 'palette.host.upgrade-turn']);

export function createAssignmentWatch(store: LabStore, labId: string, waiters: Waiters, intervalMs: number): AssignmentWatch {
  let since: number | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let busy = false;

  const tick = async (): Promise<void> => {
    if (waiters.size === 0) return stop();
    if (busy || since === undefined) return;
    busy = true;
    try {
      const events = await store.eventsSince<{ hostId?: unknown }>(labId, since, 1000);
      for (const e of events) {
        if (WAKING.has(e.type) && typeof e.payload?.hostId === 'string') waiters.wake(e.payload.hostId);
      }
      const last = events.at(-1);
      if (last && since !== undefined) since = Math.max(since, last.seq);
    } catch (err) {
      process.stderr.write(`[palette] reading lab ${labId}'s log for assignments failed: ${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
      busy = false;
    }
  };
  const stop = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    since = undefined;
  };

  waiters.onSizeChange = (size) => {
    if (size === 0) stop();
  };
  return {
    from(seq) {
      if (intervalMs <= 0) return;
      since = since === undefined ? seq : Math.min(since, seq);
      if (!timer) {
        timer = setInterval(() => void tick(), intervalMs);
        timer.unref?.();
      }
    },
    stop,
  };
}
