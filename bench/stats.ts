/**
 * Pure statistics and formatting for the benchmarks: medians, percentiles,
 * ratios to a baseline and target checks. No I/O; unit-tested.
 */

export type Unit = 's' | 'ms' | 'MB' | '%' | 'req/s' | 'labs' | 'cases/s' | 'events' | 'faults';

export interface Summary {
  n: number;
  median: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
}

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new RangeError('[bench] no samples to summarise');
  for (const x of xs) if (!Number.isFinite(x)) throw new RangeError(`[bench] sample is not a finite number: ${x}`);
  return [...xs].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks
 * (the common "type 7" definition), so p50 equals the median.
 */
export function percentile(xs: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`[bench] percentile must be within 0..100, got ${p}`);
  const s = sorted(xs);
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export function summarize(xs: readonly number[]): Summary {
  const s = sorted(xs);
  return { n: s.length, median: median(s), p50: percentile(s, 50), p90: percentile(s, 90), min: s[0]!, max: s[s.length - 1]! };
}

/** value / baseline, or null when there is no usable baseline. */
export function ratio(value: number, baseline: number | null | undefined): number | null {
  if (baseline === null || baseline === undefined || !Number.isFinite(baseline) || baseline <= 0 || !Number.isFinite(value)) return null;
  return value / baseline;
}

export function formatRatio(r: number | null): string {
  if (r === null) return '—';
  return `${r < 10 ? r.toFixed(2) : r.toFixed(1)}×`;
}

/** A number with the precision its unit deserves, without the unit. */
export function formatNumber(v: number, unit: Unit): string {
  switch (unit) {
    case 's': return Math.abs(v) < 1 ? v.toFixed(3) : v.toFixed(2);
    case 'MB': return v.toFixed(1);
    case '%': return v.toFixed(2);
    case 'ms': return v.toFixed(1);
    case 'req/s': return v.toFixed(0);
    case 'labs': return v.toFixed(0);
    case 'cases/s': return v.toFixed(0);
    case 'events': return v.toFixed(0);
    case 'faults': return v.toFixed(0);
  }
}

export function formatValue(v: number, unit: Unit): string {
  return `${formatNumber(v, unit)} ${unit}`;
}

/** One condition of a target: an absolute ceiling or floor, or a ceiling on the ratio to the baseline. */
export type Check = { kind: 'max'; value: number } | { kind: 'min'; value: number } | { kind: 'maxRatio'; value: number };

export interface TargetVerdict {
  /** true: every check met; false: at least one missed; null: a check could not be judged (no baseline). */
  met: boolean | null;
  /** A plain sentence per missed or unjudged check, e.g. `2.71 s > 2.5 s`. */
  problems: string[];
}

export function describeTarget(checks: readonly Check[], unit: Unit, baselineLabel = 'baseline'): string {
  if (checks.length === 0) return '—';
  return checks.map((c) => (c.kind === 'max' ? `≤ ${c.value} ${unit}` : c.kind === 'min' ? `≥ ${c.value} ${unit}` : `≤ ${c.value}× ${baselineLabel}`)).join(' and ');
}

export function evaluateTarget(checks: readonly Check[], value: number, r: number | null, unit: Unit, baselineLabel = 'baseline'): TargetVerdict {
  const problems: string[] = [];
  let missed = false;
  let unknown = false;
  for (const c of checks) {
    if (c.kind === 'max') {
      if (!(value <= c.value)) { missed = true; problems.push(`${formatValue(value, unit)} > ${c.value} ${unit}`); }
    } else if (c.kind === 'min') {
      if (!(value >= c.value)) { missed = true; problems.push(`${formatValue(value, unit)} < ${c.value} ${unit}`); }
    } else if (r === null) {
      unknown = true;
      problems.push(`no ${baselineLabel} to compare with`);
    } else if (!(r <= c.value)) {
      missed = true;
      problems.push(`${formatRatio(r)} ${baselineLabel} > ${c.value}×`);
    }
  }
  return { met: missed ? false : unknown ? null : true, problems };
}
