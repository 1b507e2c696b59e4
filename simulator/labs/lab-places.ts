/**
 * The machine's places for running hosts, and the queue of labs waiting for
 * one. A lab holds as many places as its scenario has hosts from the moment it
 * opens until it is suspended or deleted, so a lab that got in never stalls
 * half way for lack of room. Labs that do not fit wait first come, first
 * served; nobody overtakes the head of the queue. Pure bookkeeping, no I/O.
 *
 * Labs made ahead of need (a class's warm labs) may hold at most `aheadLimit`
 * places together, always fewer than `limit`: the rest stays for learners who
 * arrive on their own. A lab held ahead becomes an ordinary one when someone
 * takes it (`claim`).
 */
export type PlaceRequest = { placed: true } | { placed: false; position: number };

export class LabPlaces {
  private readonly held = new Map<string, number>();
  private readonly waiting: { labId: string; slots: number }[] = [];
  /** Labs held ahead of need, with their slots. */
  private readonly ahead = new Map<string, number>();
  readonly aheadLimit: number;

  /** `aheadLimit` defaults to half the places (see defaultAheadLimit). */
  constructor(readonly limit: number, aheadLimit?: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`[lab-places] the limit of running hosts must be a whole number ≥ 1, not ${limit}`);
    this.aheadLimit = aheadLimit ?? defaultAheadLimit(limit);
    if (!Number.isInteger(this.aheadLimit) || this.aheadLimit < 0 || this.aheadLimit >= limit) {
      throw new RangeError(`[lab-places] the places for warm labs must be a whole number from 0 to ${limit - 1} (fewer than the ${limit} running hosts, so learners who come on their own always find room), not ${this.aheadLimit}`);
    }
  }

  /** Places held now by labs made ahead of need. */
  aheadUsed(): number {
    let n = 0;
    for (const s of this.ahead.values()) n += s;
    return n;
  }

  /** The lab, held ahead of need, is someone's now: its places no longer count against aheadLimit. */
  claim(labId: string): void { this.ahead.delete(labId); }

  /** Places held now. */
  used(): number {
    let n = 0;
    for (const s of this.held.values()) n += s;
    return n;
  }

  holds(labId: string): boolean { return this.held.has(labId); }
  get queued(): number { return this.waiting.length; }

  /** 1 for the head of the queue; null when the lab is not waiting. */
  position(labId: string): number | null {
    const i = this.waiting.findIndex((w) => w.labId === labId);
    return i < 0 ? null : i + 1;
  }

  /**
   * A place for the lab: given when it fits and nobody waits before it, otherwise the lab waits
   * (once; asking again keeps its position). With `queue: false` a lab that does not fit is not
   * queued (position 0). With `ahead: true` (a warm pool's lab; implies `queue: false`) it must
   * also fit within aheadLimit.
   */
  request(labId: string, slots: number, o: { queue?: boolean; ahead?: boolean } = {}): PlaceRequest {
    if (this.held.has(labId)) return { placed: true };
    if (o.ahead) {
      const fits = this.used() + slots <= this.limit && this.aheadUsed() + slots <= this.aheadLimit && this.waiting.length === 0;
      if (!fits) return { placed: false, position: 0 };
      this.held.set(labId, slots);
      this.ahead.set(labId, slots);
      return { placed: true };
    }
    const pos = this.position(labId);
    const fits = this.used() + slots <= this.limit;
    if (fits && (pos === 1 || (pos === null && this.waiting.length === 0))) {
      if (pos === 1) this.waiting.shift();
      this.held.set(labId, slots);
      return { placed: true };
    }
    if (pos !== null) return { placed: false, position: pos };
    if (o.queue === false) return { placed: false, position: 0 };
    this.waiting.push({ labId, slots });
    return { placed: false, position: this.waiting.length };
  }

  /** Frees the lab's places (or takes it out of the queue); returns the labs at the queue's head that fit now, placed. */
  release(labId: string): string[] {
    this.held.delete(labId);
    this.ahead.delete(labId);
    const i = this.waiting.findIndex((w) => w.labId === labId);
    if (i >= 0) this.waiting.splice(i, 1);
    const placed: string[] = [];
    while (this.waiting.length > 0 && this.used() + this.waiting[0]!.slots <= this.limit) {
      const next = this.waiting.shift()!;
      this.held.set(next.labId, next.slots);
      placed.push(next.labId);
    }
    return placed;
  }
}

/** Warm labs may hold half the places by default, and never all of them. */
export const DEFAULT_AHEAD_SHARE = 0.5;

export function defaultAheadLimit(limit: number, share = DEFAULT_AHEAD_SHARE): number {
  return Math.min(limit - 1, Math.max(0, Math.floor(limit * share)));
}

/**
 * A sane default limit from the machine: an idle edge host costs about 1 % of a core and
 * 150–170 MB (BENCHMARKS.md), so memory (three quarters of it, 200 MB a host) and cores
 * (30 idle hosts each) bound it.
 */
export function defaultHostLimit(totalMemBytes: number, cores: number): number {
  const byMemory = Math.floor((totalMemBytes * 0.75) / (200 * 1024 * 1024));
  return Math.max(1, Math.min(byMemory, cores * 30));
}
