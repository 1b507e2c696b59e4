/**
 * A chaos run's plan: which fault hits which lab, during which scenario step, and how far into
 * it, all drawn from one seed, so the seed of a failing run replays the same faults in the same
 * places (simulator/chaos runs them). Pure: no I/O, no clock.
 */
import { HANDOFF_STEP_PATH } from '../machines/lab.steps';
import { SCENARIO_STEPS, VERIFY_PATH } from '../scenarios/scenario-steps';

export const FAULT_KINDS = ['qemu-kill', 'server-kill', 'stick-pull', 'power-cut', 'disk-fill', 'store-lock'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_TITLES: Readonly<Record<FaultKind, string>> = {
  'qemu-kill': 'QEMU killed (-9)',
  'server-kill': 'lab server killed (-9) and restarted',
  'stick-pull': 'USB stick pulled',
  'power-cut': 'power cut',
  'disk-fill': 'data directory filled, then freed',
  'store-lock': 'store locked by another writer',
};

const INSTALLING = 'installHandoff.installingHosts';
const HOSTS_ON: readonly string[] = [INSTALLING, 'registration', 'clusterProvisioning.creatingCluster', 'clusterProvisioning.waitingForRunning'];
const EVERY_STEP: readonly string[] = SCENARIO_STEPS.map((s) => s.path);

/** The steps during which a fault of each kind can hit something (a running host, a stick in). */
export const FAULT_STEPS: Readonly<Record<FaultKind, readonly string[]>> = {
  'qemu-kill': HOSTS_ON,
  'server-kill': EVERY_STEP,
  'stick-pull': [INSTALLING],
  'power-cut': HOSTS_ON,
  'disk-fill': [INSTALLING, 'installHandoff.forgingInstaller', 'registration', 'clusterProvisioning.waitingForRunning'],
  'store-lock': EVERY_STEP,
};

/** About how long each step takes on this machine (ms): a fault lands somewhere inside it. */
const STEP_SPAN_MS: Readonly<Record<string, number>> = {
  [INSTALLING]: 7_000,
  'installHandoff.forgingInstaller': 2_000,
  registration: 10_000,
  'clusterProvisioning.waitingForRunning': 30_000,
  [VERIFY_PATH]: 2_000,
  [HANDOFF_STEP_PATH]: 300,
};
const DEFAULT_SPAN_MS = 500;

export interface PlannedFault {
  /** 1-based, in the order the run meets them. */
  n: number;
  lab: number;
  kind: FaultKind;
  /** The scenario step (scenario-steps.ts path) during which it hits. */
  step: string;
  /** How long after the step starts. */
  delayMs: number;
  /** How long a held fault (disk full, store locked) holds before it is lifted. */
  holdMs: number;
}

export interface ChaosPlanInput {
  labs: number;
  faults: number;
  seed: number;
  /** Kinds this run may use (e.g. without disk-fill where the data directory cannot be a tmpfs). */
  kinds?: readonly FaultKind[];
}

/** mulberry32: a small, well-known 32-bit generator; enough for placing faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class ChaosPlanError extends Error {
  constructor(message: string) {
    super(`[chaos] ${message}`);
    this.name = 'ChaosPlanError';
  }
}

const stepIndex = (path: string): number => EVERY_STEP.indexOf(path);

/**
 * Spreads `faults` over `labs` (the first labs take one more when it does not divide), each at a
 * seeded kind, step and point in the step; a lab's faults come in the order of its steps.
 */
export function planFaults(input: ChaosPlanInput): PlannedFault[] {
  const kinds = input.kinds ?? FAULT_KINDS;
  if (!Number.isInteger(input.labs) || input.labs < 1) throw new ChaosPlanError(`--labs must be a whole number of at least 1 (got ${input.labs})`);
  if (!Number.isInteger(input.faults) || input.faults < 1) throw new ChaosPlanError(`--faults must be a whole number of at least 1 (got ${input.faults})`);
  if (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > 0xffffffff) throw new ChaosPlanError(`--seed must be a whole number from 0 to 4294967295 (got ${input.seed})`);
  if (kinds.length === 0) throw new ChaosPlanError('no fault kind is left to inject');
  const random = seededRandom(input.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const out: PlannedFault[] = [];
  for (let lab = 1; lab <= input.labs; lab++) {
    const count = Math.floor(input.faults / input.labs) + (lab <= input.faults % input.labs ? 1 : 0);
    const mine: Omit<PlannedFault, 'n'>[] = [];
    for (let i = 0; i < count; i++) {
      const kind = pick(kinds);
      const step = pick(FAULT_STEPS[kind]);
      const delayMs = Math.round(random() * (STEP_SPAN_MS[step] ?? DEFAULT_SPAN_MS));
      const holdMs = 1_000 + Math.round(random() * 4_000);
      mine.push({ lab, kind, step, delayMs, holdMs });
    }
    mine.sort((a, b) => stepIndex(a.step) - stepIndex(b.step) || a.delayMs - b.delayMs);
    for (const f of mine) out.push({ ...f, n: out.length + 1 });
  }
  return out;
}
