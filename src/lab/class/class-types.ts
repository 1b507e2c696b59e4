// The shapes the lab server's class endpoints answer with (simulator/server, /classes/…), as the
// class dashboard reads them. Only the fields the dashboard uses; the server may send more.
import type { LabPhase } from '../../../simulator/pure/machines/lab.steps';

/** A phase a lab can be put at the start of: one of the four, or `done` (the cluster is Running). */
export type JumpPhase = LabPhase | 'done';

/** POST /classes → 201. The trainer secret and join code are shown once; the page keeps them. */
export interface OpenedClass {
  classId: string;
  name: string;
  scenario: string;
  trainerSecret: string;
  joinCode: string;
}

export interface LabSummary {
  labId: string;
  learner: string;
  role: string;
  /** active: its hosts may run; queued: it waits for a place (queuePosition, 1 = next); suspended: set aside. */
  place: 'active' | 'queued' | 'suspended';
  queuePosition: number | null;
  phase: JumpPhase;
  step: { path: string; label: string; role: string } | null;
  hosts: { name: string; label: string; power: 'on' | 'off' }[];
  /** ms since the epoch, by the lab server's clock. */
  lastActivityAt: number | null;
  lastFailedCheck: { message: string; at: number | null } | null;
  /** A walkthrough's shared lab: who joined it, with which role. */
  members?: { role: string; joinedAt: number }[];
}

/** GET /classes/<id> (trainer only). */
export interface ClassInfo {
  classId: string;
  name: string;
  scenario: string;
  capacity: { maxRunningHosts: number; runningHosts: number; queued: number };
  warm: { target: number; ready: number };
  /** The scenario's phase checkpoints (fast-forward and reset use them); older servers leave it out. */
  checkpoints?: { state: 'ready' | 'making' | 'missing'; error: string | null };
  labs: LabSummary[];
}

/** POST …/jump → 200. `ms` is how long putting the lab there took. */
export interface JumpResult {
  ok: true;
  phase: JumpPhase;
  ms: number;
}

export interface WarmPool {
  target: number;
  ready: number;
}

/** One entry of GET /scenarios. */
export interface ScenarioChoice {
  name: string;
  title: string;
  summary?: string;
}
