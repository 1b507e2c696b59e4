// `edge-lab scenario run <name>`: plays a whole scenario headless against real VMs and says,
// step by step, how it went. By default it starts its own lab server on a free loopback port
// with a throw-away data directory, so it never touches the labs of a running `edge-lab up`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findScenario, SCENARIOS } from '../../pure/scenarios';
import { runScenario, type ScenarioReport, type StepReport } from '../../scenarios/run-scenario';
import { startLabServer } from '../../server/lab-server';
import type { Command } from '../command';
import { UsageError } from '../errors';
import { installSignalHandlers, onShutdown } from '../processes';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function progressLine(s: StepReport, state: 'start' | 'end'): string {
  const at = `[${seconds(s.startMs + (state === 'end' ? s.elapsedMs : 0)).padStart(7)}]`;
  if (state === 'start') return `${at} ${s.phase} › ${s.step} …`;
  const outcome = s.ok ? `ok in ${seconds(s.elapsedMs)}${s.detail ? ` — ${s.detail}` : ''}` : `FAILED after ${seconds(s.elapsedMs)}\n${s.error ?? ''}`;
  return `${at} ${s.phase} › ${s.step}: ${outcome}`;
}

export const scenarioCommand: Command = {
  name: 'scenario',
  summary: 'play a scenario headless against real VMs (model, install, register, provision, verify)',
  synopsis: 'run <name> [--json] [--server <url>]',
  details: [
    `Scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}. Exit 0 only when every step passed.`,
    '--json prints a report (steps with timings) on stdout instead of progress lines.',
    '--server uses a lab server that is already running instead of starting one.',
  ],
  options: { json: { type: 'boolean' }, server: { type: 'string' } },
  allowPositionals: true,
  async run(values, positionals) {
    const [verb, name, ...extra] = positionals;
    if (verb !== 'run' || !name || extra.length > 0) throw new UsageError('use: edge-lab scenario run <name>', 'scenario');
    const found = findScenario(name);
    if (!found.ok) throw new UsageError(found.message.replace(/^\[scenario\] /, ''), 'scenario');
    const json = values.json === true;
    installSignalHandlers();

    let serverUrl = typeof values.server === 'string' ? values.server.replace(/\/$/, '') : '';
    if (!serverUrl) {
      const dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-scenario-'));
      const server = await startLabServer({ port: 0, dataDir });
      serverUrl = server.url;
      onShutdown(async () => {
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      });
    }
    const say = (line: string): void => void process.stderr.write(`${line}\n`);
    if (!json) say(`Scenario ${found.scenario.name}: ${found.scenario.title} (lab server ${serverUrl})`);
    const report: ScenarioReport = await runScenario(found.scenario, {
      serverUrl,
      onStep: json ? undefined : (s, state) => say(progressLine(s, state)),
    });
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else say(report.ok ? `PASSED: every step of ${name} in ${seconds(report.elapsedMs)}` : `FAILED: ${name} stopped at "${report.steps.at(-1)?.step ?? '?'}"`);
    return report.ok ? 0 : 1;
  },
};
