/**
 * What `POST /labs` (no credential) may make: at most `perMinute` labs a minute
 * per client address, and never more than `maxStoredLabs` labs kept on this
 * machine. The lab server listens on loopback today, where every page shares
 * one address; it is keyed by address all the same for the day it serves a
 * room. An IPv6 client is keyed by its /64 (one client holds a whole /64);
 * an IPv4-mapped IPv6 address counts as its IPv4 one.
 *
 * Refusals: 429 (this address, too fast) or 503 (the machine's store is full),
 * each with Retry-After in seconds and a `[lab-server] …` message.
 * Class joins are not counted here: a class bounds its own learners (classes.ts).
 */
import { isIPv6 } from 'node:net';

export const DEFAULT_LABS_PER_MINUTE = 10;
export const DEFAULT_MAX_STORED_LABS = 500;
const WINDOW_MS = 60_000;
/** Addresses remembered at most; beyond it the oldest windows are forgotten first. */
const MAX_ADDRESSES = 10_000;

export type QuotaRefusal = { status: 429 | 503; retryAfterSeconds: number; error: 'too-many-labs' | 'lab-store-full'; message: string };

export class LabQuota {
  /** Address key → times of the labs it opened in the last minute, oldest first. */
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly o: { now: () => number; perMinute?: number; maxStoredLabs?: number }) {}

  get perMinute(): number { return this.o.perMinute ?? DEFAULT_LABS_PER_MINUTE; }
  get maxStoredLabs(): number { return this.o.maxStoredLabs ?? DEFAULT_MAX_STORED_LABS; }

  /**
   * Whether a client at `address` may open one more lab when `storedLabs` are kept now; when it
   * may, the lab is counted against its minute (call it right before making the lab).
   */
  admit(address: string | undefined, storedLabs: number): QuotaRefusal | null {
    const now = this.o.now();
    if (storedLabs >= this.maxStoredLabs) {
      return {
        status: 503, retryAfterSeconds: 3600, error: 'lab-store-full',
        message: `[lab-server] this lab server keeps ${storedLabs} labs, its most (${this.maxStoredLabs}); no new lab can open until idle ones expire. Reopen a lab you already have (its page remembers it), or ask the operator to raise the cap (npm start -- --max-labs N) or to shorten the expiry (--lab-expiry-days N)`,
      };
    }
    const key = addressKey(address);
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length >= this.perMinute) {
      this.recent.set(key, times);
      const retry = Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000));
      return {
        status: 429, retryAfterSeconds: retry, error: 'too-many-labs',
        message: `[lab-server] ${times.length} labs were opened from your address in the last minute, the most this server allows (${this.perMinute} a minute); try again in ${retry} s, or reopen a lab you already have`,
      };
    }
    times.push(now);
    this.recent.delete(key);
    this.recent.set(key, times);
    this.forgetOld(now);
    return null;
  }

  private forgetOld(now: number): void {
    if (this.recent.size <= MAX_ADDRESSES) return;
    for (const [key, times] of this.recent) {
      if (this.recent.size <= MAX_ADDRESSES && now - (times.at(-1) ?? 0) < WINDOW_MS) break;
      this.recent.delete(key);
    }
  }
}

/** The key an address is counted under (see the header). */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
