/**
 * What the cluster picture shows, from the data the overview already has: Palette's view
 * of the cluster (its nodes, role, LAN address, provisioning step) and the lab view's hosts
 * (each host chart's state and its own reports). Pure.
 *
 * Contract, per node (matched to a lab host by the Palette host ID the host printed):
 * - power: `off` (the host chart is `poweredOff`), `starting` (`poweringOn`), `on`, or
 *   `unknown` when no lab host matches;
 * - node: `ready` while the host chart is at `powered.paired.lifecycle.running` (its cluster
 *   service said the node is Ready); `not-ready` for a node that was Ready once (Palette saw
 *   it reach node-ready) and is not now: its host is off, or booting again. Kubernetes itself
 *   marks it NotReady only when its lease runs out (about 40 s later); `not-yet` before;
 * - etcd: control-plane nodes run a member; it is `up` while its host is on and provisioning
 *   has reached the provider OS, `down` while its host is not on, `not-yet` before. This is
 *   the host's state, not a probe of etcd;
 * - leader: a member whose LAN address a running member reported as its etcd leader
 *   (host data `etcdLeader`); none when no host reports one;
 * - VIP: the hosts that report holding the cluster's VIP (host data `vip`); an empty list
 *   means unheld. No VIP configured: `vip` is null.
 */
import type { ClusterNodeView } from '../../../simulator/pure/palette/views';
import { PROVISIONING_STEPS } from '../../../simulator/pure/machines/provisioning';
import { leafPaths } from '../../../simulator/pure/machines/state-paths';
import type { StateValue } from '../../../simulator/pure/protocol/common';

export type Power = 'on' | 'off' | 'starting' | 'unknown';
export type NodeStatus = 'ready' | 'not-ready' | 'not-yet';
export type MemberStatus = 'up' | 'down' | 'not-yet';

export interface PictureHost {
  /** The lab's name for the VM (e.g. `edge-host-1`), or null when no lab host matches. */
  readonly labName: string | null;
  readonly hostId: string;
  readonly nodeName: string;
  readonly role: ClusterNodeView['role'];
  readonly lanIp: string;
  readonly power: Power;
  readonly node: NodeStatus;
  readonly failure: string | null;
  /** null for a node that runs no etcd member (a worker). */
  readonly etcd: { readonly status: MemberStatus; readonly leader: boolean } | null;
  readonly holdsVip: boolean;
}

export interface ClusterPicture {
  readonly name: string;
  readonly vip: string | null;
  /** Host IDs of the hosts holding the VIP now (normally one; none: unheld). */
  readonly vipHolders: readonly string[];
  /** Control plane first, then workers; by host ID within each. */
  readonly hosts: readonly PictureHost[];
  /** null when no node runs a member. `quorum`: how many members a majority is. */
  readonly etcd: { readonly members: number; readonly up: number; readonly quorum: number; readonly leaderKnown: boolean } | null;
}

export interface PictureCluster {
  readonly name: string;
  readonly vip: string;
  readonly nodes: readonly ClusterNodeView[];
}

export interface PictureLabHost {
  readonly state: StateValue;
  readonly data: { readonly vip?: unknown; readonly hostId?: unknown; readonly etcdLeader?: unknown };
}

export const RUNNING_PATH = 'powered.paired.lifecycle.running';
const PROVIDER_OS = PROVISIONING_STEPS.indexOf('rebooted-into-provider-os');

function powerOf(states: readonly string[] | null): Power {
  if (!states) return 'unknown';
  if (states.includes('poweredOff')) return 'off';
  if (states.includes('poweringOn')) return 'starting';
  return 'on';
}

export function clusterPicture(cluster: PictureCluster, hosts: Readonly<Record<string, PictureLabHost>>): ClusterPicture {
  const byHostId = new Map<string, [string, PictureLabHost]>();
  for (const [name, h] of Object.entries(hosts)) {
    if (typeof h.data.hostId === 'string' && h.data.hostId) byHostId.set(h.data.hostId, [name, h]);
  }
  const vip = cluster.vip || null;
  const nodes = [...cluster.nodes].sort((a, b) => (a.role === b.role ? a.hostId.localeCompare(b.hostId) : a.role === 'control-plane' ? -1 : 1));
  const base = nodes.map((n) => {
    const lab = byHostId.get(n.hostId) ?? null;
    const states = lab ? leafPaths(lab[1].state) : null;
    const power = powerOf(states);
    const everReady = n.step === 'node-ready';
    const node: NodeStatus = states?.includes(RUNNING_PATH) && power === 'on' ? 'ready' : everReady ? 'not-ready' : 'not-yet';
    const reachedOs = n.step !== null && PROVISIONING_STEPS.indexOf(n.step) >= PROVIDER_OS;
    const member: MemberStatus | null = n.role !== 'control-plane' ? null : !reachedOs ? 'not-yet' : power === 'on' ? 'up' : 'down';
    const leaderSeen = member === 'up' && typeof lab?.[1].data.etcdLeader === 'string' ? lab[1].data.etcdLeader : null;
    return { n, lab, power, node, member, leaderSeen, holdsVip: vip !== null && lab?.[1].data.vip === vip };
  });
  const leaders = new Set(base.map((b) => b.leaderSeen).filter((x): x is string => x !== null && x !== ''));
  const pictured: PictureHost[] = base.map((b) => ({
    labName: b.lab?.[0] ?? null,
    hostId: b.n.hostId,
    nodeName: b.n.nodeName,
    role: b.n.role,
    lanIp: b.n.lanIp,
    power: b.power,
    node: b.node,
    failure: b.n.failure,
    etcd: b.member === null ? null : { status: b.member, leader: b.member === 'up' && b.n.lanIp !== '' && leaders.has(b.n.lanIp) },
    holdsVip: b.holdsVip,
  }));
  const members = pictured.filter((h) => h.etcd !== null);
  return {
    name: cluster.name,
    vip,
    vipHolders: pictured.filter((h) => h.holdsVip).map((h) => h.hostId),
    hosts: pictured,
    etcd: members.length === 0 ? null : {
      members: members.length,
      up: members.filter((h) => h.etcd?.status === 'up').length,
      quorum: Math.floor(members.length / 2) + 1,
      leaderKnown: members.some((h) => h.etcd?.leader),
    },
  };
}

/** Words for the picture and its text alternative. */
export const POWER_WORDS: Readonly<Record<Power, string>> = { on: 'on', off: 'off', starting: 'starting', unknown: 'not known' };
export const NODE_WORDS: Readonly<Record<NodeStatus, string>> = { ready: 'Ready', 'not-ready': 'NotReady', 'not-yet': 'not yet' };

/** The etcd line under the picture, e.g. `etcd: 2 of 3 members' hosts up; a quorum is 2 (kept)`. */
export function etcdLine(p: ClusterPicture): string | null {
  if (!p.etcd) return null;
  const { members, up, quorum, leaderKnown } = p.etcd;
  const kept = up >= quorum ? 'kept' : 'lost';
  const leader = leaderKnown ? '' : '; no member has reported a leader';
  return `etcd: ${up} of ${members} member${members === 1 ? '' : 's'} up; a quorum is ${quorum} (${kept})${leader}`;
}

/** The whole picture in one sentence, for a screen reader (the picture is one image to it). */
export function pictureSummary(p: ClusterPicture): string {
  const vip = p.vip === null ? 'no VIP' : p.vipHolders.length === 0 ? `the VIP ${p.vip} held by nobody` : `the VIP ${p.vip} held by ${p.vipHolders.join(', ')}`;
  const hosts = p.hosts.map((h) =>
    `${h.labName ?? h.hostId} (${h.role === 'control-plane' ? 'control plane' : 'worker'}): power ${POWER_WORDS[h.power]}, node ${NODE_WORDS[h.node]}${h.etcd?.leader ? ', etcd leader' : ''}`);
  return `Cluster ${p.name} on the lab LAN, ${vip}. ${hosts.join('; ')}.`;
}
