import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleNode } from '../pure/scenarios/single-node';
import { startLabServer, type LabServer } from '../server/lab-server';
import { runScenario, type StepReport } from './run-scenario';

describe('scenario single-node, headless, against real VMs', () => {
  let server: LabServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-scenario-'));
    server = await startLabServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('models, installs, registers, provisions and verifies with kubectl', async () => {
    const lines: string[] = [];
    const report = await runScenario(singleNode, { serverUrl: server.url, onStep: (s: StepReport, st) => { if (st === 'end') lines.push(`${s.phase} › ${s.step}: ${s.ok ? 'ok' : s.error}`); } });
    expect(report, lines.join('\n')).toMatchObject({ ok: true, scenario: 'single-node' });
    expect(report.steps.map((s) => s.phase)).toEqual([
      'Model Cluster Profile', 'Install Handoff', 'Install Handoff', 'Install Handoff', 'Install Handoff', 'Registration',
      'Cluster Provisioning', 'Cluster Provisioning', 'Verify',
    ]);
    expect(report.steps.every((s) => s.ok)).toBe(true);
    expect(report.steps.at(-1)?.detail).toMatch(/edge-host-1\s+Ready/);

    // The lab's log holds the whole story, in order, and Palette agrees with the lab.
    const space = await server.labs.get(report.labId!);
    const view = space!.runtime.view().view;
    expect(view.phases.every((p) => p.status === 'done')).toBe(true);
    expect(view.hosts['edge-host-1']?.state).toMatchObject({ powered: { paired: { lifecycle: 'running' } } });
    const clusters = await space!.palette.clusters.list();
    expect(clusters).toEqual([expect.objectContaining({ name: 'edge-lab-cluster', status: 'Running' })]);
    // The host is known by its own address on the lab LAN, the one the guide names (its first
    // NIC's user-network address is the same on every host).
    expect(view.hosts['edge-host-1']?.data).toMatchObject({ ip: singleNode.hosts[0]!.lanAddress });
    expect(await space!.palette.hosts.get('edge-host-1')).toMatchObject({ ip: '10.77.0.11' });
  }, 600_000);
});
