/**
 * What `POST /labs` (no credential) may make: at most `perMinute` labs a minute
 * per client address (address-rate.ts; in solo mode every page shares the
 * loopback address, in room mode each learner's computer has its own), and
 * never more than `maxStoredLabs` labs kept on this machine.
 *
 * Refusals: 429 (this address, too fast) or 503 (the machine's store is full),
 * each with Retry-After in seconds and a `[lab-server] …` message.
 * Class joins are not counted here: a class bounds its own learners (classes.ts).
 */
import { AddressRate } from './address-rate';

export const DEFAULT_LABS_PER_MINUTE = 10;
export const DEFAULT_MAX_STORED_LABS = 500;

export type QuotaRefusal = { status: 429 | 503; retryAfterSeconds: number; error: 'too-many-labs' | 'lab-store-full'; message: string };

export class LabQuota {
  private readonly rate: AddressRate;

  constructor(private readonly o: { now: () => number; perMinute?: number; maxStoredLabs?: number }) {
    this.rate = new AddressRate(o.perMinute ?? DEFAULT_LABS_PER_MINUTE, o.now);
  }

  get perMinute(): number { return this.o.perMinute ?? DEFAULT_LABS_PER_MINUTE; }
  get maxStoredLabs(): number { return this.o.maxStoredLabs ?? DEFAULT_MAX_STORED_LABS; }

  /**
   * Whether a client at `address` may open one more lab when `storedLabs` are kept now; when it
   * may, the lab is counted against its minute (call it right before making the lab).
   */
  admit(address: string | undefined, storedLabs: number): QuotaRefusal | null {
    if (storedLabs >= this.maxStoredLabs) {
      return {
        status: 503, retryAfterSeconds: 3600, error: 'lab-store-full',
        message: `[lab-server] this lab server keeps ${storedLabs} labs, its most (${this.maxStoredLabs}); no new lab can open until idle ones expire. Reopen a lab you already have (its page remembers it), or ask the operator to raise the cap (npm start -- --max-labs N) or to shorten the expiry (--lab-expiry-days N)`,
      };
    }
    const retry = this.rate.take(address);
    if (retry !== null) {
      const used = this.rate.used(address);
      return {
        status: 429, retryAfterSeconds: retry, error: 'too-many-labs',
        message: `[lab-server] ${used} labs were opened from your address in the last minute, the most this server allows (${this.perMinute} a minute); try again in ${retry} s, or reopen a lab you already have`,
      };
    }
    return null;
  }
}
