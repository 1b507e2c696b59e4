/**
 * The highly available cluster on real VMs: scenario ha-three-cp headless to Running (three
 * control planes with three etcd members, one worker), then the drills a learner does: power off
 * the VIP holder (the VIP moves, kubectl through the VIP still answers and shows the lost node
 * NotReady), power off a second control plane (quorum lost: nobody holds the VIP and kubectl through
 * it fails as a real client does), power both back on (quorum, the VIP and every node Ready again).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HA_CONTROL_PLANES, HA_VIP, haThreeCp } from '../pure/scenarios/ha-three-cp';
import { startLabServer, type LabServer } from '../server/lab-server';
import { failover, HA_WORKER, kubectlUntil, loseQuorum, nodeOf, playHa, readyLine, regainQuorum, THROUGH_VIP, vipHolders, type HaLab } from './ha-drills';

const MINUTE = 60_000;
const say = (line: string): void => console.log(`[ha] ${line}`);

describe('scenario ha-three-cp on real VMs: quorum and VIP failover', () => {
  let server: LabServer;
  let dataDir: string;
  let lab: HaLab | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-ha-'));
    server = await startLabServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    lab?.client.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('provisions three control planes and a worker, moves the VIP when its holder dies, loses and regains quorum', async () => {
    lab = await playHa(server.url);
    say(`scenario to Running and verified: ${lab.playedS.toFixed(1)} s`);
    expect(lab.nodes).toHaveLength(4);
    const controlPlanes = haThreeCp.hosts.slice(0, HA_CONTROL_PLANES).map((h) => h.name);

    // One control-plane node holds the VIP, and kubectl on the worker reaches the API through it.
    // Just after Running the election may still be settling (a holder whose renewals were slow
    // lets go only after its deadline), so this waits for one holder rather than sampling once.
    const settled = await lab.client.waitForView((v) => vipHolders(v).length === 1, MINUTE, 'exactly one host to hold the VIP');
    const holders = vipHolders(settled);
    expect(holders).toHaveLength(1);
    expect(controlPlanes).toContain(holders[0]);
    const all = await lab.client.run(HA_WORKER, THROUGH_VIP, MINUTE);
    for (const n of lab.nodes) expect(all).toMatch(readyLine(n));

    // The holder loses power: another control plane takes the VIP, and the API still answers
    // through it; the lost node turns NotReady once its node lease runs out, the others stay Ready.
    const f = await failover(lab);
    say(`${f.holder} powered off → ${f.newHolder} holds the VIP after ${f.vipMovedS.toFixed(1)} s; kubectl answers through it after ${f.apiBackS.toFixed(1)} s`);
    expect(f.newHolder).not.toBe(f.holder);
    expect(controlPlanes).toContain(f.newHolder);
    const lostNode = nodeOf(lab, f.holder);
    const notReady = await kubectlUntil(lab, (out) => readyLine(lostNode, 'NotReady').test(out), 2 * MINUTE, `${lostNode} to be NotReady`);
    for (const n of lab.nodes.filter((x) => x !== lostNode)) expect(notReady).toMatch(readyLine(n));

    // A second control plane lost: one member of three has no quorum. Nobody holds the VIP, and
    // kubectl through it fails the way a client does when nothing answers at that address.
    await loseQuorum(lab, f.newHolder);
    const failed = await lab.client.run(HA_WORKER, `${THROUGH_VIP} --request-timeout=5s 2>&1`, MINUTE);
    expect(failed).toMatch(/Unable to connect to the server|connection refused|no route to host|i\/o timeout/i);
    expect(failed).not.toMatch(readyLine(lab.nodes[HA_CONTROL_PLANES]!));
    // On the last control plane itself, its API answers as kube-apiserver does without an etcd quorum.
    const last = controlPlanes.find((h) => h !== f.holder && h !== f.newHolder)!;
    let own = '';
    for (const until = Date.now() + MINUTE; Date.now() < until && !/etcdserver: request timed out/.test(own);) {
      own = await lab.client.run(last, 'kubectl get nodes --request-timeout=5s 2>&1', MINUTE);
    }
    expect(own).toMatch(/Error from server.*etcdserver: request timed out/);

    // Both back: the quorum returns, a member takes the VIP, and every node is Ready again.
    const back = await regainQuorum(lab, [f.holder, f.newHolder]);
    say(`both powered on → a host holds the VIP after ${back.vipS.toFixed(1)} s; every node Ready through ${HA_VIP} after ${back.allReadyS.toFixed(1)} s`);
    for (const n of lab.nodes) expect(back.out).toMatch(readyLine(n));
  }, 30 * MINUTE);
});
