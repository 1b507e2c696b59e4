/**
 * Labs expire: anyone may open a lab without a credential, so a lab nobody used
 * for `expiryMs` (default 7 days) is deleted with everything it has: its VMs are
 * stopped, its directory (disks, installers, consoles, suspended memory) and its
 * store records (log, Palette's documents, sessions) removed (LabManager.delete).
 * A page that comes back to it gets the lab server's 404 "lab … does not exist
 * (it was deleted)".
 *
 * A lab's last use is the latest of: its creation, its last logged event (every
 * command, build, jump, suspension), and the last request or page seen for it by
 * this process. Never reaped: a lab with a page attached, a lab with a running
 * host, a warm lab waiting for a learner (pinned), and class records (classes
 * close through `reapClasses`, classes.ts).
 *
 * The reaper runs once at start and then every `everyMs` (default an hour).
 */
import type { LabStore } from '../store/types';
import type { LabManager } from './lab-manager';

export const DEFAULT_LAB_EXPIRY_MS = 7 * 24 * 3600_000;
export const DEFAULT_REAP_EVERY_MS = 3600_000;

export interface ReaperDeps {
  store: LabStore;
  labs: LabManager;
  now: () => number;
  /** Default DEFAULT_LAB_EXPIRY_MS. */
  expiryMs?: number;
  /** Default DEFAULT_REAP_EVERY_MS. */
  everyMs?: number;
  /** After a lab was deleted (e.g. its class forgets it). */
  onReaped?: (labId: string) => Promise<void>;
  /** Closes the classes unused since `cutoff` (after the labs were reaped); their ids. */
  reapClasses?: (cutoff: number) => Promise<string[]>;
  /** Where a failed round is reported; default stderr. */
  log?: (line: string) => void;
}

export interface Reaped { labs: string[]; classes: string[] }

export class LabReaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Reaped> | undefined;
  private stopped = false;

  constructor(private readonly d: ReaperDeps) {}

  get expiryMs(): number { return this.d.expiryMs ?? DEFAULT_LAB_EXPIRY_MS; }

  /** A first round now (in the background), then one every `everyMs`. */
  start(): void {
    const round = (): void => void this.reapOnce().catch((err: unknown) => {
      (this.d.log ?? ((l) => process.stderr.write(`${l}\n`)))(`[lab-reaper] a round of expiring idle labs failed: ${err instanceof Error ? err.message : String(err)}; it runs again in ${Math.round((this.d.everyMs ?? DEFAULT_REAP_EVERY_MS) / 60_000)} min`);
    });
    round();
    this.timer = setInterval(round, this.d.everyMs ?? DEFAULT_REAP_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the timer and waits for a round under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  /** One round; concurrent calls share it. */
  reapOnce(): Promise<Reaped> {
    this.running ??= this.round().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async round(): Promise<Reaped> {
    const cutoff = this.d.now() - this.expiryMs;
    const labs: string[] = [];
    for (const lab of await this.d.store.listLabs()) {
      if (this.stopped) break;
      if (lab.scenario.startsWith('class:')) continue;
      if (lab.createdAt >= cutoff || (this.d.labs.lastUsedAt(lab.id) ?? 0) >= cutoff) continue;
      if (!(await this.spared(lab.id)) && (await this.lastEventAt(lab.id, lab.lastSeq)) < cutoff) {
        // Looked at again right before deleting: a page may have come meanwhile.
        if (await this.spared(lab.id)) continue;
        if (await this.d.labs.delete(lab.id)) {
          labs.push(lab.id);
          await this.d.onReaped?.(lab.id);
        }
      }
    }
    const classes = this.stopped ? [] : ((await this.d.reapClasses?.(cutoff)) ?? []);
    return { labs, classes };
  }

  /** A page attached, a running host, or a warm lab: never reaped. */
  private async spared(labId: string): Promise<boolean> {
    if (this.d.labs.isPinned(labId) || this.d.labs.attachedPages(labId) > 0) return true;
    const space = await this.d.labs.peek(labId);
    return !!space && space.runningHosts() > 0;
  }

  private async lastEventAt(labId: string, lastSeq: number): Promise<number> {
    if (lastSeq < 1) return 0;
    const [last] = await this.d.store.eventsSince(labId, lastSeq - 1, 1).catch(() => []);
    return last?.at ?? 0;
  }
}
