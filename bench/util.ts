/** Small async helpers for the benchmark runner. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true if `p` settles within `ms`, else false; never leaves a timer behind. */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    const done = (): void => { clearTimeout(t); resolve(true); };
    p.then(done, done);
  });
}

/**
 * Marks a promise as handled now (so a rejection before anyone awaits it is
 * not an unhandled rejection) and returns it to await later.
 */
export function armed<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
