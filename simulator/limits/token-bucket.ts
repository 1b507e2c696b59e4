// A token bucket: up to `burst` tokens, refilled at `perSecond`, never above `burst`. What each
// token stands for (a frame, a byte) is the caller's business. Time comes from `now` (ms, monotonic
// is best), so tests and benchmarks can use the real clock and unit tests a fake one.
import { performance } from 'node:perf_hooks';

export interface RateLimit {
  /** Most tokens the bucket holds: what may be spent at once after a quiet spell. */
  burst: number;
  /** Tokens added per second, up to `burst`: the most that may be spent per second for long. */
  perSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(limit.burst > 0) || !(limit.perSecond > 0)) {
      throw new RangeError(`[lab-socket] a rate limit needs a positive burst and rate, not ${JSON.stringify(limit)}`);
    }
    this.tokens = limit.burst;
    this.at = now();
  }

  /** Tokens there are now (fractional). */
  available(): number {
    const t = this.now();
    if (t > this.at) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.at) / 1000) * this.limit.perSecond);
      this.at = t;
    }
    return this.tokens;
  }

  /** Spends `n` tokens if there are that many; false (and nothing spent) otherwise. */
  take(n = 1): boolean {
    if (this.available() < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Spends as many whole tokens as there are, up to `n`; returns how many. */
  takeUpTo(n: number): number {
    const got = Math.min(n, Math.floor(this.available()));
    this.tokens -= got;
    return got;
  }
}
