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
 * clockDrill    the site's time server off, a control plane's hardware clock 3 hours behind →
 *               etcd on a peer complains of its clock; the time server on → its clock is set
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

export interface ClockDrillResult {
  /** The control plane whose clock was set behind, and its LAN address. */
  host: string;
  address: string;
  /** Its clock as the guest told it (`date +%s`) minus the lab's, with the time server off; then once set. */
  behindS: number;
  afterS: number;
  /** The peer whose etcd complained, and what it said. */
  peer: string;
  drift: string;
  /** Check my work with the time server off, then on. */
  before: { passed: boolean; message: string };
  after: { passed: boolean; message: string };
  /** The offset the host's NTP client stepped its clock by. */
  offsetS: number;
  /** Time server on → the host's clock set (its own report). */
  syncedS: number;
}

/** The guest's clock minus the lab's, in seconds (whole: `date +%s`). */
async function clockSkewS(lab: HaLab, host: string): Promise<number> {
  const out = await lab.client.run(host, 'date -u +%s', MINUTE);
  const m = /^(\d{9,})\s*$/m.exec(out);
  if (!m) throw new Error(`[ha] ${host} did not print its clock: ${out}`);
  return Number(m[1]) - Date.now() / 1000;
}

/**
 * The clock drill on control plane `host` (not the VIP holder, so the VIP stays put): the time
 * server off, the host power-cycled with its hardware clock 3 hours behind, until etcd on another
 * control plane complains of its clock; then the time server on, until its NTP client set its
 * clock. Leaves the time server on and the hardware clock behind (NTP sets it at every boot).
 */
export async function clockDrill(lab: HaLab, host: string): Promise<ClockDrillResult> {
  const c = lab.client;
  const address = haThreeCp.hosts.find((h) => h.name === host)!.lanAddress!;
  const controlPlanes = haThreeCp.hosts.slice(0, HA_CONTROL_PLANES).map((h) => h.name);
  await c.waitForView((v) => Object.values(v.hosts).every((h) => h.data.clock?.synced === true), 2 * MINUTE, 'every node to have set its clock from the time server');
  await c.call('POST', '/lan/time-server', { on: false }, [200], 'switching the time server off');
  // Shut down with the power button (etcd stops and the disks are unmounted cleanly): the HA drills
  // before cut power twice already, and COS_PERSISTENT is ext2 without a journal.
  await c.command({ kind: 'host', hostId: host }, 'POWER_BUTTON');
  await c.waitForView((v) => poweredOff(v, host), 2 * MINUTE, `${host} to shut down`);
  await c.command({ kind: 'host', hostId: host }, 'SET_CLOCK_BEHIND');
  await c.waitForView((v) => v.hosts[host]?.data.clockBehind === true, MINUTE, `${host}'s clock to be set behind`);
  await c.command({ kind: 'host', hostId: host }, 'POWER_ON');
  // A drift of hours (etcd's Go duration names them: `3h0m0.5s`), not one reported before the drill.
  const complainer = (v: LabView): string | undefined => controlPlanes.find((h) => h !== host && v.hosts[h]?.data.clockDrift?.peer === address && /^\d+h/.test(v.hosts[h]!.data.clockDrift!.drift));
  const drifted = await c.waitForView((v) => complainer(v) !== undefined && v.hosts[host]?.data.clock?.synced === false, 4 * MINUTE, `etcd on another control plane to complain of ${host}'s clock`);
  const peer = complainer(drifted)!;
  const drift = drifted.hosts[peer]!.data.clockDrift!.drift;
  const behindS = -(await clockSkewS(lab, host));
  const before = await c.checkDrill('clock');
  const t0 = performance.now();
  await c.call('POST', '/lan/time-server', { on: true }, [200], 'switching the time server on');
  const synced = await c.waitForView((v) => v.hosts[host]?.data.clock?.synced === true, 2 * MINUTE, `${host}'s clock to be set from the time server`);
  const syncedS = seconds(t0);
  const offsetS = synced.hosts[host]!.data.clock!.offsetS ?? 0;
  const afterS = await clockSkewS(lab, host);
  const after = await c.checkDrill('clock');
  return { host, address, behindS, afterS, peer, drift, before, after, offsetS, syncedS };
}

export { readyLine };
