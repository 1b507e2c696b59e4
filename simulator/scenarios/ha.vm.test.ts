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
import type { LabView } from '../pure/protocol/common';
import { HA_CONTROL_PLANES, HA_VIP, haThreeCp } from '../pure/scenarios/ha-three-cp';
import { SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import { nodeNames } from '../pure/palette/assignment';
import { startLabServer, type LabServer } from '../server/lab-server';
import { createLab, LabClient } from './lab-client';

const MINUTE = 60_000;
const s = haThreeCp;
const WORKER = s.hosts[HA_CONTROL_PLANES]!.name;
const THROUGH_VIP = `kubectl --server http://${HA_VIP}:6443 get nodes`;

const vipHolders = (v: LabView): string[] => Object.entries(v.hosts).filter(([, h]) => h.data.vip === HA_VIP).map(([name]) => name);
const powered = (v: LabView, host: string): boolean => !(v.hosts[host]?.tags ?? []).includes('off');

describe('scenario ha-three-cp on real VMs: quorum and VIP failover', () => {
  let server: LabServer;
  let dataDir: string;
  let c: LabClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-ha-'));
    server = await startLabServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    c?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('provisions three control planes and a worker, moves the VIP when its holder dies, loses and regains quorum', async () => {
    const lab = await createLab(server.url, s.name);
    c = new LabClient(server.url, lab);
    await c.connect();
    const memo: ScenarioMemo = {};
    const say = (line: string): void => console.log(`[ha] ${line}`);
    let t = performance.now();
    const lap = (): string => { const now = performance.now(); const d = ((now - t) / 1000).toFixed(1); t = now; return `${d} s`; };
    for (const st of SCENARIO_STEPS) await st.perform(c, s, memo, { clusterTimeoutMs: 10 * MINUTE });
    say(`scenario to Running and verified: ${lap()}`);
    const nodes = nodeNames(memo.hostIds ?? []);
    expect(nodes).toHaveLength(4);

    // One control-plane node holds the VIP, and kubectl on the worker reaches the API through it.
    const first = await c.waitForView((v) => vipHolders(v).length === 1, MINUTE, 'one host to hold the VIP');
    const holder = vipHolders(first)[0]!;
    expect(s.hosts.slice(0, HA_CONTROL_PLANES).map((h) => h.name)).toContain(holder);
    const all = await c.run(WORKER, THROUGH_VIP, MINUTE);
    for (const n of nodes) expect(all).toMatch(new RegExp(`^${n}\\s+Ready\\b`, 'm'));

    // The holder loses power: another control plane takes the VIP, and the API still answers
    // through it; the lost node turns NotReady once its node lease runs out.
    lap();
    await c.command({ kind: 'host', hostId: holder }, 'POWER_OFF');
    const moved = await c.waitForView((v) => !powered(v, holder) && vipHolders(v).length === 1 && vipHolders(v)[0] !== holder, MINUTE, 'the VIP to move to another control plane');
    const second = vipHolders(moved)[0]!;
    say(`${holder} powered off → ${second} holds the VIP: ${lap()}`);
    const lostNode = nodes[s.hosts.findIndex((h) => h.name === holder)]!;
    let answer = '';
    for (const until = Date.now() + 2 * MINUTE; Date.now() < until;) {
      answer = await c.run(WORKER, THROUGH_VIP, MINUTE);
      if (new RegExp(`^${lostNode}\\s+NotReady\\b`, 'm').test(answer)) break;
      await new Promise((r) => setTimeout(r, 5_000));
    }
    expect(answer).toMatch(new RegExp(`^${lostNode}\\s+NotReady\\b`, 'm'));
    for (const n of nodes.filter((x) => x !== lostNode)) expect(answer).toMatch(new RegExp(`^${n}\\s+Ready\\b`, 'm'));

    // A second control plane lost: one member of three has no quorum. Nobody holds the VIP, and
    // kubectl through it fails the way a client does when nothing answers at that address.
    lap();
    await c.command({ kind: 'host', hostId: second }, 'POWER_OFF');
    await c.waitForView((v) => !powered(v, second) && vipHolders(v).length === 0, MINUTE, 'the VIP to be released without quorum');
    say(`${second} powered off too → no host holds the VIP: ${lap()}`);
    const failed = await c.run(WORKER, `${THROUGH_VIP} --request-timeout=5s 2>&1`, MINUTE);
    expect(failed).toMatch(/Unable to connect to the server|connection refused|no route to host|i\/o timeout/i);

    // Both back: the quorum returns, a member takes the VIP, and every node is Ready again.
    await c.command({ kind: 'host', hostId: holder }, 'POWER_ON');
    await c.command({ kind: 'host', hostId: second }, 'POWER_ON');
    await c.waitForView((v) => vipHolders(v).length === 1, 3 * MINUTE, 'a host to hold the VIP again');
    say(`both powered on → a host holds the VIP again: ${lap()}`);
    let healed = '';
    for (const until = Date.now() + 3 * MINUTE; Date.now() < until;) {
      healed = await c.run(WORKER, `${THROUGH_VIP} 2>&1`, MINUTE);
      if (nodes.every((n) => new RegExp(`^${n}\\s+Ready\\b`, 'm').test(healed))) break;
      await new Promise((r) => setTimeout(r, 5_000));
    }
    for (const n of nodes) expect(healed).toMatch(new RegExp(`^${n}\\s+Ready\\b`, 'm'));
    say(`every node Ready through the VIP again: ${lap()}`);
  }, 30 * MINUTE);
});
