// `edge-lab chaos`: a seeded fault-injection run against real hosts (simulator/chaos). Prints
// each fault as it lands and what became of it, then the table by kind; exits 1 on any fault
// that left a lab stuck or lost anything, and the seed replays the same run.
import { FAULT_KINDS, type FaultKind } from '../../pure/chaos/plan';
import { chaosPassed, chaosTable } from '../../pure/chaos/outcomes';
import { defaultKinds, runChaos } from '../../chaos/run-chaos';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { installSignalHandlers } from '../processes';
import { prepareImages } from './images';

function wholeNumber(value: string | boolean | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`chaos: --${option} must be a whole number (got "${String(value)}")`, 'chaos');
  return n;
}

function kindsOf(value: string | boolean | undefined): FaultKind[] | undefined {
  if (typeof value !== 'string') return undefined;
  const kinds = value.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) throw new UsageError(`chaos: --kinds takes a comma-separated list of ${FAULT_KINDS.join(', ')} (unknown: ${unknown.join(', ') || 'none given'})`, 'chaos');
  return kinds as FaultKind[];
}

export const chaosCommand: Command = {
  name: 'chaos',
  summary: 'inject seeded faults into labs on real hosts and check that each ends recovered or named, never stuck or lost',
  synopsis: '[--labs <n>] [--faults <m>] [--seed <s>] [--kinds <k,…>] [--scenario <name>] [--json]',
  details: [
    `Kinds: ${FAULT_KINDS.join(', ')} (default all; disk-fill needs root, to mount a tmpfs for the run's data).`,
    'Defaults: --labs 1 --faults 10 --seed 1 --scenario single-node. Labs are played one after another on a lab server of the run\'s own.',
    'Exit 1 when any fault left a lab stuck or lost an event; run again with the same --seed to replay it.',
  ],
  options: { labs: { type: 'string' }, faults: { type: 'string' }, seed: { type: 'string' }, kinds: { type: 'string' }, scenario: { type: 'string' }, json: { type: 'boolean' } },
  async run(values) {
    const labs = wholeNumber(values.labs, 'labs', 1);
    const faults = wholeNumber(values.faults, 'faults', 10);
    const seed = wholeNumber(values.seed, 'seed', 1);
    const kinds = kindsOf(values.kinds) ?? defaultKinds();
    const json = values.json === true;
    installSignalHandlers();
    await prepareImages();
    const say = (line: string): void => void process.stderr.write(`${line}\n`);
    say(`Chaos: ${faults} fault${faults === 1 ? '' : 's'} over ${labs} lab${labs === 1 ? '' : 's'}, seed ${seed}, kinds ${kinds.join(', ')}`);
    const report = await runChaos({ labs, faults, seed, kinds, ...(typeof values.scenario === 'string' ? { scenario: values.scenario } : {}), say: json ? undefined : say });
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const s = report.summary;
      say(`\n${chaosTable(report.results)}\n`);
      say(`${s.injected} faults injected (${s.missed} missed), ${s.survived} survived, ${s.stuck} stuck, ${s.lost} lost; ${report.serverRestarts} lab server restarts; ${(report.elapsedMs / 1000).toFixed(0)} s`);
      if (report.error) say(`the run stopped: ${report.error}`);
      say(chaosPassed(s) && !report.error ? 'PASSED' : `FAILED: replay with --seed ${seed} --labs ${labs} --faults ${faults}${values.kinds ? ` --kinds ${kinds.join(',')}` : ''}`);
    }
    return chaosPassed(report.summary) && !report.error ? 0 : 1;
  },
};
