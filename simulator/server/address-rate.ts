/**
 * A sliding one-minute window of attempts per client address (keyed as lab-quota.ts's addressKey:
 * an IPv6 client by its /64). `take` counts an attempt and says how long to wait when the address
 * has used up its minute. Bounded: at most MAX_ADDRESSES addresses are remembered, the stalest
 * forgotten first.
 */
import { addressKey } from './address-key';

const WINDOW_MS = 60_000;
const MAX_ADDRESSES = 10_000;

export class AddressRate {
  /** Address key → times of its attempts in the last minute, oldest first; least recently used first. */
  private readonly recent = new Map<string, number[]>();

  constructor(readonly perMinute: number, private readonly now: () => number) {}

  /** Counts one attempt from `address`: null when allowed, else the seconds until the next one is. */
  take(address: string | undefined): number | null {
    const now = this.now();
    const key = addressKey(address);
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length >= this.perMinute) {
      this.recent.set(key, times);
      return Math.max(1, Math.ceil((times[0]! + WINDOW_MS - now) / 1000));
    }
    times.push(now);
    this.recent.delete(key);
    this.recent.set(key, times);
    this.forgetOld(now);
    return null;
  }

  /** Attempts counted for `address` in the last minute. */
  used(address: string | undefined): number {
    const now = this.now();
    return (this.recent.get(addressKey(address)) ?? []).filter((t) => now - t < WINDOW_MS).length;
  }

  private forgetOld(now: number): void {
    if (this.recent.size <= MAX_ADDRESSES) return;
    for (const [key, times] of this.recent) {
      if (this.recent.size <= MAX_ADDRESSES && now - (times.at(-1) ?? 0) < WINDOW_MS) break;
      this.recent.delete(key);
    }
  }
}
