// The dashboard's words and marks, from what GET /classes/<id> answers. Pure, so each is tested.
import { LAB_PHASES, PHASE_LABELS } from '../../../simulator/pure/machines/lab.steps';
import type { ApiOutcome } from '../client/lab-api';
import type { ClassInfo, JumpPhase, LabSummary } from './class-types';

/** What the dashboard shows for the last answer of GET /classes/<id>. */
export type DashboardState =
  | { kind: 'loading' }
  | { kind: 'ready'; info: ClassInfo }
  /** Nothing answered: say so, offer Retry; the last table (if any) stays, marked stale. */
  | { kind: 'unreachable'; message: string; last: ClassInfo | null }
  /** 401/403: this browser's trainer secret does not open the class. */
  | { kind: 'not-trainer'; message: string }
  /** 404: the lab server has no such class (closed, or its data was reset). */
  | { kind: 'no-class'; message: string }
  | { kind: 'error'; message: string; last: ClassInfo | null };

export function dashboardState(outcome: ApiOutcome<ClassInfo>, before: DashboardState): DashboardState {
  if (outcome.ok) return { kind: 'ready', info: outcome.value };
  const last = before.kind === 'ready' ? before.info : 'last' in before ? before.last : null;
  if (outcome.status === 0) return { kind: 'unreachable', message: outcome.message, last };
  if (outcome.status === 401 || outcome.status === 403) return { kind: 'not-trainer', message: outcome.message };
  if (outcome.status === 404) return { kind: 'no-class', message: outcome.message };
  return { kind: 'error', message: outcome.message, last };
}

/** "active", "queued #2", "suspended", "not open". */
export function placeWords(lab: Pick<LabSummary, 'place' | 'queuePosition'>): string {
  if (lab.place === 'queued') return lab.queuePosition === null ? 'queued' : `queued #${lab.queuePosition}`;
  if (lab.place === 'closed') return 'not open';
  return lab.place;
}

export type PhaseMark = 'done' | 'active' | 'pending';

/** One mark per phase: done before the lab's phase, active at it; all done once the cluster runs; all pending while not known. */
export function phaseMarks(phase: JumpPhase | null): { phase: string; label: string; mark: PhaseMark }[] {
  const at = phase === null ? -1 : phase === 'done' ? LAB_PHASES.length : LAB_PHASES.indexOf(phase);
  return LAB_PHASES.map((p, i) => ({ phase: p, label: PHASE_LABELS[p], mark: i < at ? 'done' : i === at ? 'active' : 'pending' }));
}

/** e.g. "Phase 2 of 4: Install Handoff", or "All four phases done". */
export function phaseWords(phase: JumpPhase | null): string {
  if (phase === null) return 'Not known until the lab opens again';
  if (phase === 'done') return 'All four phases done';
  return `Phase ${LAB_PHASES.indexOf(phase) + 1} of ${LAB_PHASES.length}: ${PHASE_LABELS[phase]}`;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago"; "no activity yet" for null. */
export function relativeTime(at: number | null, now: number): string {
  if (at === null) return 'no activity yet';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** e.g. "3 of 8 hosts running · 2 labs waiting". */
export function capacityWords(c: ClassInfo['capacity']): string {
  const waiting = c.queued === 0 ? 'no lab waiting' : c.queued === 1 ? '1 lab waiting' : `${c.queued} labs waiting`;
  return `${c.runningHosts} of ${c.maxRunningHosts} hosts running · ${waiting}`;
}

/** What fast-forward and reset will cost now, from the state of the scenario's checkpoints. */
export function checkpointWords(c: ClassInfo['checkpoints']): string {
  if (c.state === 'ready') return 'ready: fast-forward and reset take seconds';
  if (c.state === 'making') return 'being made (about two minutes, once): the first fast-forward waits for them';
  return c.error ? `not made; the last try failed: ${c.error}` : 'not made yet: the first fast-forward makes them (about two minutes)';
}

/** e.g. "2 of 3 ready". */
export function warmWords(w: ClassInfo['warm']): string {
  return w.target === 0 ? 'none kept ready' : `${w.ready} of ${w.target} ready`;
}

/** A warm count from a number input: a whole number from 0 to `max`, or null. */
export function warmCount(input: string, max = 50): number | null {
  if (!/^\s*\d+\s*$/.test(input)) return null;
  const n = Number(input);
  return n <= max ? n : null;
}
