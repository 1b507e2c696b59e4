/**
 * Day-2: deleting a cluster on real VMs. The single-node scenario to Running, then the cluster is
 * deleted in Palette: it is Deleting while its host resets (told at its heartbeat, it reboots into
 * the boot stage's statereset), and the host's disk really is reset (the installed OS back in the
 * active slot, the cluster's persistent state gone, the user data and registration kept); then the
 * host is Ready again, the cluster is gone, and a new cluster can be made from the same host.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleNode } from '../pure/scenarios/single-node';
import { SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import { startLabServer, type LabServer } from '../server/lab-server';
import { createLab, LabClient } from './lab-client';

const MINUTE = 60_000;
const s = singleNode;
const HOST = s.hosts[0]!.name;
const CLUSTER = '/palette/v1/clusters/edge-lab-cluster';

describe('Day-2 on real VMs: deleting a cluster resets its host', () => {
  let server: LabServer;
  let dataDir: string;
  let c: LabClient | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-delete-'));
    server = await startLabServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    c?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Deleting until the host has reset; the host Ready again with its disk reset; a new cluster on it', async () => {
    c = new LabClient(server.url, await createLab(server.url, s.name));
    await c.connect();
    const memo: ScenarioMemo = {};
    for (const st of SCENARIO_STEPS) await st.perform(c, s, memo, { clusterTimeoutMs: 10 * MINUTE });
    const lab = c;
    const hostId = memo.hostIds![0]!;
    expect(await lab.run(HOST, 'ls /usr/local/edge-lab', MINUTE)).toMatch(/etcd-edge-lab-cluster/);

    const said = lab.consoleText(HOST).length;
    await lab.call('DELETE', CLUSTER, undefined, [200], 'deleting the cluster');
    // Deleting, and the host told: its agent asks for the reset and the boot stage does it.
    for (const until = Date.now() + 2 * MINUTE; !/EDGE-EVENT reset\.complete cluster=edge-lab-cluster/.test(lab.consoleText(HOST).slice(said));) {
      if (Date.now() > until) throw new Error(`no reset on ${HOST}; its console says:\n${lab.consoleText(HOST).slice(said).slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const console = lab.consoleText(HOST).slice(said);
    // The reset went through cleanly: nothing in the boot stage complained.
    const reset = console.slice(console.indexOf('EDGE-EVENT reset.started'), console.indexOf('EDGE-EVENT reset.complete'));
    expect(reset).not.toMatch(/said:|holds no OS|cannot be mounted/);
    expect(console).toContain('agent: Palette is deleting cluster edge-lab-cluster: resetting this host');
    expect(console.indexOf('EDGE-EVENT reset.started')).toBeLessThan(console.indexOf('EDGE-EVENT reset.complete'));

    // Back from the reset, the host says so; Palette releases it and the cluster goes.
    for (const until = Date.now() + 2 * MINUTE; ;) {
      const r = await lab.call('GET', CLUSTER, undefined, [200, 404], 'reading the cluster');
      if (r?.error === 'not-found') break;
      expect(r?.cluster?.status).toBe('Deleting');
      if (Date.now() > until) throw new Error(`cluster still there: ${JSON.stringify(r).slice(0, 400)}`);
      await new Promise((r2) => setTimeout(r2, 1000));
    }
    const row = await lab.call('GET', `/palette/v1/edgehosts/${hostId}`, undefined, [200], 'reading the host');
    expect(row.host).toMatchObject({ status: 'Ready', registration: 'registered', cluster: null });

    // The disk really is reset: the installed OS, no cluster state, the user data kept.
    // One echo: a line another process prints on the console cannot fall between the two answers.
    expect(await lab.run(HOST, 'echo "os=$(grep ^ID= /etc/os-release) slot=$(cat /etc/edge-slot)"', MINUTE)).toMatch(/^os=ID=edge-lab slot=active$/m);
    expect(await lab.run(HOST, 'ls -A /usr/local | grep -v lost+found | wc -l; ls /oem', MINUTE)).toMatch(/^0\n[\s\S]*90_custom\.yaml/m);
    expect(await lab.run(HOST, 'ls /oem/cluster.env /oem/reset-done 2>&1 | grep -c "No such file"', MINUTE)).toMatch(/^2$/m);

    // The host can serve a new cluster.
    await lab.call('POST', '/palette/v1/clusters', s.cluster(memo.hostIds!), [201], 'creating the cluster again');
    for (const until = Date.now() + 5 * MINUTE; ;) {
      const r = await lab.call('GET', CLUSTER, undefined, [200], 'reading the new cluster');
      if (r?.cluster?.status === 'Running') break;
      if (Date.now() > until) throw new Error(`the new cluster is not Running: ${JSON.stringify(r).slice(0, 600)}`);
      await new Promise((r2) => setTimeout(r2, 2000));
    }
    expect(await lab.run(HOST, 'kubectl get nodes', MINUTE)).toMatch(new RegExp(`${hostId}\\s+Ready`));
  }, 20 * MINUTE);
});
