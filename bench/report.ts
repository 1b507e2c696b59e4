import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FloorBaseline, Sample, SampleBaseline } from './context';
import { describeTarget, evaluateTarget, formatNumber, formatRatio, formatValue, median, ratio, summarize, type Check, type Summary, type Unit } from './stats';

export const BASELINE_METRIC = 'bare_boot_floor_s';

export interface MachineFacts {
  cores: number;
  ramGb: number;
  cpuModel: string;
  qemuVersion: string;
  guestKernelPackage: string;
  hostKernel: string;
  node: string;
  /** 1/5/15-minute load averages when the run started and ended: the machine is shared. */
  loadavgStart: number[];
  loadavgEnd: number[];
}

export interface BaselineResult {
  /** BASELINE_METRIC for floor boots; for a baseline the metric measured itself, the `extra` series it is in. */
  name: string;
  /** Which floor value; null for a baseline the metric measured itself (in the metric's unit). */
  of: FloorBaseline['of'] | null;
  factor: number;
  label: string;
  /** The baseline values taken beside this metric's samples (one per sample, same process). */
  samples: number[];
  /** median(samples) × factor, or null when no baseline value was had. */
  value: number | null;
}

export interface MetricResult {
  name: string;
  what: string;
  unit: Unit;
  target: { checks: Check[]; text: string };
  samples: number[];
  summary: Summary | null;
  baseline: BaselineResult | 'self' | null;
  ratio: number | null;
  /** true met, false missed, null not judged (no target, no samples or no baseline). */
  met: boolean | null;
  problems: string[];
  /** Side facts per sample, by name (e.g. pss_mb). */
  extra: Record<string, number[]>;
  notes: string[];
  error: string | null;
  /** Set on a row not measured this run (`--only`): the date of the run that measured it. */
  carriedFrom?: string;
}

export interface BenchResults {
  date: string;
  durationS: number;
  quick: boolean;
  iterations: number;
  /** Metrics asked for with --only, or null for all. */
  only: string[] | null;
  notRun: string[];
  machine: MachineFacts;
  /** Metric name → median (null when the metric failed). */
  metrics: Record<string, number | null>;
  details: Record<string, MetricResult>;
  notes: string[];
}

export interface MetricInput {
  name: string;
  what: string;
  unit: Unit;
  target: Check[];
  baseline: FloorBaseline | SampleBaseline | 'self' | null;
  notes?: string[];
  samples: Sample[];
  /** Floor values (already picked by `baseline.of`) taken beside the samples. */
  floor: number[];
  error: string | null;
}

/** Pure: samples and floors to a result with its ratio and verdict. */
export function metricResult(m: MetricInput): MetricResult {
  const values = m.samples.map((s) => s.value);
  const summary = values.length ? summarize(values) : null;
  const extra: Record<string, number[]> = {};
  for (const s of m.samples) for (const [k, v] of Object.entries(s.extra ?? {})) (extra[k] ??= []).push(v);

  let baseline: BaselineResult | 'self' | null = null;
  let label = 'baseline';
  if (m.baseline === 'self') {
    baseline = 'self';
  } else if (m.baseline && 'of' in m.baseline) {
    const usable = m.floor.filter((v) => Number.isFinite(v));
    label = m.baseline.label;
    baseline = {
      name: BASELINE_METRIC, of: m.baseline.of, factor: m.baseline.factor, label,
      samples: m.floor, value: usable.length ? median(usable) * m.baseline.factor : null,
    };
  } else if (m.baseline) {
    const key = m.baseline.extra;
    const own = m.samples.map((s) => s.extra?.[key] ?? Number.NaN);
    const usable = own.filter((v) => Number.isFinite(v));
    label = m.baseline.label;
    baseline = { name: key, of: null, factor: 1, label, samples: own, value: usable.length ? median(usable) : null };
  }
  const r = !summary ? null : baseline === 'self' ? 1 : baseline ? ratio(summary.median, baseline.value) : null;
  const verdict = summary && m.target.length ? evaluateTarget(m.target, summary.median, r, m.unit, label) : { met: null, problems: [] };
  return {
    name: m.name, what: m.what, unit: m.unit,
    target: { checks: m.target, text: describeTarget(m.target, m.unit, label) },
    samples: values, summary, baseline, ratio: r,
    met: m.error ? false : verdict.met,
    problems: verdict.problems,
    extra, notes: m.notes ?? [], error: m.error,
  };
}

function baselineUnit(b: BaselineResult, metricUnit: Unit): Unit {
  return b.of === 'rssMb' ? 'MB' : b.of === 'seconds' ? 's' : metricUnit;
}

/** The unit of an `extra` series, by its name's ending. */
export function extraUnit(key: string): Unit {
  return key.endsWith('_faults') ? 'faults' : key.endsWith('_mb') ? 'MB' : key.endsWith('_pct') ? '%' : key.endsWith('_ms') ? 'ms' : 's';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function baselineCell(r: MetricResult): string {
  if (r.baseline === 'self') return '(is the baseline)';
  if (!r.baseline) return 'none';
  const b = r.baseline;
  const unit = baselineUnit(b, r.unit);
  if (b.value === null) return `${b.label}: ${b.of ? 'no floor boot succeeded' : 'not measured'}`;
  return `${b.label} = ${formatValue(b.value, unit)}`;
}

function metCell(r: MetricResult, quick: boolean): string {
  const q = quick ? ' (1 sample)' : '';
  if (r.error) return `**FAILED**: ${r.error}`;
  if (!r.summary) return '**NO SAMPLES**';
  if (r.met === true) return `yes${q}`;
  if (r.met === false) return `**NO, missed**: ${r.problems.join('; ')}${q}`;
  return r.target.checks.length ? `not judged: ${r.problems.join('; ')}` : '— (no target)';
}

function samplesCell(r: MetricResult): string {
  if (!r.samples.length) return '0';
  const list = r.samples.map((v) => formatNumber(v, r.unit)).join(', ');
  return r.summary && r.summary.n > 1 ? `${r.summary.n}: ${list} (p90 ${formatNumber(r.summary.p90, r.unit)})` : `${r.samples.length}: ${list}`;
}

/**
 * The rows of a partial run (`--only`): the metrics measured now, and for every other metric
 * its row from the previous report, marked with the date it was measured; in `order`.
 */
export function carryOver(measured: Record<string, MetricResult>, previous: Pick<BenchResults, 'date' | 'details'> | null, order: readonly string[]): Record<string, MetricResult> {
  const out: Record<string, MetricResult> = {};
  for (const name of order) {
    const now = measured[name];
    const before = previous?.details[name];
    if (now) out[name] = now;
    else if (before) out[name] = { ...before, carriedFrom: before.carriedFrom ?? previous!.date };
  }
  return out;
}

/** Pure: the BENCHMARKS.md text. */
export function renderMarkdown(res: BenchResults): string {
  const m = res.machine;
  const lines: string[] = [];
  lines.push('# Edge Lab benchmarks', '');
  if (res.quick) lines.push('> **Quick run (`--quick`): one iteration per metric.** A smoke check that the benchmark works, not a measurement; medians of one sample mean little. Run `npm run bench` for real numbers.', '');
  if (res.only) lines.push(`> **Partial run (\`--only ${res.only.join(',')}\`).** Not run this time: ${res.notRun.map((n) => `\`${n}\``).join(', ') || 'none'}; their rows, where an earlier run measured them, are that run's, marked *(measured <date>)*.`, '');
  lines.push(
    'How fast real QEMU virtual edge hosts (TCG, no KVM) boot, install, restore and idle, and what they cost the machine.',
    `Measured by \`npm run bench\` (\`bench/run.ts\`; raw numbers in \`bench/results.json\`) on ${res.date}, in ${res.durationS.toFixed(0)} s.`,
    '',
    `Machine: ${m.cores} cores, ${m.ramGb.toFixed(1)} GB RAM, ${m.cpuModel}; ${m.qemuVersion}; guest kernel from \`${m.guestKernelPackage}\`; host kernel ${m.hostKernel}; Node.js ${m.node}. ` +
      `Load average (1/5/15 min) ${m.loadavgStart.map((x) => x.toFixed(2)).join('/')} at the start, ${m.loadavgEnd.map((x) => x.toFixed(2)).join('/')} at the end (the machine is shared).`,
    '',
    `Each value is the median of ${res.iterations} run(s). Ratios compare the median with the baseline, \`${BASELINE_METRIC}\`, booted beside it (one floor boot before each sample, same process), or, where the baseline column names another, with that baseline measured by the metric itself beside each sample.`,
    '',
    '| metric | median | samples | baseline | ratio | target | met? |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const r of Object.values(res.details)) {
    lines.push(`| \`${r.name}\`${r.carriedFrom ? ` *(measured ${r.carriedFrom.slice(0, 10)})*` : ''} | ${r.summary ? formatValue(r.summary.median, r.unit) : '—'} | ${cell(samplesCell(r))} | ${cell(baselineCell(r))} | ${formatRatio(r.ratio)} | ${cell(r.target.text)} | ${cell(metCell(r, res.quick))} |`);
  }
  const missed = Object.values(res.details).filter((r) => r.met === false);
  lines.push('');
  lines.push(missed.length ? `**Missed or failed: ${missed.map((r) => `\`${r.name}\``).join(', ')}.**` : 'Every judged target was met.');
  lines.push('', '## Notes', '');
  for (const n of res.notes) lines.push(`- ${n}`);
  lines.push('');
  for (const r of Object.values(res.details)) {
    lines.push(`### \`${r.name}\``, '', `${r.what.charAt(0).toUpperCase()}${r.what.slice(1)}.`, '');
    for (const n of r.notes) lines.push(`- ${n}`);
    for (const [k, vs] of Object.entries(r.extra)) {
      const unit = extraUnit(k);
      lines.push(`- \`${k}\`: median ${formatValue(median(vs), unit)} (${vs.map((v) => formatNumber(v, unit)).join(', ')})`);
    }
    if (r.baseline && r.baseline !== 'self') {
      const unit = baselineUnit(r.baseline, r.unit);
      const what = r.baseline.of ? 'Floor values' : `Baseline (${r.baseline.label}, \`${r.baseline.name}\`) values`;
      lines.push(`- ${what} beside the samples: ${r.baseline.samples.map((v) => (Number.isFinite(v) ? formatValue(v, unit) : 'n/a')).join(', ') || 'none'}${r.baseline.factor !== 1 ? ` (median × ${r.baseline.factor} is the baseline)` : ''}.`);
    }
    if (r.error) lines.push(`- **Failed**: ${r.error}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes BENCHMARKS.md at the repository root and bench/results.json. */
export async function writeReport(res: BenchResults, repoRoot: string): Promise<{ markdown: string; json: string }> {
  const markdown = join(repoRoot, 'BENCHMARKS.md');
  const json = join(repoRoot, 'bench', 'results.json');
  await writeFile(markdown, renderMarkdown(res));
  await writeFile(json, `${JSON.stringify(res, null, 2)}\n`);
  return { markdown, json };
}
