// The places a lab can be jumped to (the start of each of the four phases, or the end: the cluster
// Running) and the words for them and for a jump's outcome. Shared by the class dashboard and the
// reader's own jump control.
import { LAB_PHASES, PHASE_LABELS } from '../../../simulator/pure/machines/lab.steps';
import type { ApiOutcome } from '../client/lab-api';
import type { JumpPhase, JumpResult } from './class-types';

export const JUMP_PHASES: readonly JumpPhase[] = [...LAB_PHASES, 'done'];

/** e.g. "Registration", or "Cluster running" for `done`. */
export function jumpPhaseLabel(phase: JumpPhase): string {
  return phase === 'done' ? 'Cluster running' : PHASE_LABELS[phase];
}

export function isJumpPhase(value: string): value is JumpPhase {
  return (JUMP_PHASES as readonly string[]).includes(value);
}

/** Roles whose session may jump its own lab (the server refuses the rest with role-forbidden). */
export function mayJumpOwnLab(role: string | null | undefined): boolean {
  return role === 'solo' || role === 'trainer';
}

/** "12.3 s", or "850 ms" under a second. */
export function durationWords(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export type JumpState =
  | { status: 'idle' }
  | { status: 'jumping'; phase: JumpPhase }
  | { status: 'done'; phase: JumpPhase; ms: number }
  | { status: 'failed'; phase: JumpPhase; message: string };

/** The state after the server answered a jump to `phase`. */
export function jumpSettled(phase: JumpPhase, outcome: ApiOutcome<JumpResult>): JumpState {
  if (outcome.ok) return { status: 'done', phase: outcome.value.phase ?? phase, ms: outcome.value.ms };
  return { status: 'failed', phase, message: outcome.message };
}

/** What a jump control says; empty while idle. */
export function jumpWords(s: JumpState): string {
  switch (s.status) {
    case 'idle': return '';
    case 'jumping': return `Jumping to ${jumpPhaseLabel(s.phase)}… (the first jump to a phase may take a minute)`;
    case 'done': return s.phase === 'done'
      ? `The cluster is Running (took ${durationWords(s.ms)}).`
      : `At the start of ${jumpPhaseLabel(s.phase)} (took ${durationWords(s.ms)}).`;
    case 'failed': return `The jump to ${jumpPhaseLabel(s.phase)} failed: ${s.message}`;
  }
}
