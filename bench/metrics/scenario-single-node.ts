import { singleNode } from '../../simulator/pure/scenarios/single-node';
import { runScenario, type ScenarioReport } from '../../simulator/scenarios/run-scenario';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

/** One headless run of the single-node guide on `server`; its lab is deleted after; a failed step throws. */
export async function runHeadlessSingleNode(server: { url: string; labs: { delete(labId: string): Promise<unknown> } }): Promise<ScenarioReport> {
  const report = await runScenario(singleNode, { serverUrl: server.url });
  if (report.labId) await server.labs.delete(report.labId);
  if (!report.ok) {
    const bad = report.steps.find((s) => !s.ok);
    throw new Error(`[bench] the scenario failed at "${bad?.step ?? '?'}": ${bad?.error ?? 'no reason'}`);
  }
  return report;
}

/** The whole Deployment guide, headless: what the browser run of issue 4 is compared with. */
export const scenarioSingleNode: Metric = {
  name: 'scenario_single_node_s',
  unit: 's',
  what: '`runScenario(single-node)` against a fresh lab server: profile → token → installer → install → register → cluster Running → `kubectl get nodes` checked',
  target: [],
  baseline: { of: 'seconds', factor: 1, label: 'floor' },
  notes: [
    'Each sample opens a new lab on one lab server started for this metric. `extra` holds the time of each phase.',
    'No target is set for it; the guided browser run (issue 4) must stay within 1.5 × this.',
  ],
  async prepare() {
    const { server, close } = await benchLabServer();
    return {
      async sample() {
        const report = await runHeadlessSingleNode(server);
        const extra: Record<string, number> = {};
        for (const s of report.steps) {
          const key = `${s.phase.toLowerCase().replace(/\W+/g, '_')}_s`;
          extra[key] = (extra[key] ?? 0) + s.elapsedMs / 1000;
        }
        return { value: report.elapsedMs / 1000, extra };
      },
      close,
    };
  },
};
