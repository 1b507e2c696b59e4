// Reconnect delays: doubling from `initialMs` up to `maxMs`, reset once a connection is welcomed.

export interface BackoffOptions {
  /** Default 500 ms. */
  initialMs?: number;
  /** Default 10 s. */
  maxMs?: number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 500;
    this.maxMs = options.maxMs ?? 10_000;
  }

  /** The delay before the next attempt; each call counts as one attempt. */
  next(): number {
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
