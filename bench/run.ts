/**
 * `npm run bench`: boots real QEMU edge hosts, measures each metric beside
 * floor boots taken in the same process, and writes BENCHMARKS.md and
 * bench/results.json. Progress goes to stderr. Every VM is stopped and the
 * lab deleted on the way out, also on an error or Ctrl-C.
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { ensureGuestImages } from '../simulator/images/guest-images';
import { VmLab } from '../simulator/testing/vm-lab';
import { parseBenchArgs, BenchArgsError, USAGE } from './cli-args';
import { BenchContext, isFloorBaseline, type Metric, type Sample } from './context';
import type { FloorRun } from './floor';
import { machineFacts } from './machine';
import { METRICS } from './metrics/index';
import { BASELINE_METRIC, carryOver, metricResult, renderMarkdown, writeReport, type BenchResults, type MetricResult } from './report';
import { formatValue } from './stats';
import { errorText } from './util';

const ITERATIONS = 5;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const log = (line: string): void => { process.stderr.write(`[bench] ${line}\n`); };

async function measure(metric: Metric, ctx: BenchContext, iterations: number): Promise<MetricResult> {
  const samples: Sample[] = [];
  const floor: number[] = [];
  let error: string | null = null;
  const t0 = performance.now();
  log(`${metric.name}: preparing`);
  try {
    const sampler = await metric.prepare(ctx);
    const n = Math.min(iterations, metric.maxIterations ?? iterations);
    try {
      for (let i = 0; i < n; i++) {
        let beside = '';
        if (isFloorBaseline(metric.baseline)) {
          const of = metric.baseline.of;
          const run: FloorRun | null = await ctx.floor().catch((err: unknown) => { log(`${metric.name}: floor boot failed: ${errorText(err)}`); return null; });
          const v = run ? run[of] : Number.NaN;
          floor.push(v);
          beside = `  (floor ${Number.isFinite(v) ? formatValue(v, of === 'rssMb' ? 'MB' : 's') : 'n/a'})`;
        }
        const s = await sampler.sample(i);
        samples.push(s);
        log(`${metric.name} ${i + 1}/${n}: ${formatValue(s.value, metric.unit)}${beside}`);
      }
    } finally {
      await sampler.close?.();
    }
  } catch (err) {
    error = errorText(err);
    log(`${metric.name}: FAILED after ${samples.length} sample(s): ${error}`);
  }
  const r = metricResult({ ...metric, samples, floor, error });
  log(`${metric.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s${r.summary ? `, median ${formatValue(r.summary.median, r.unit)}` : ''}`);
  return r;
}

/** The last report's results (bench/results.json), or null when there is none readable. */
async function previousResults(): Promise<BenchResults | null> {
  try {
    return JSON.parse(await readFile(join(REPO_ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2), METRICS.map((m) => m.name));
  } catch (err) {
    if (!(err instanceof BenchArgsError)) throw err;
    process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) { process.stdout.write(`${USAGE}\n`); return 0; }

  const date = new Date().toISOString();
  const t0 = performance.now();
  const iterations = args.quick ? 1 : ITERATIONS;
  const selected = args.only ? METRICS.filter((m) => args.only!.includes(m.name)) : [...METRICS];
  log(`${selected.length} metric(s), ${iterations} iteration(s) each${args.quick ? ' (--quick: a smoke check, not a measurement)' : ''}`);
  const loadStart = loadavg();

  log('guest images: building or finding them in the cache');
  await ensureGuestImages((line) => log(`images: ${line}`));
  const lab = await VmLab.create(); // finds the images just ensured
  const ctx = new BenchContext(lab, log);
  let disposing: Promise<void> | null = null;
  // What metrics share (ctx.atEnd: a site server, a browser, a lab server) goes first, then the VM lab.
  const dispose = (): Promise<void> => (disposing ??= (async () => {
    const problems: string[] = [];
    await ctx.close().catch((err: unknown) => { problems.push(errorText(err)); });
    await lab.dispose().catch((err: unknown) => { problems.push(errorText(err)); });
    if (problems.length) throw new Error(problems.join('; '));
  })());
  const onSignal = (sig: NodeJS.Signals): void => {
    log(`${sig}: stopping every VM and deleting the lab`);
    dispose().catch((err: unknown) => log(`cleanup: ${errorText(err)}`)).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const details: Record<string, MetricResult> = {};
  let machine;
  let cleanupError: string | null = null;
  try {
    machine = await machineFacts(lab.images.kernelPackage);
    machine.loadavgStart = loadStart;
    log('warm-up floor boot (discarded)');
    const warm = await ctx.floor();
    log(`warm-up: ${formatValue(warm.seconds, 's')}`);
    for (const metric of selected) details[metric.name] = await measure(metric, ctx, iterations);
  } finally {
    log('stopping every VM and deleting the lab');
    await dispose().catch((err: unknown) => { cleanupError = errorText(err); log(`cleanup: ${cleanupError}`); });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  machine.loadavgEnd = loadavg();

  const notes = [
    `The baseline \`${BASELINE_METRIC}\` boots the same kernel with the same command line (kernelCommandLine, device \`disk\`), q35 machine, memory, vCPUs and devices as a host (disk, NIC with restrict=on and its guest forwards, xhci, balloon); only the initrd differs: it prints \`EDGE-EVENT floor.ready\` and powers off.`,
    'Every metric with a baseline boots one floor just before each of its samples, in this process, so a ratio compares runs made under the same load; one discarded warm-up floor boot precedes everything. The golden installed disk, the installer stick and the checkpoint are made untimed, once per run.',
    `Samples are reported as taken: none is dropped or retried, and a metric that fails is marked **FAILED** with its error. Misses are marked **NO, missed**.`,
    'Times are wall-clock (performance.now) in this Node.js process, from just before the action (QEMU spawn, power-on, restore) to the console line or power change that ends it; console lines are timed as they arrive from QEMU\'s stdout.',
  ];
  if (cleanupError) notes.push(`**Cleanup reported a problem**: ${cleanupError}`);
  // A partial run keeps the other metrics' rows of the last report, marked with their date.
  const rows = args.only ? carryOver(details, await previousResults(), METRICS.map((m) => m.name)) : details;
  const results: BenchResults = {
    date,
    durationS: (performance.now() - t0) / 1000,
    quick: args.quick,
    iterations,
    only: args.only,
    notRun: METRICS.map((m) => m.name).filter((n) => !details[n]),
    machine,
    metrics: Object.fromEntries(Object.values(rows).map((r) => [r.name, r.summary && !r.error ? r.summary.median : null])),
    details: rows,
    notes,
  };
  const out = await writeReport(results, REPO_ROOT);
  const md = renderMarkdown(results);
  process.stdout.write(`${md.split('\n').filter((l) => l.startsWith('|') || l.startsWith('> ') || l.startsWith('**Missed') || l.startsWith('Every judged')).join('\n')}\n`);
  log(`wrote ${out.markdown} and ${out.json}`);
  const failed = Object.values(details).some((r) => r.error !== null) || cleanupError !== null;
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[bench] ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
