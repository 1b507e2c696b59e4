// Phase checkpoints with real VMs: the single-node scenario's checkpoints are made once (the
// scenario played headless, captured at each phase's start), then a fresh lab jumps to Cluster
// Provisioning and goes on to a Running cluster from there, jumps back to Registration and
// registers its host again, and is suspended while its host runs and woken with it running.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { singleNode } from '../pure/scenarios/single-node';
import { labStepPath, SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import { createLab, LabClient } from '../scenarios/lab-client';
import { tokenValues } from './token-rotation';
import { startLabServer, type LabServer } from '../server/lab-server';

let server: LabServer;
let dataDir: string;
let buildMs = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-checkpoints-'));
  server = await startLabServer({ port: 0, dataDir, checkpointsDir: inject('checkpointsDir') });
  // Made here, or found made by an earlier file of the suite (one cache for all).
  const t0 = performance.now();
  await server.checkpoints.image('single-node', 'done');
  buildMs = performance.now() - t0;
}, 600_000);
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** QEMU processes of this lab server's labs now. */
function qemuOf(labDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'qemu-system'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(labDir));
  } catch {
    return [];
  }
}

/** Plays the scenario's steps from the lab's current step to the end (verify included). */
async function playOn(client: LabClient, memo: ScenarioMemo = {}): Promise<string[]> {
  const v = await client.call('GET', '/view', undefined, [200], 'reading the lab').then((r: { view: unknown }) => r.view);
  const from = SCENARIO_STEPS.findIndex((s) => s.path === labStepPath(v as never));
  expect(from).toBeGreaterThanOrEqual(0);
  const details: string[] = [];
  for (const step of SCENARIO_STEPS.slice(from)) details.push(await step.perform(client, singleNode, memo));
  return details;
}

describe('phase checkpoints, with real VMs', () => {
  it('jumps a fresh lab to Cluster Provisioning in seconds, and the lab goes on from there to a Running cluster', async () => {
    console.log(`[checkpoints] single-node checkpoints ready after ${(buildMs / 1000).toFixed(1)} s`);
    const lab = await createLab(server.url, 'single-node');
    const jumped = await server.checkpoints.jump(lab.labId, 'clusterProvisioning');
    expect(jumped).toMatchObject({ phase: 'clusterProvisioning', built: false });

    const space = (await server.labs.get(lab.labId))!;
    const { view } = space.runtime.view();
    expect(labStepPath(view)).toBe('clusterProvisioning.creatingCluster');
    expect(view.phases.map((p) => p.status)).toEqual(['done', 'done', 'done', 'active']);
    expect(space.vms.get('edge-host-1')!.power).toBe('on');
    const hosts = await space.palette.hosts.list();
    expect(hosts).toEqual([expect.objectContaining({ hostId: 'edge-host-1', registration: 'registered' })]);
    expect(space.vms.get('edge-host-1')!.console.text()).toContain('the lab jumped to Cluster Provisioning');

    const client = new LabClient(server.url, lab);
    await client.connect();
    try {
      const details = await playOn(client);
      expect(details.at(-1)).toMatch(/edge-host-1\s+Ready/);
    } finally {
      client.close();
    }
    expect(await space.palette.clusters.list()).toEqual([expect.objectContaining({ name: 'edge-lab-cluster', status: 'Running' })]);

    // Back to Registration: installed hosts, off, with the token and installer of that moment.
    const back = await server.checkpoints.jump(lab.labId, 'registration');
    expect(back.phase).toBe('registration');
    const again = (await server.labs.get(lab.labId))!;
    expect(labStepPath(again.runtime.view().view)).toBe('registration');
    expect(again.vms.get('edge-host-1')!.power).toBe('off');
    expect(await again.palette.clusters.list()).toEqual([]);
    expect((await again.installers()).length).toBe(1);
    const c2 = new LabClient(server.url, lab);
    await c2.connect();
    try {
      await SCENARIO_STEPS.find((s) => s.path === 'registration')!.perform(c2, singleNode, {});
      expect(labStepPath((await again.runtime.view()).view)).toBe('clusterProvisioning.creatingCluster');

      // The lab's own token: not the image's, and what its installer and its host's disk now hold.
      const imageToken = tokenValues((await server.checkpoints.image('single-node', 'registration')).image.docs)[0];
      const [own] = await again.palette.tokens.list();
      expect(imageToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(own!.value).not.toBe(imageToken);
      const [installer] = await again.installers();
      expect(installer!.userData).toContain(own!.value);
      expect(installer!.userData).not.toContain(imageToken);
      expect(await c2.run('edge-host-1', 'cat /oem/edge-agent.env', 30_000)).toContain(own!.value);
      const other = await createLab(server.url, 'single-node');
      await server.checkpoints.jump(other.labId, 'registration');
      const [othersToken] = await (await server.labs.get(other.labId))!.palette.tokens.list();
      expect(othersToken!.value).not.toBe(own!.value);
      await server.labs.delete(other.labId);

      // Idle with a running host: suspended (no QEMU left), then woken with the host still running.
      const labDir = join(dataDir, 'labs', lab.labId);
      expect(qemuOf(labDir).length).toBe(1);
      c2.close();
      expect(await server.labs.suspend(lab.labId)).toBe(true);
      expect(qemuOf(labDir)).toEqual([]);
      expect(await server.labs.placeOf(lab.labId)).toEqual({ state: 'suspended', position: null });
      const woken = (await server.labs.get(lab.labId))!;
      expect(woken.vms.get('edge-host-1')!.power).toBe('on');
      expect(woken.runtime.view().view.hosts['edge-host-1']?.tags).not.toContain('off');
      const c3 = new LabClient(server.url, lab);
      await c3.connect();
      try {
        expect(await c3.run('edge-host-1', 'echo woke-$((40+2))', 30_000)).toContain('woke-42');
      } finally {
        c3.close();
      }
    } finally {
      c2.close();
    }
    await server.labs.delete(lab.labId);
  }, 600_000);
});
