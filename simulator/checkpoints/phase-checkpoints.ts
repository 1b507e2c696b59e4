/**
 * Every scenario's checkpoints at its phase boundaries: the lab at the start of
 * each phase, and `done` (the cluster Running). They are made once, by playing
 * the scenario headless in a lab of their own through the lab server's public
 * doors (the same steps as "Show me"), and kept under
 * `<root>/<scenario>-<key>/<phase>.json` with their files content-addressed.
 * The key hashes what the checkpoints depend on (the scenario, the guest
 * images, the lab steps, the image format), so a change makes them anew.
 *
 * Jumping puts a lab at a phase: its space closes, the image is put in
 * (put-image.ts), it opens again with its running hosts resumed from memory.
 */
import type { JumpResult as HttpJumpResult } from '../pure/protocol/http-answers';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestImages } from '../images/guest-images';
import type { LabManager } from '../labs/lab-manager';
import { LAB_PHASES, LAB_STEPS, PHASE_LABELS, type LabPhase } from '../pure/machines/lab.steps';
import { findScenario, type Scenario } from '../pure/scenarios';
import { SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import { createLab, LabClient } from '../scenarios/lab-client';
import type { BlobStore } from '../store/blob-store';
import type { LabStore } from '../store/types';
import { CheckpointError } from './errors';
import { captureLab, imageHashes, LAB_IMAGE_FORMAT, type LabImage } from './lab-image';
import { putImage } from './put-image';

export const CHECKPOINT_PHASES = [...LAB_PHASES, 'done'] as const;
export type CheckpointPhase = (typeof CHECKPOINT_PHASES)[number];

export function isCheckpointPhase(p: unknown): p is CheckpointPhase {
  return typeof p === 'string' && (CHECKPOINT_PHASES as readonly string[]).includes(p);
}

export function checkpointTitle(p: CheckpointPhase): string {
  return p === 'done' ? 'the end (cluster Running)' : PHASE_LABELS[p as LabPhase];
}

export interface PhaseCheckpointDeps {
  /** `<dataDir>/checkpoints`. */
  root: string;
  files: BlobStore;
  labs: LabManager;
  store: LabStore;
  images: GuestImages;
  /** The lab server's own URL: the builder plays the scenario through it. */
  serverUrl: () => string;
  /** The operator key: a room's server opens a lab of its own only for its holder. */
  operatorKey?: string;
  now: () => number;
  /** The data directory is below its free-space floor: its words, else null. Checkpoints are not made then. */
  diskLow?: () => { message: string } | null;
}

/** A jump as the slot reports it; the HTTP answer adds `ok: true` (pure/protocol/http-answers.ts). */
export type JumpResult = Omit<HttpJumpResult, 'ok'>;
/** When playing the scenario reached each phase, in ms from the lab's opening: what a jump saves. */
export type BuildTimes = Partial<Record<CheckpointPhase, number>>;

export class PhaseCheckpoints {
  private readonly building = new Map<string, Promise<BuildTimes>>();
  /** Cache keys whose every checkpoint was found whole: the files are read-only, so that stays true. */
  private readonly whole = new Set<string>();
  /** The last failure of making a scenario's checkpoints, by cache key. */
  private readonly failures = new Map<string, string>();

  constructor(private readonly d: PhaseCheckpointDeps) {}

  /** What the scenario's checkpoints depend on, hashed. */
  key(s: Scenario): string {
    const sample = s.hosts[0] ? s.userData({ token: 'TOKEN', endpoint: 'ENDPOINT', host: s.hosts[0] }) : '';
    const basis = {
      format: LAB_IMAGE_FORMAT,
      scenario: { name: s.name, hosts: s.hosts, lan: s.lan, profile: s.profile, project: s.project, tokenName: s.tokenName, sample, cluster: s.cluster(s.hosts.map((h) => h.name)) },
      images: this.d.images.sha256,
      steps: LAB_STEPS.map((st) => st.path),
    };
    return createHash('sha256').update(JSON.stringify(basis)).digest('hex').slice(0, 16);
  }

  /** The checkpoint of `phase`, made first (the whole set, once) when it is not cached. */
  async image(scenarioName: string, phase: CheckpointPhase): Promise<{ image: LabImage; built: boolean }> {
    const s = scenarioOf(scenarioName);
    const cached = await this.cached(s, phase);
    if (cached) return { image: cached, built: false };
    await this.build(s);
    const made = await this.cached(s, phase);
    if (!made) throw new CheckpointError('build-failed', `making the checkpoints of ${s.name} did not produce ${phase}`);
    return { image: made, built: true };
  }

  /** Whether the scenario's checkpoints are made, being made, or not (with why the last making failed). */
  async status(scenarioName: string): Promise<{ state: 'ready' | 'making' | 'missing'; error: string | null }> {
    const s = scenarioOf(scenarioName);
    const key = `${s.name}-${this.key(s)}`;
    if (this.whole.has(key)) return { state: 'ready', error: null };
    if (this.building.has(key)) return { state: 'making', error: null };
    for (const p of CHECKPOINT_PHASES) if (!(await this.cached(s, p))) return { state: 'missing', error: this.failures.get(key) ?? null };
    this.whole.add(key);
    return { state: 'ready', error: null };
  }

  /** Starts making the scenario's checkpoints in the background unless they are made (e.g. when a class opens). */
  prepare(scenarioName: string): void {
    void this.image(scenarioName, 'done').catch(() => {});
  }

  /** Puts the lab at the start of `phase` (or at the end, `done`). */
  async jump(labId: string, phase: CheckpointPhase): Promise<JumpResult> {
    const lab = await this.d.store.getLab(labId);
    if (!lab) throw new CheckpointError('not-found', `no lab ${labId}`);
    const { image, built } = await this.image(lab.scenario, phase);
    const t0 = performance.now();
    await this.d.labs.replace(labId, ({ dir }) => putImage({ labId, dir, store: this.d.store, files: this.d.files, image, now: this.d.now() }),
      `── the lab jumped to ${checkpointTitle(phase)} (a checkpoint) ──`);
    return { phase, ms: Math.round(performance.now() - t0), built };
  }

  /** Makes the scenario's checkpoints unless they are being made already. */
  build(s: Scenario): Promise<BuildTimes> {
    const key = `${s.name}-${this.key(s)}`;
    let run = this.building.get(key);
    const low = run ? null : this.d.diskLow?.();
    if (low) return Promise.reject(new CheckpointError('disk-low', `not making the checkpoints of ${s.name} now: ${low.message.replace(/^\[[a-z-]+\] /, '')}`));
    if (!run) {
      run = this.playAndCapture(s)
        .then((t) => { this.failures.delete(key); return t; }, (err: unknown) => { this.failures.set(key, err instanceof Error ? err.message : String(err)); throw err; })
        .finally(() => this.building.delete(key));
      this.building.set(key, run);
    }
    return run;
  }

  private dirOf(s: Scenario): string {
    return join(this.d.root, `${s.name}-${this.key(s)}`);
  }

  private async cached(s: Scenario, phase: CheckpointPhase): Promise<LabImage | null> {
    let image: LabImage;
    try {
      image = JSON.parse(await readFile(join(this.dirOf(s), `${phase}.json`), 'utf8')) as LabImage;
    } catch {
      return null;
    }
    if (image.format !== LAB_IMAGE_FORMAT) return null;
    for (const h of imageHashes(image)) if (!(await this.d.files.has(h))) return null;
    return image;
  }

  private async playAndCapture(s: Scenario): Promise<BuildTimes> {
    const dir = this.dirOf(s);
    await mkdir(dir, { recursive: true });
    const times: BuildTimes = {};
    const t0 = performance.now();
    const opened = await createLab(this.d.serverUrl(), s.name, 'solo', this.d.operatorKey);
    const client = new LabClient(this.d.serverUrl(), opened);
    const capture = async (phase: CheckpointPhase): Promise<void> => {
      times[phase] = Math.round(performance.now() - t0);
      const space = await this.d.labs.get(opened.labId);
      if (!space) throw new CheckpointError('build-failed', `the builder's lab ${opened.labId} is gone`);
      const image = await captureLab(space, this.d.files, { label: phase, tmpDir: join(dir, `.capture-${phase}`), now: this.d.now() });
      const file = join(dir, `${phase}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify(image));
      await rename(`${file}.tmp`, file);
    };
    try {
      await client.connect();
      const memo: ScenarioMemo = {};
      let at: string | null = null;
      for (const step of SCENARIO_STEPS) {
        const phase: CheckpointPhase = step.phase === 'verify' ? 'done' : step.phase;
        if (phase !== at) { await capture(phase); at = phase; }
        try {
          await step.perform(client, s, memo);
        } catch (err) {
          throw new CheckpointError('build-failed', `making the checkpoints of ${s.name}: "${step.title(s)}" failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }
      return times;
    } finally {
      client.close();
      await this.d.labs.delete(opened.labId).catch(() => {});
    }
  }
}

function scenarioOf(name: string): Scenario {
  const found = findScenario(name);
  if (!found.ok) throw new CheckpointError('not-found', found.message);
  return found.scenario;
}
