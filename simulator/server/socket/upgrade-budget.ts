// How often one session may open a lab socket. Each socket has its own frame limits
// (rate-limits.ts), so a page that floods, is closed, and reconnects at once would get a fresh
// allowance every time and cost the server a connection's work per round. A budget per session
// (lab and session id of its token) bounds that: a person's reloads and tabs fit in the burst, a
// reconnect loop does not. Over it, the upgrade is refused with 429 and Retry-After.
import { TokenBucket, type RateLimit } from '../../limits/token-bucket';

/** 20 sockets at once (reloads, a few tabs, reconnects after a drop), then one per 2 s. */
export const DEFAULT_UPGRADE_LIMIT: RateLimit = { burst: 20, perSecond: 0.5 };
/** Buckets kept before full ones (sessions quiet long enough to be back at their burst) are dropped. */
const PRUNE_AT = 1000;

export class UpgradeBudget {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(readonly limit: RateLimit = DEFAULT_UPGRADE_LIMIT, private readonly now?: () => number) {}

  /** Spends one socket of this session's budget; false when there is none left now. */
  take(labId: string, session: string): boolean {
    const key = `${labId}\u0000${session}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_AT) this.prune();
      bucket = new TokenBucket(this.limit, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(1);
  }

  /** Seconds until the next socket would be allowed: for Retry-After. */
  get retryAfterS(): number {
    return Math.ceil(1 / this.limit.perSecond);
  }

  /** How many sessions are tracked (for tests of the pruning). */
  get size(): number {
    return this.buckets.size;
  }

  private prune(): void {
    for (const [key, bucket] of this.buckets) if (bucket.available() >= this.limit.burst) this.buckets.delete(key);
  }
}
