// Heartbeat long polls waiting for news about their host: the only Palette state held in memory.
// wait() resolves on wake(hostId), after `ms`, when the signal aborts, or on close(); it never
// rejects, and the caller re-reads the store to answer.

export interface Waiters {
  wait(hostId: string, ms: number, signal?: AbortSignal): Promise<void>;
  wake(hostId: string): void;
  /** Number of polls waiting now. */
  readonly size: number;
  /** Called with the new size whenever a poll starts or ends. */
  onSizeChange?: (size: number) => void;
  close(): void;
}

export function createWaiters(): Waiters {
  const byHost = new Map<string, Set<() => void>>();
  let size = 0;
  let closed = false;
  const self: Waiters = {
    get size() { return size; },
    wait(hostId, ms, signal) {
      if (closed || ms <= 0 || signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          const set = byHost.get(hostId);
          if (!set?.delete(done)) return;
          if (set.size === 0) byHost.delete(hostId);
          size--;
          self.onSizeChange?.(size);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
        const set = byHost.get(hostId) ?? new Set();
        set.add(done);
        byHost.set(hostId, set);
        size++;
        self.onSizeChange?.(size);
      });
    },
    wake(hostId) {
      for (const done of [...(byHost.get(hostId) ?? [])]) done();
    },
    close() {
      closed = true;
      for (const set of [...byHost.values()]) for (const done of [...set]) done();
    },
  };
  return self;
}
