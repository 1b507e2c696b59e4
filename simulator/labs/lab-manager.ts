/**
 * The labs of one lab server: creates a lab (a store record and its directory),
 * opens an existing one on first use (restoring it from the store, e.g. after a
 * restart) and closes them all on shutdown. Each lab is a LabSpace; nothing here
 * holds lab state of its own, so labs could live in other processes later.
 *
 * Room: an open lab holds a place per host (lab-places.ts); a lab that does not
 * fit waits in a queue (LabQueuedError says its position). A lab nobody has
 * looked at for `idleSuspendMs` is suspended: its running hosts are saved to
 * its directory and stopped, its places freed; opening it again resumes them.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LAB_ID_PATTERN } from '../pure/protocol';
import { findScenario } from '../pure/scenarios';
import { LabError } from './errors';
import { LabPlaces } from './lab-places';
import { LabSpace, type OpenOptions, type ResumePlan, type SpaceDeps } from './lab-space';

export interface LabManagerDeps extends SpaceDeps {
  /** Each lab's files live in `<dataDir>/labs/<labId>/`. */
  dataDir: string;
  /** The machine's limit of running hosts (places). */
  maxRunningHosts: number;
  /** Places warm labs (made ahead of need) may hold together; default half of maxRunningHosts, always fewer than it. */
  maxWarmHosts?: number;
  /** A lab with no page attached and no request for this long is suspended. Default 15 minutes. */
  idleSuspendMs?: number;
  /** How many pages are attached to the lab now (its sockets). */
  attached?: (labId: string) => number;
  /** The lab's space closed while pages may be attached (replaced by a jump, or suspended). */
  onSpaceClosed?: (labId: string) => void;
}

/** Where a lab is: open (holding places), waiting for a place, suspended, or simply not open now. */
export type LabPlace = { state: 'active' | 'suspended' | 'closed'; position: null } | { state: 'queued'; position: number };

/** A lab just opened or made to wait: what the doors answer as its `place`. */
export function openedPlace(queuePosition: number | null): LabPlace {
  return queuePosition === null ? { state: 'active', position: null } : { state: 'queued', position: queuePosition };
}

const SUSPENDED_KIND = 'placement';
const SUSPENDED_ID = 'suspended';
const SWEEP_MS = 15_000;

export class LabQueuedError extends LabError {
  constructor(readonly labId: string, readonly position: number) {
    super('queued', `this machine is at its limit of running hosts; lab ${labId} waits for a place: number ${position} in the queue. It starts as soon as one is free; the page retries by itself`);
  }
}

export class LabManager {
  private readonly open = new Map<string, Promise<LabSpace>>();
  /** A jump or suspension under way: other calls on the lab wait for it. */
  private readonly busy = new Map<string, Promise<unknown>>();
  private readonly lastUse = new Map<string, number>();
  /** Labs kept open though nobody uses them (a warm pool's): never suspended. */
  private readonly pinned = new Set<string>();
  readonly places: LabPlaces;
  private readonly sweep: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly d: LabManagerDeps) {
    this.places = new LabPlaces(d.maxRunningHosts, d.maxWarmHosts);
    this.sweep = setInterval(() => void this.suspendIdle().catch(() => {}), SWEEP_MS);
    this.sweep.unref();
  }

  /** Why the data directory's disk is too full for new labs, installers and checkpoints now, or null. */
  diskLow(): { message: string } | null {
    return this.d.diskLow?.() ?? null;
  }

  /** The data directory's disk changed side of its floor: open labs show it, and paused hosts run on when it has room. */
  async diskSpaceChanged(low: boolean): Promise<void> {
    for (const opening of [...this.open.values()]) {
      const space = await opening.catch(() => null);
      if (!space) continue;
      if (low) space.runtime.refreshView();
      else await space.runtime.diskSpaceReturned();
    }
  }

  /** Creates a lab; it opens at once when there is room, else it waits in the queue (LabQueuedError). */
  async create(input: { scenario: string; role?: string }, o: { queue?: boolean } = {}): Promise<LabSpace> {
    const found = findScenario(input.scenario);
    if (!found.ok) throw new LabError('unknown-scenario', found.message.replace(/^\[scenario\] /, ''));
    const lab = await this.d.store.createLab({ scenario: found.scenario.name, role: input.role ?? 'solo' });
    const space = await this.get(lab.id, o);
    if (!space) throw new LabError('closed', 'the lab server is shutting down');
    return space;
  }

  /**
   * The lab's space, opened (or woken) on first use; undefined when there is no such lab; LabQueuedError while it waits.
   * `ahead`: a warm lab, placed only within the warm labs' share (lab-places.ts) and never queued.
   */
  async get(labId: string, o: { queue?: boolean; ahead?: boolean } = {}): Promise<LabSpace | undefined> {
    if (this.closed || !LAB_ID_PATTERN.test(labId)) return undefined;
    await this.busy.get(labId)?.catch(() => {});
    return this.getNow(labId, o);
  }

  private async getNow(labId: string, o: { queue?: boolean; ahead?: boolean } = {}): Promise<LabSpace | undefined> {
    if (this.closed) return undefined;
    this.lastUse.set(labId, this.d.now());
    const known = this.open.get(labId);
    if (known) return known;
    const lab = await this.d.store.getLab(labId);
    // Classes are kept beside the labs (classes/classes.ts); they are not labs.
    if (!lab || lab.scenario.startsWith('class:')) return undefined;
    const found = findScenario(lab.scenario);
    if (!found.ok) throw new LabError('unknown-scenario', found.message);
    const slots = found.scenario.hosts.length;
    if (slots > this.places.limit) {
      throw new LabError('not-allowed', `this lab needs ${slots} running hosts but this machine's limit is ${this.places.limit}; raise it (npm start -- --max-hosts N) or open a smaller scenario`);
    }
    const place = this.places.request(labId, slots, o);
    if (!place.placed) throw new LabQueuedError(labId, place.position);
    const plan = await this.suspendedPlan(labId);
    return this.openSpace(labId, plan ? { resume: plan, woken: true } : {});
  }

  /** Where the lab is now, without opening it. */
  async placeOf(labId: string): Promise<LabPlace> {
    const position = this.places.position(labId);
    if (position !== null) return { state: 'queued', position };
    if (this.open.has(labId) || this.places.holds(labId)) return { state: 'active', position: null };
    return { state: (await this.suspendedPlan(labId)) ? 'suspended' : 'closed', position: null };
  }

  /** The lab's space when it is open now; never opens, wakes or queues it. */
  async peek(labId: string): Promise<LabSpace | undefined> {
    return this.open.get(labId)?.catch(() => undefined);
  }

  pin(labId: string): void { this.pinned.add(labId); }
  /** A warm lab handed to someone: suspended when idle like any other, its places no longer warm. */
  unpin(labId: string): void { this.pinned.delete(labId); this.places.claim(labId); this.touch(labId); }
  isPinned(labId: string): boolean { return this.pinned.has(labId); }

  /** Pages attached to the lab now (its sockets). */
  attachedPages(labId: string): number { return this.d.attached?.(labId) ?? 0; }

  /** Marks the lab as in use now (a page attached or left). */
  touch(labId: string): void {
    if (this.open.has(labId)) this.lastUse.set(labId, this.d.now());
  }

  lastUsedAt(labId: string): number | null {
    return this.lastUse.get(labId) ?? null;
  }

  /** Open labs' running hosts right now. */
  async runningHosts(): Promise<number> {
    const spaces = await Promise.allSettled([...this.open.values()]);
    return spaces.reduce((n, s) => n + (s.status === 'fulfilled' ? s.value.runningHosts() : 0), 0);
  }

  /**
   * Replaces the lab's whole state: its space closes (power cut; pages are told to reconnect),
   * `put` rewrites its store records and files and returns what to resume, and it opens again.
   */
  async replace(labId: string, put: (o: { labId: string; dir: string }) => Promise<ResumePlan>, note: string): Promise<LabSpace> {
    return this.exclusive(labId, async () => {
      const space = await this.getPlaced(labId);
      await space.close({ fast: true });
      this.open.delete(labId);
      this.d.onSpaceClosed?.(labId);
      await this.forgetSuspended(labId);
      let resume: ResumePlan = {};
      try {
        resume = await put({ labId, dir: this.dirOf(labId) });
      } finally {
        // Opened again even when putting failed half way: the lab says what it has.
        await this.openSpace(labId, { resume, note });
      }
      return this.open.get(labId)!;
    });
  }

  /** Suspends the lab now (see the class comment); false when it was not open. */
  async suspend(labId: string): Promise<boolean> {
    return this.exclusive(labId, async () => {
      const opening = this.open.get(labId);
      if (!opening) return false;
      const space = await opening;
      const plan = await space.suspend();
      this.open.delete(labId);
      this.d.onSpaceClosed?.(labId);
      await this.d.store.put(labId, SUSPENDED_KIND, SUSPENDED_ID, { plan });
      this.places.release(labId);
      return true;
    });
  }

  /** Stops the lab and deletes it with its files. */
  async delete(labId: string): Promise<boolean> {
    if (!LAB_ID_PATTERN.test(labId) || !(await this.d.store.getLab(labId))) return false;
    await this.busy.get(labId)?.catch(() => {});
    const space = await this.open.get(labId)?.catch(() => undefined);
    await space?.close({ fast: true });
    this.open.delete(labId);
    this.places.release(labId);
    this.lastUse.delete(labId);
    this.pinned.delete(labId);
    this.d.onSpaceClosed?.(labId);
    await this.d.store.deleteLab(labId);
    await rm(this.dirOf(labId), { recursive: true, force: true });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweep);
    await Promise.allSettled([...this.busy.values()]);
    const spaces = await Promise.allSettled([...this.open.values()]);
    await Promise.all(spaces.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    this.open.clear();
  }

  /** Suspends every open lab with no page attached that was not used for idleSuspendMs. */
  async suspendIdle(): Promise<string[]> {
    const idleMs = this.d.idleSuspendMs ?? 15 * 60_000;
    const now = this.d.now();
    const idle = [...this.open.keys()].filter((id) => !this.busy.has(id) && !this.pinned.has(id) && (this.d.attached?.(id) ?? 0) === 0 && now - (this.lastUse.get(id) ?? 0) >= idleMs);
    const done: string[] = [];
    for (const id of idle) if (await this.suspend(id).catch(() => false)) done.push(id);
    return done;
  }

  private async getPlaced(labId: string): Promise<LabSpace> {
    const space = this.open.get(labId) ? await this.open.get(labId)! : await this.getNow(labId);
    if (!space) throw new LabError('closed', `no lab ${labId}`);
    return space;
  }

  private openSpace(labId: string, o: OpenOptions & { woken?: boolean }): Promise<LabSpace> {
    const opening = LabSpace.open(labId, this.dirOf(labId), this.d, o).then(async (space) => {
      if (o.woken) {
        await this.forgetSuspended(labId);
        await space.runtime.append({ type: 'lab.resumed' });
      }
      return space;
    });
    this.open.set(labId, opening);
    opening.catch(() => { this.open.delete(labId); this.places.release(labId); });
    return opening;
  }

  private async suspendedPlan(labId: string): Promise<ResumePlan | undefined> {
    return (await this.d.store.get<{ plan: ResumePlan }>(labId, SUSPENDED_KIND, SUSPENDED_ID))?.doc.plan;
  }

  private async forgetSuspended(labId: string): Promise<void> {
    if (await this.d.store.remove(labId, SUSPENDED_KIND, SUSPENDED_ID)) {
      await rm(join(this.dirOf(labId), 'suspended'), { recursive: true, force: true });
    }
  }

  private exclusive<T>(labId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.busy.get(labId) ?? Promise.resolve();
    const run = before.catch(() => {}).then(fn);
    const tracked = run.finally(() => { if (this.busy.get(labId) === tracked) this.busy.delete(labId); });
    this.busy.set(labId, tracked);
    return run;
  }

  private dirOf(labId: string): string {
    return join(this.d.dataDir, 'labs', labId);
  }
}
