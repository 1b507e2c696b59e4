import { FAULT_KINDS } from '../../simulator/pure/chaos/plan';
import { OUTCOMES, tally } from '../../simulator/pure/chaos/outcomes';
import { runChaos, type ChaosReport } from '../../simulator/chaos/run-chaos';
import type { BenchContext, Metric, Sample } from '../context';

/**
 * One chaos run serves all three metrics; the seed is fixed so runs compare. A few faults find
 * nothing to hit (missed, about 6 in 100), so the run plans 110 for at least 100 injected.
 */
const RUN = { labs: 11, faults: 110, seed: 20261205 } as const;

function chaosRun(ctx: BenchContext): Promise<ChaosReport> {
  return ctx.memo('chaos-run', async () => {
    ctx.log(`chaos: ${RUN.faults} faults over ${RUN.labs} single-node labs, seed ${RUN.seed} (untimed; takes tens of minutes)`);
    const report = await runChaos({ ...RUN, say: (line) => ctx.log(`chaos: ${line}`) });
    // Counts of a run that did not finish would look better than they are: the metrics fail instead.
    if (report.error) throw new Error(`the chaos run stopped early (${report.results.length} of ${RUN.faults} faults filed): ${report.error}`);
    return report;
  });
}

/** The counts by kind and outcome, as extras (only those that occurred). */
function byKind(r: ChaosReport): Record<string, number> {
  const t = tally(r.results);
  const out: Record<string, number> = {};
  for (const k of FAULT_KINDS) for (const o of OUTCOMES) if (t[k][o] > 0) out[`${k.replace(/-/g, '_')}_${o}_faults`] = t[k][o];
  return out;
}

const WHAT = `faults injected by \`edge-lab chaos --labs ${RUN.labs} --faults ${RUN.faults} --seed ${RUN.seed}\` (QEMU and lab server killed -9, stick pulled, power cut, data directory filled, store locked) into single-node labs on real hosts`;
const NOTES = [
  'One run per bench (a sample is the whole run); a fault with nothing to hit when it came is "missed" and counts as neither survived nor failed. Survived = the lab went on (recovered) or named the trouble and went on once its suggestion was followed (named). There is no baseline: a count of faults has nothing to be a ratio of.',
];

function metric(name: string, what: string, target: Metric['target'], value: (r: ChaosReport) => Sample): Metric {
  return {
    name, unit: 'faults', what, target, baseline: null, notes: NOTES, maxIterations: 1,
    async prepare(ctx) {
      return { sample: async () => value(await chaosRun(ctx)) };
    },
  };
}

export const chaosFaultsSurvived = metric('chaos_faults_survived', `${WHAT}: how many ended recovered or named`, [{ kind: 'min', value: 100 }],
  (r) => ({ value: r.summary.survived, extra: { injected_faults: r.summary.injected, missed_faults: r.summary.missed, ...byKind(r) } }));
export const chaosStuck = metric('chaos_stuck', `${WHAT}: how many left a lab stuck`, [{ kind: 'max', value: 0 }], (r) => ({ value: r.summary.stuck }));
export const chaosLost = metric('chaos_lost', `${WHAT}: how many lost an event or left the lab disagreeing with itself`, [{ kind: 'max', value: 0 }], (r) => ({ value: r.summary.lost }));
