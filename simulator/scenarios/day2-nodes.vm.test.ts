/**
 * Day-2 node pools on real VMs, in one HA lab (four hosts; the cluster made of the three control
 * planes, edge-host-4 left Ready): edge-host-4 joins as a worker and kubectl lists it Ready; it is
 * removed, resets (its disk really wiped) and is Ready again in Palette while kubectl no longer
 * lists it; then edge-host-3 loses power and edge-host-4 replaces it in the control plane: the
 * cluster's etcd lists the new member and not the dead one, kubectl through the VIP lists the new
 * node Ready and not the dead one; powered on again, the old control plane resets without
 * disturbing the cluster.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeNames } from '../pure/palette/assignment';
import { HA_VIP, haThreeCp } from '../pure/scenarios/ha-three-cp';
import { SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import type { Scenario } from '../pure/scenarios/types';
import { startLabServer, type LabServer } from '../server/lab-server';
import { createLab, LabClient } from './lab-client';

const MINUTE = 60_000;
const CLUSTER = '/palette/v1/clusters/edge-lab-ha';
const [CP1, CP2, CP3, SPARE] = haThreeCp.hosts.map((h) => h.name) as [string, string, string, string];
const THROUGH_VIP = `kubectl --server http://${HA_VIP}:6443 get nodes`;
const MEMBERS = `wget -q -O - --post-data '{}' http://127.0.0.1:2379/v3/cluster/member/list | grep -o '"name":"[^"]*"'`;

/** ha-three-cp with the control plane only: the fourth host stays Ready for the Day-2 edits. */
const threeCpAndSpare: Scenario = {
  ...haThreeCp,
  cluster: (ids) => {
    const { workerPool: _, ...spec } = haThreeCp.cluster(ids);
    return { ...spec, controlPlanePool: { ...spec.controlPlanePool, allowWorkerCapability: true } };
  },
  verify: { command: 'kubectl get nodes', expect: (ids) => nodeNames(ids).slice(0, 3).map((n) => new RegExp(`^${n}\\s+Ready\\b`, 'm')) },
};

const listed = (out: string, node: string, status = ''): boolean => new RegExp(`^${node}\\s+${status}`, 'm').test(out);

describe('Day-2 on real VMs: add and remove a worker, replace a dead control plane', () => {
  let server: LabServer;
  let dataDir: string;
  let c: LabClient | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-day2-'));
    server = await startLabServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    c?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a worker joins and leaves (reset, Ready again); a dead control plane is replaced in etcd and in kubectl', async () => {
    const t0 = performance.now();
    const mark = (what: string) => process.stdout.write(`[day2] ${what} at ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    c = new LabClient(server.url, await createLab(server.url, haThreeCp.name));
    await c.connect();
    const lab = c;
    const memo: ScenarioMemo = {};
    for (const st of SCENARIO_STEPS) await st.perform(lab, threeCpAndSpare, memo, { clusterTimeoutMs: 10 * MINUTE });
    const ids = memo.hostIds!;
    const nodes = nodeNames(ids);
    const [spareId, spareNode, deadId, deadNode] = [ids[3]!, nodes[3]!, ids[2]!, nodes[2]!];
    mark('three control planes Running');
    // The waits below read these hosts' consoles; the client records a console only once attached.
    // Both surviving control planes': whichever of them first sees the replacement removes the
    // dead member from etcd and says so; the other then finds nothing left to do.
    for (const vm of [SPARE, CP3, CP1, CP2]) lab.attachConsole(vm);

    /** Runs `cmd` on `vm` until `ok` holds for its output. */
    const until = async (vm: string, cmd: string, ok: (out: string) => boolean, timeoutMs: number, what: string): Promise<string> => {
      let out = '';
      for (const end = Date.now() + timeoutMs; ;) {
        out = await lab.run(vm, `${cmd} 2>&1`, MINUTE);
        if (ok(out)) return out;
        if (Date.now() > end) throw new Error(`[day2] waited ${timeoutMs / 1000} s for ${what}; ${vm} last said:\n${out}\n${vm === SPARE ? '' : `${SPARE}'s console:\n${lab.consoleText(SPARE).slice(-1500)}`}`);
        await new Promise((r) => setTimeout(r, 3000));
      }
    };
    const hostRow = async (id: string) => (await lab.call('GET', `/palette/v1/edgehosts/${id}`, undefined, [200], 'reading a host')).host;
    const waitFor = async (pred: () => Promise<boolean>, timeoutMs: number, what: string, vm = SPARE) => {
      for (const end = Date.now() + timeoutMs; !(await pred());) {
        if (Date.now() > end) throw new Error(`[day2] waited ${timeoutMs / 1000} s for ${what}; ${vm}'s console ends:\n${lab.consoleText(vm).slice(-2500)}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    };

    // 1. Add the Ready host as a worker: it provisions like a node of a new cluster.
    expect((await hostRow(spareId)).status).toBe('Ready');
    await lab.call('POST', `${CLUSTER}/workers`, { hostId: spareId }, [200], 'adding the worker');
    await until(CP1, 'kubectl get nodes', (o) => listed(o, spareNode, 'Ready\\b'), 8 * MINUTE, `${spareNode} to be Ready`);
    mark('worker Ready');

    // 2. Remove it: it resets, Palette has it Ready again, and the cluster no longer lists it.
    let said = lab.consoleText(SPARE).length;
    await lab.call('DELETE', `${CLUSTER}/workers/${spareId}`, undefined, [200], 'removing the worker');
    await waitFor(async () => /EDGE-EVENT reset\.complete cluster=edge-lab-ha/.test(lab.consoleText(SPARE).slice(said)), 2 * MINUTE, `${SPARE} to reset`);
    expect(lab.consoleText(SPARE).slice(said)).toContain('agent: Palette removed this host from cluster edge-lab-ha: resetting this host');
    await waitFor(async () => (await hostRow(spareId)).status === 'Ready', 2 * MINUTE, `${spareId} to be Ready in Palette`);
    expect(await hostRow(spareId)).toMatchObject({ status: 'Ready', cluster: null });
    await until(CP1, 'kubectl get nodes', (o) => listed(o, nodes[0]!) && !listed(o, spareNode), MINUTE, `${spareNode} to leave kubectl's list`);
    expect(await lab.run(SPARE, 'ls -A /usr/local | grep -v lost+found | wc -l; ls /oem/cluster.env 2>&1', MINUTE)).toMatch(/^0\n[\s\S]*No such file/m);
    mark('worker removed and reset');

    // 3. A control plane loses power; once Palette has it Unhealthy, the spare replaces it.
    await lab.command({ kind: 'host', hostId: CP3 }, 'POWER_OFF');
    await waitFor(async () => (await hostRow(deadId)).health === 'Unhealthy', 3 * MINUTE, `${deadId} to be Unhealthy`, CP3);
    const refused = await lab.call('DELETE', `${CLUSTER}/workers/${deadId}`, undefined, [409], 'removing a control plane alone');
    expect(refused.message).toMatch(/cannot be removed/);
    mark('control plane dead');
    said = lab.consoleText(SPARE).length;
    await lab.call('POST', `${CLUSTER}/control-plane/replace`, { hostId: deadId, replacement: spareId }, [200], 'replacing the control plane');
    const out = await until(CP1, THROUGH_VIP, (o) => listed(o, spareNode, 'Ready\\b') && !listed(o, deadNode), 8 * MINUTE, `${spareNode} Ready and ${deadNode} gone through the VIP`);
    expect(out).toMatch(new RegExp(`^${nodes[0]}\\s+Ready\\b`, 'm'));
    const members = await lab.run(CP1, MEMBERS, MINUTE);
    expect(members).toContain('"name":"m-10-77-0-14"');
    expect(members).not.toContain('m-10-77-0-13');
    expect(lab.consoleText(SPARE).slice(said)).toMatch(/cluster: added this host to the cluster's etcd as member m-10-77-0-14/);
    expect(lab.consoleText(CP1) + lab.consoleText(CP2)).toMatch(/cluster: removed etcd member m-10-77-0-13/);
    const cl = (await lab.call('GET', CLUSTER, undefined, [200], 'reading the cluster')).cluster;
    expect(cl).toMatchObject({ status: 'Running' });
    expect(cl.nodes.map((n: { hostId: string }) => n.hostId)).toEqual([ids[0], ids[1], spareId]);
    mark('control plane replaced');

    // 4. The old control plane powered on again resets (Palette removed it) and does not disturb the cluster.
    said = lab.consoleText(CP3).length;
    await lab.command({ kind: 'host', hostId: CP3 }, 'POWER_ON');
    await waitFor(async () => (await hostRow(deadId)).status === 'Ready', 4 * MINUTE, `${deadId} to reset and be Ready`, CP3);
    expect(lab.consoleText(CP3).slice(said)).toContain('agent: Palette removed this host from cluster edge-lab-ha');
    const after = await until(CP1, THROUGH_VIP, (o) => [nodes[0]!, nodes[1]!, spareNode].every((n) => listed(o, n, 'Ready\\b')), 2 * MINUTE, 'the three control planes Ready');
    expect(listed(after, deadNode)).toBe(false);
    mark('old control plane reset');
  }, 40 * MINUTE);
});
