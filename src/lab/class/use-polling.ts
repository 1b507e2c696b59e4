// Calls a function now and again `everyMs` after each call settles (never two at once), while the
// component is mounted and `active`; a new `key` starts over. Returns "call it now" (for Retry).
import { useCallback, useEffect, useRef, useState } from 'react';

/** `alive()` turns false once this round of polling has stopped: skip setting state then. */
export type PollTick = (alive: () => boolean) => Promise<void>;

export function usePolling(tick: PollTick, everyMs: number, active: boolean, key: string): () => void {
  const latest = useRef(tick);
  latest.current = tick;
  const [kicks, setKicks] = useState(0);
  useEffect(() => {
    if (!active) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const alive = (): boolean => !stopped;
    const run = async (): Promise<void> => {
      await latest.current(alive).catch(() => undefined);
      if (!stopped) timer = setTimeout(() => void run(), everyMs);
    };
    void run();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [active, everyMs, key, kicks]);
  return useCallback(() => setKicks((k) => k + 1), []);
}
