/**
 * The guide plays itself: one scenario, start to finish, against a lab server
 * and its real VMs, through the lab's public doors only (lab-client.ts). Each
 * step acts as the reader would, then waits for the lab's own view to show the
 * result, so a pass means the statecharts, the simulated Palette and the hosts
 * all agree. The run stops at the first failing step.
 */
import type { LabView } from '../pure/protocol';
import { PHASE_LABELS, type LabPhase } from '../pure/machines';
import type { Scenario } from '../pure/scenarios';
import { createLab, hostTrouble, LabClient } from './lab-client';

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

const MINUTE = 60_000;
const phaseStatus = (v: LabView, id: string): string | undefined => v.phases.find((p) => p.id === id)?.status;
const hostData = (v: LabView, name: string): Record<string, unknown> => (v.hosts[name]?.data ?? {}) as Record<string, unknown>;

export async function runScenario(s: Scenario, o: RunOptions): Promise<ScenarioReport> {
  const t0 = performance.now();
  const steps: StepReport[] = [];
  const report: ScenarioReport = { scenario: s.name, labId: null, ok: false, elapsedMs: 0, steps };
  let client: LabClient | null = null;

  const step = async (phase: LabPhase | 'verify', name: string, body: () => Promise<string | void>): Promise<void> => {
    const r: StepReport = { phase: phase === 'verify' ? 'Verify' : PHASE_LABELS[phase], step: name, ok: false, startMs: performance.now() - t0, elapsedMs: 0 };
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
    const spec = { token: '', installer: '', hostIds: [] as string[] };

    await step('modelProfile', 'Save the cluster profile', async () => {
      await c.call('POST', '/palette/v1/profiles', s.profile, [200, 201], 'saving the profile');
      await c.waitForView((v) => phaseStatus(v, 'model-profile') === 'done', MINUTE, 'the profile step to be done');
      return `${s.profile.name} ${s.profile.version}`;
    });

    await step('installHandoff', 'Create a registration token', async () => {
      const t = await c.call('POST', '/palette/v1/tokens', { name: s.tokenName, project: s.project }, [200, 201], 'creating the token');
      spec.token = String(t.value ?? t.token?.value ?? '');
      if (!spec.token) throw new Error(`the token reply carries no value: ${JSON.stringify(t)}`);
      return s.tokenName;
    });

    await step('installHandoff', 'Build the Edge Installer', async () => {
      const host = s.hosts[0]!;
      const built = await c.call('POST', '/installers', { userData: s.userData({ token: spec.token, endpoint: 'api.palette.lab', host }) }, [200, 201], 'building the installer');
      spec.installer = String(built.id);
      await c.waitForView((v) => (v.data as { installer?: unknown }).installer === spec.installer, MINUTE, 'the lab to record the installer');
      return `${built.id} (${built.sha256?.slice(0, 12) ?? '?'}…, ${Math.round((built.size ?? 0) / 1024)} KiB)`;
    });

    await step('installHandoff', 'Install the hosts from the USB stick', async () => {
      for (const h of s.hosts) {
        await c.command({ kind: 'host', hostId: h.name }, 'INSERT_USB', { image: spec.installer });
        await c.command({ kind: 'host', hostId: h.name }, 'POWER_ON');
      }
      await c.waitForView((v) => phaseStatus(v, 'install-handoff') === 'done', 5 * MINUTE, 'every host to finish installing', hostTrouble);
      await c.waitForView((v) => s.hosts.every((h) => v.hosts[h.name]?.tags.includes('off')), 2 * MINUTE, 'the hosts to power off after installing', hostTrouble);
    });

    await step('registration', 'Power on at the site and register', async () => {
      for (const h of s.hosts) {
        await c.command({ kind: 'host', hostId: h.name }, 'REMOVE_USB');
        await c.command({ kind: 'host', hostId: h.name }, 'POWER_ON');
      }
      const v = await c.waitForView((x) => phaseStatus(x, 'registration') === 'done', 5 * MINUTE, 'every host to register', hostTrouble);
      spec.hostIds = s.hosts.map((h) => String(hostData(v, h.name).hostId ?? h.name));
      return spec.hostIds.join(', ');
    });

    await step('clusterProvisioning', 'Create the cluster', async () => {
      const cluster = s.cluster(spec.hostIds);
      await c.call('POST', '/palette/v1/clusters', cluster, [200, 201], 'creating the cluster');
      await c.waitForView((v) => (v.data as { cluster?: unknown }).cluster === cluster.name, MINUTE, 'the lab to see the cluster');
      return cluster.name;
    });

    await step('clusterProvisioning', 'Wait until the cluster is Running', async () => {
      const v = await c.waitForView((x) => phaseStatus(x, 'cluster-provisioning') === 'done', o.clusterTimeoutMs ?? 10 * MINUTE, 'the cluster to be Running', hostTrouble);
      const name = s.cluster(spec.hostIds).name;
      return v.clusters[name]?.label ?? 'Running';
    });

    await step('verify', `\`${s.verify.command}\` on the host`, async () => {
      const cluster = s.cluster(spec.hostIds);
      const first = cluster.controlPlanePool.hosts[0]?.hostId;
      const vm = s.hosts[spec.hostIds.indexOf(first ?? '')]?.name ?? s.hosts[0]!.name;
      const out = await c.run(vm, s.verify.command, 60_000);
      const missing = s.verify.expect(spec.hostIds, cluster).filter((re) => !re.test(out));
      if (missing.length > 0) throw new Error(`the output does not show ${missing.map(String).join(', ')}:\n${out.trim()}`);
      return out.trim().split('\n').slice(-spec.hostIds.length - 1).join(' | ');
    });
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
