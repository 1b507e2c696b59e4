/**
 * The demo player: plays a guide by itself, one lab step at a time. For each
 * step it goes to the step's page, highlights the part the step uses, waits
 * the pace the trainer set (so the room can read), then performs the step
 * through the same doors a reader uses. Pause stops after the step under way;
 * the trainer may then act by hand, and Play resumes from wherever the lab
 * stands now, since the lab's own view says which step is next.
 *
 * The effects are injected, so this file touches neither the DOM nor the lab.
 */
import { stepPlace, type StepPlace } from './guide-map';

export type DemoStatus = 'idle' | 'playing' | 'pausing' | 'paused' | 'done' | 'failed';

export interface DemoSnapshot {
  status: DemoStatus;
  /** The step being shown or performed, in the guide's words. */
  stepLabel: string | null;
  /** Waiting the pace before acting ('reading') or acting ('doing'). */
  phase: 'reading' | 'doing' | null;
  paceMs: number;
  /** Why it stopped, when it failed. */
  message: string | null;
  /** Steps performed in this play. */
  performed: number;
}

export interface DemoEffects {
  /** The lab's current step path (`done` when every phase is done). Waits for the lab's view. */
  currentStep(): Promise<string>;
  label(path: string): string;
  /** Goes to the page (no-op when already there). */
  navigate(page: string): Promise<void>;
  /** Highlights the part on the page (and scrolls to it); null removes the highlight. */
  highlight(place: StepPlace | null): Promise<void>;
  perform(path: string): Promise<string>;
  /** Resolves after `ms`, or early when `cancelled` resolves first. */
  delay(ms: number, cancelled: Promise<void>): Promise<void>;
}

export const DEFAULT_PACE_MS = 3000;
/** The verify step runs once at the end; the player is done after it. */
const LAST_STEP = 'done';

export class DemoPlayer {
  private snapshot: DemoSnapshot;
  private readonly listeners = new Set<() => void>();
  private running = false;
  private wake: () => void = () => {};

  constructor(private readonly effects: DemoEffects, paceMs = DEFAULT_PACE_MS) {
    this.snapshot = { status: 'idle', stepLabel: null, phase: null, paceMs, message: null, performed: 0 };
  }

  getSnapshot(): DemoSnapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setPace(ms: number): void {
    this.set({ paceMs: Math.max(0, ms) });
  }

  /** Starts or resumes; a no-op while already playing. Resolves when the play stops. */
  async play(): Promise<void> {
    if (this.running) {
      if (this.snapshot.status === 'pausing') this.set({ status: 'playing' });
      return;
    }
    this.running = true;
    this.set({ status: 'playing', message: null, performed: 0 });
    try {
      await this.loop();
    } finally {
      this.running = false;
    }
  }

  /** Stops after the step under way (at once while only reading). */
  pause(): void {
    if (this.snapshot.status !== 'playing') return;
    this.set({ status: 'pausing' });
    this.wake();
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.pausing()) return this.stop('paused');
      let path: string;
      try {
        path = await this.effects.currentStep();
      } catch (err) {
        return this.fail(err);
      }
      const place = stepPlace(path);
      if (!place) return this.fail(new Error(`the lab is at a step (${path || 'none'}) the demo does not know`));
      const label = this.effects.label(path);
      this.set({ stepLabel: label, phase: 'reading' });
      try {
        await this.effects.navigate(place.page);
        await this.effects.highlight(place);
        const cancelled = new Promise<void>((resolve) => { this.wake = resolve; });
        await this.effects.delay(this.snapshot.paceMs, cancelled);
        if (this.pausing()) return this.stop('paused');
        this.set({ phase: 'doing' });
        await this.effects.perform(path);
        this.set({ performed: this.snapshot.performed + 1 });
      } catch (err) {
        return this.fail(err);
      }
      if (path === LAST_STEP) return this.stop('done');
    }
  }

  /** Read through a method: the status changes while the loop awaits. */
  private pausing(): boolean {
    return this.snapshot.status === 'pausing';
  }

  private stop(status: 'paused' | 'done'): void {
    this.set({ status, phase: null });
    void this.effects.highlight(null);
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.set({ status: 'failed', phase: null, message });
  }

  private set(patch: Partial<DemoSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of Array.from(this.listeners)) l();
  }
}
