/**
 * What became of each injected fault, and the table a chaos run prints. Pure.
 *
 * - recovered: the lab went on by itself, or by doing the step the reader was on again;
 * - named: the lab showed a named error (a notice, a host's fault, pause or reason for being
 *   off, a refusal with its reason), and doing what it said brought the step to its end;
 * - stuck: the step did not come to its end within the time allowed, whatever was done;
 * - lost: the step ended, but the log, the console, or Palette's records disagree;
 * - missed: nothing was there to hit when the fault came (e.g. no QEMU to kill), so it
 *   proves nothing and is not counted as survived.
 */
import { FAULT_KINDS, FAULT_TITLES, type FaultKind, type PlannedFault } from './plan';

export const OUTCOMES = ['recovered', 'named', 'stuck', 'lost', 'missed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface FaultResult {
  fault: PlannedFault;
  outcome: Outcome;
  /** What the lab showed (named), what was wrong (stuck, lost), or what was not there (missed). */
  detail: string;
  /** From the fault to the end of the step. */
  recoveryMs: number;
}

export type Tally = Record<FaultKind, Record<Outcome, number>>;

export function tally(results: readonly FaultResult[]): Tally {
  const t = Object.fromEntries(FAULT_KINDS.map((k) => [k, Object.fromEntries(OUTCOMES.map((o) => [o, 0]))])) as Tally;
  for (const r of results) t[r.fault.kind][r.outcome]++;
  return t;
}

export interface ChaosSummary {
  injected: number;
  survived: number;
  stuck: number;
  lost: number;
  missed: number;
}

export function summarize(results: readonly FaultResult[]): ChaosSummary {
  const count = (o: Outcome): number => results.filter((r) => r.outcome === o).length;
  return {
    injected: results.length - count('missed'),
    survived: count('recovered') + count('named'),
    stuck: count('stuck'),
    lost: count('lost'),
    missed: count('missed'),
  };
}

/** A run fails on any stuck or lost fault. */
export const chaosPassed = (s: ChaosSummary): boolean => s.stuck === 0 && s.lost === 0;

/** The table of faults by kind and outcome, with a total row; plain text, fixed width. */
export function chaosTable(results: readonly FaultResult[]): string {
  const t = tally(results);
  const head = ['fault', ...OUTCOMES];
  const rows = FAULT_KINDS.filter((k) => OUTCOMES.some((o) => t[k][o] > 0)).map((k) => [FAULT_TITLES[k], ...OUTCOMES.map((o) => String(t[k][o]))]);
  rows.push(['total', ...OUTCOMES.map((o) => String(FAULT_KINDS.reduce((n, k) => n + t[k][o], 0)))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
