/**
 * The sessions a trainer has ended (removed members), as admission asks about
 * them on every request and every socket upgrade: synchronously, from memory.
 *
 * Contract: `isEnded(labId, sid)` is true for every member removed through
 * `end()` in this process, and for every removal the store holds from the last
 * MAX_TOKEN_TTL_MS before `load()` (a token issued before a removal lives at
 * most that long, and the server secret survives restarts, so older removals
 * can no longer matter). Entries are forgotten once that long has passed.
 * One process's memory: a second server on the same store learns of a removal
 * only at its own start (the lab server is one process today).
 */
import { MAX_TOKEN_TTL_MS } from './auth';
import { removalsSince } from '../labs/lab-members';
import type { LabStore } from '../store/types';

export class SessionRevocations {
  /** `<labId>/<sid>` → when it was ended. */
  private readonly ended = new Map<string, number>();

  private constructor(private readonly now: () => number) {}

  /** The list, with the recent removals of the store. */
  static async load(store: LabStore, now: () => number): Promise<SessionRevocations> {
    const list = new SessionRevocations(now);
    for (const r of await removalsSince(store, now() - MAX_TOKEN_TTL_MS)) list.ended.set(key(r.labId, r.memberId), r.removedAt);
    return list;
  }

  /** From now on, tokens of this session are refused. */
  end(labId: string, sid: string): void {
    this.forgetOld();
    this.ended.set(key(labId, sid), this.now());
  }

  isEnded(labId: string, sid: string): boolean {
    const at = this.ended.get(key(labId, sid));
    return at !== undefined && this.now() - at < MAX_TOKEN_TTL_MS;
  }

  private forgetOld(): void {
    const cutoff = this.now() - MAX_TOKEN_TTL_MS;
    for (const [k, at] of this.ended) if (at < cutoff) this.ended.delete(k);
  }
}

const key = (labId: string, sid: string): string => `${labId}/${sid}`;
