/**
 * The high-availability drills of scenario ha-three-cp, played against a lab server through the
 * lab's own doors (commands, view, consoles), as a learner does them: shared by the VM test (which
 * checks what each step shows) and the benchmark (which times them).
 *
 * playHa        the scenario headless to a verified Running cluster, the client kept open
 * failover      power off the VIP holder → another control plane holds it and kubectl on the
 *               worker answers through the VIP
 * loseQuorum    power off the new holder too → nobody holds the VIP
 * regainQuorum  power both on → a node holds the VIP and kubectl through it lists every node Ready
 */
import type { LabView } from '../pure/protocol/common';
import { nodeNames } from '../pure/palette/assignment';
import { HA_CONTROL_PLANES, HA_VIP, haThreeCp } from '../pure/scenarios/ha-three-cp';
import { SCENARIO_STEPS, type ScenarioMemo } from '../pure/scenarios/scenario-steps';
import { createLab, LabClient } from './lab-client';

const MINUTE = 60_000;
export const HA_WORKER = haThreeCp.hosts[HA_CONTROL_PLANES]!.name;
/** kubectl on the worker, through the VIP rather than its own API. */
export const THROUGH_VIP = `kubectl --server http://${HA_VIP}:6443 get nodes`;

export const vipHolders = (v: LabView): string[] => Object.entries(v.hosts).filter(([, h]) => h.data.vip === HA_VIP).map(([name]) => name);
const poweredOff = (v: LabView, host: string): boolean => (v.hosts[host]?.tags ?? []).includes('off');
const readyLine = (node: string, status = 'Ready'): RegExp => new RegExp(`^${node}\\s+${status}\\b`, 'm');
const seconds = (t0: number): number => (performance.now() - t0) / 1000;

export interface HaLab {
  client: LabClient;
  /** Node names in the scenario's host order. */
  nodes: string[];
  /** Seconds from a new lab to a verified Running cluster. */
  playedS: number;
}

export async function playHa(serverUrl: string): Promise<HaLab> {
  const t0 = performance.now();
  const lab = await createLab(serverUrl, haThreeCp.name);
  const client = new LabClient(serverUrl, lab);
  await client.connect();
  try {
    const memo: ScenarioMemo = {};
    for (const st of SCENARIO_STEPS) await st.perform(client, haThreeCp, memo, { clusterTimeoutMs: 10 * MINUTE });
    return { client, nodes: nodeNames(memo.hostIds ?? []), playedS: seconds(t0) };
  } catch (err) {
    client.close();
    throw err;
  }
}

/** The node of lab host `host`. */
export const nodeOf = (lab: HaLab, host: string): string => lab.nodes[haThreeCp.hosts.findIndex((h) => h.name === host)]!;

/** Runs `THROUGH_VIP` on the worker until `ok` holds for its output (`what` names it in the error). */
export async function kubectlUntil(lab: HaLab, ok: (out: string) => boolean, timeoutMs: number, what: string, extraArgs = ''): Promise<string> {
  let out = '';
  for (const until = Date.now() + timeoutMs; ;) {
    out = await lab.client.run(HA_WORKER, `${THROUGH_VIP}${extraArgs} 2>&1`, MINUTE);
    if (ok(out)) return out;
    if (Date.now() > until) throw new Error(`[ha] waited ${timeoutMs / 1000} s for ${what}; kubectl on ${HA_WORKER} last said:\n${out}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export interface Failover {
  holder: string;
  newHolder: string;
  /** Power cut → another host holds the VIP (its own report). */
  vipMovedS: number;
  /** Power cut → kubectl through the VIP answers with the nodes again. */
  apiBackS: number;
}

export async function failover(lab: HaLab): Promise<Failover> {
  const c = lab.client;
  const before = await c.waitForView((v) => vipHolders(v).length === 1, MINUTE, 'one host to hold the VIP');
  const holder = vipHolders(before)[0]!;
  const t0 = performance.now();
  await c.command({ kind: 'host', hostId: holder }, 'POWER_OFF');
  const moved = await c.waitForView((v) => poweredOff(v, holder) && vipHolders(v).length === 1 && vipHolders(v)[0] !== holder, MINUTE, 'the VIP to move to another control plane');
  const vipMovedS = seconds(t0);
  await kubectlUntil(lab, (out) => lab.nodes.every((n) => new RegExp(`^${n}\\s`, 'm').test(out)), MINUTE, 'the API to answer through the VIP');
  return { holder, newHolder: vipHolders(moved)[0]!, vipMovedS, apiBackS: seconds(t0) };
}

/** Powers `host` off (the second control plane lost); resolves once it is off and nobody holds the VIP. */
export async function loseQuorum(lab: HaLab, host: string): Promise<void> {
  await lab.client.command({ kind: 'host', hostId: host }, 'POWER_OFF');
  await lab.client.waitForView((v) => poweredOff(v, host) && vipHolders(v).length === 0, MINUTE, 'the VIP to be held by nobody');
}

/** Powers `hosts` on; resolves with the seconds until a host holds the VIP and until every node is Ready through it. */
export async function regainQuorum(lab: HaLab, hosts: readonly string[]): Promise<{ vipS: number; allReadyS: number; out: string }> {
  const t0 = performance.now();
  for (const h of hosts) await lab.client.command({ kind: 'host', hostId: h }, 'POWER_ON');
  await lab.client.waitForView((v) => vipHolders(v).length === 1, 3 * MINUTE, 'a host to hold the VIP again');
  const vipS = seconds(t0);
  const out = await kubectlUntil(lab, (o) => lab.nodes.every((n) => readyLine(n).test(o)), 3 * MINUTE, 'every node to be Ready through the VIP');
  return { vipS, allReadyS: seconds(t0), out };
}

export { readyLine };
