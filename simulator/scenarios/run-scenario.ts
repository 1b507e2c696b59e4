/**
 * The guide plays itself: one scenario, start to finish, against a lab server
 * and its real VMs, through the lab's public doors only (lab-client.ts). Each
 * step (pure/scenarios/scenario-steps.ts, the same steps a page's "Show me"
 * performs) acts as the reader would, then waits for the lab's own view to show
 * the result, so a pass means the statecharts, the simulated Palette and the
 * hosts all agree. The run stops at the first failing step.
 */
import type { LabPhase } from '../pure/machines';
import type { Scenario } from '../pure/scenarios';
import { phaseTitle, SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import { createLab, LabClient } from './lab-client';

export interface StepReport {
  phase: string;
  step: string;
  ok: boolean;
  /** When the step started and how long it took, relative to the run's start. */
  startMs: number;
  elapsedMs: number;
  detail?: string;
  error?: string;
}

export interface ScenarioReport {
  scenario: string;
  labId: string | null;
  ok: boolean;
  elapsedMs: number;
  steps: StepReport[];
}

export interface RunOptions {
  serverUrl: string;
  onStep?: (s: StepReport, state: 'start' | 'end') => void;
  /** Longest wait for a cluster to be Running. */
  clusterTimeoutMs?: number;
}

export async function runScenario(s: Scenario, o: RunOptions): Promise<ScenarioReport> {
  const t0 = performance.now();
  const steps: StepReport[] = [];
  const report: ScenarioReport = { scenario: s.name, labId: null, ok: false, elapsedMs: 0, steps };
  let client: LabClient | null = null;

  const step = async (phase: LabPhase | 'verify', name: string, body: () => Promise<string | void>): Promise<void> => {
    const r: StepReport = { phase: phaseTitle(phase), step: name, ok: false, startMs: performance.now() - t0, elapsedMs: 0 };
    o.onStep?.(r, 'start');
    try {
      const detail = await body();
      r.ok = true;
      if (detail) r.detail = detail;
    } catch (err) {
      r.error = err instanceof Error ? err.message : String(err);
    }
    r.elapsedMs = performance.now() - t0 - r.startMs;
    steps.push(r);
    o.onStep?.(r, 'end');
    if (!r.ok) throw new StopRun();
  };

  try {
    const lab = await createLab(o.serverUrl, s.name);
    report.labId = lab.labId;
    const c = new LabClient(o.serverUrl, lab);
    client = c;
    await c.connect();
    const memo: ScenarioMemo = {};
    for (const st of SCENARIO_STEPS) {
      await step(st.phase, st.title(s), () => st.perform(c, s, memo, { clusterTimeoutMs: o.clusterTimeoutMs }));
    }
    report.ok = true;
  } catch (err) {
    if (!(err instanceof StopRun)) {
      steps.push({ phase: 'Setup', step: 'Open the lab', ok: false, startMs: 0, elapsedMs: performance.now() - t0, error: err instanceof Error ? err.message : String(err) });
    }
  } finally {
    client?.close();
    report.elapsedMs = performance.now() - t0;
  }
  return report;
}

class StopRun extends Error {}
