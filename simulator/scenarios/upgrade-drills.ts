/**
 * Day-2 upgrade drills on scenario ha-three-cp, through the lab's own doors (the Palette page API,
 * consoles): shared by the VM test (which checks what each shows) and the benchmark (which times
 * the roll).
 *
 * saveVersion     a new version of the lab's profile (another Kubernetes version, or the provider
 *                 image broken on purpose)
 * rollingUpgrade  apply it and follow the roll until it ends, while the worker records, every
 *                 second, whether each of the three etcd members sees a leader
 */
import { HA_CONTROL_PLANES, haThreeCp } from '../pure/scenarios/ha-three-cp';
import { LAB_K3S_PROFILE } from '../pure/scenarios/lab-profile';
import type { ClusterProfile } from '../pure/palette/profile';
import { HA_WORKER, type HaLab } from './ha-drills';

const MINUTE = 60_000;
export const HA_CLUSTER = 'edge-lab-ha';
const CLUSTER_PATH = `/palette/v1/clusters/${HA_CLUSTER}`;
/** The etcd members' LAN addresses (the control-plane hosts'). */
const MEMBERS = haThreeCp.hosts.slice(0, HA_CONTROL_PLANES).map((h) => h.lanAddress);
/** On COS_PERSISTENT, so that the record outlives the worker's own repave at the end of the roll. */
const WATCH_FILE = '/usr/local/etcd-watch.log';

/** A good new version: the same provider OS with Kubernetes 1.33.1 (its node records say so). */
export const GOOD_VERSION = { version: '1.1.0', k8s: '1.33.1', repo: 'edge-lab-provider' } as const;
/** Broken on purpose: its provider image's init gives up at once (guest-trees.ts). */
export const BROKEN_VERSION = { version: '1.2.0', k8s: '1.33.1', repo: 'edge-lab-provider-broken' } as const;

export function profileVersion(v: { version: string; k8s: string; repo: string }): ClusterProfile {
  return {
    ...LAB_K3S_PROFILE,
    version: v.version,
    layers: LAB_K3S_PROFILE.layers.map((l) => {
      if (l.type === 'os') return { ...l, values: { ...l.values, 'system.repo': v.repo } };
      if (l.type === 'k8s') return { ...l, version: v.k8s };
      return l;
    }),
  };
}

export async function saveVersion(lab: HaLab, v: { version: string; k8s: string; repo: string }): Promise<void> {
  await lab.client.call('POST', '/palette/v1/profiles', profileVersion(v), [201], `saving profile version ${v.version}`);
}

export interface ClusterUpgradeView {
  state: 'rolling' | 'done' | 'failed';
  order: string[];
  done: string[];
  failed: { hostId: string; slot: string; reason: string } | null;
}

export async function readCluster(lab: HaLab): Promise<any> {
  return (await lab.client.call('GET', CLUSTER_PATH, undefined, [200], 'reading the cluster')).cluster;
}

/**
 * Starts the worker's etcd watch: one line per second, `<uptime> <one letter per member>`, the
 * members asked in parallel, 5 s each, for their status (`/v3/maintenance/status`, which a member
 * answers from its own raft state): `H` names a leader, `F` answered with none (it lost the
 * quorum: a leader steps down, and a follower stops following, once a majority is out of reach
 * for an election timeout), `-` no answer in time. Not `/health`: that is a quorum read through
 * raft, which on four guests emulated on two cores can time out while the quorum holds, and
 * which, once a second on three members, is itself load on the cluster under test.
 */
async function startWatch(lab: HaLab): Promise<void> {
  // wget, not nc: etcd's JSON gateway cancels a request whose client has shut its sending side,
  // which nc does as soon as its input ends. Two shell functions first, because the console's
  // line editor takes at most 1,024 characters a line.
  await lab.client.run(HA_WORKER, `st() { rm -f /run/etcd-watch.$2; timeout 5 wget -q -O /run/etcd-watch.$2 --post-data '{}' http://$1:2379/v3/maintenance/status 2>/dev/null; }; `
    + `lt() { if grep -q '"leader":"[1-9]' /run/etcd-watch.$1; then s="\${s}H"; elif grep -q '"header"' /run/etcd-watch.$1; then s="\${s}F"; else s="\${s}-"; fi 2>/dev/null; }; echo defined`, MINUTE);
  const probes = MEMBERS.map((a, i) => `st ${a} ${i} &`).join(' ');
  const letters = MEMBERS.map((_, i) => `lt ${i}`).join('; ');
  await lab.client.run(HA_WORKER, `rm -f ${WATCH_FILE}; (while :; do s=; ${probes} wait; ${letters}; read -r up _ < /proc/uptime; echo "$up $s" >> ${WATCH_FILE}; sleep 1; done) >/dev/null 2>&1 & echo started`, MINUTE);
}

/** The watch's samples so far, one string of member letters per second (see startWatch). */
async function readWatch(lab: HaLab): Promise<string[]> {
  const out = await lab.client.run(HA_WORKER, `cat ${WATCH_FILE}`, MINUTE);
  return out.split('\n').map((l) => /^\d+(\.\d+)? ([HF-]+)$/.exec(l.trim())?.[2]).filter((x): x is string => x !== undefined);
}

/** Members that named a leader in one sample. */
export const seeingLeaderIn = (sample: string): number => [...sample].filter((c) => c === 'H').length;
/** Members that answered with no leader (no quorum) in one sample. */
export const leaderlessIn = (sample: string): number => [...sample].filter((c) => c === 'F').length;
/** Samples that show the quorum lost: fewer than two name a leader, and a member said it has none. */
export const quorumLost = (samples: readonly string[]): string[] => samples.filter((x) => seeingLeaderIn(x) < 2 && leaderlessIn(x) > 0);
/** Samples with fewer than two naming a leader where the others did not answer within 5 s at all: no verdict. */
export const unanswered = (samples: readonly string[]): string[] => samples.filter((x) => seeingLeaderIn(x) < 2 && leaderlessIn(x) === 0);

export interface Roll {
  /** Seconds from the request until the last control plane reported it runs the new version. */
  controlPlanesS: number;
  /** Seconds until the roll ended (every host, or the first that fell back). */
  endedS: number;
  upgrade: ClusterUpgradeView;
  /** The etcd watch, once a second, from the request until the control planes were done (startWatch). */
  samples: string[];
}

/** Applies `version` to the HA cluster and follows the roll to its end. */
export async function rollingUpgrade(lab: HaLab, version: string, timeoutMs = 15 * MINUTE): Promise<Roll> {
  await startWatch(lab);
  const t0 = performance.now();
  await lab.client.call('POST', `${CLUSTER_PATH}/upgrade`, { profile: { id: LAB_K3S_PROFILE.name, version } }, [200], `upgrading to ${version}`);
  let controlPlanesS: number | undefined;
  let samples: string[] = [];
  for (const until = Date.now() + timeoutMs; ;) {
    const c = await readCluster(lab);
    const u = c.upgrade as ClusterUpgradeView;
    const cps = u.order.slice(0, HA_CONTROL_PLANES);
    if (controlPlanesS === undefined && (cps.every((h) => u.done.includes(h)) || u.state !== 'rolling')) {
      controlPlanesS = (performance.now() - t0) / 1000;
      samples = await readWatch(lab);
    }
    if (u.state !== 'rolling' && c.status === 'Running') {
      return { controlPlanesS: controlPlanesS!, endedS: (performance.now() - t0) / 1000, upgrade: u, samples };
    }
    if (Date.now() > until) throw new Error(`[upgrade] the roll to ${version} did not end in ${timeoutMs / 1000} s: ${JSON.stringify({ status: c.status, upgrade: u })}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
