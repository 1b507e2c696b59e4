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

/** One sample of the watch: the worker's uptime (s) and one letter per member (see startWatch). */
export interface WatchSample { t: number; members: string }

/** The watch's samples so far, about one a second. */
async function readWatch(lab: HaLab): Promise<WatchSample[]> {
  const out = await lab.client.run(HA_WORKER, `cat ${WATCH_FILE}`, MINUTE);
  return out.split('\n').flatMap((l) => {
    const m = /^(\d+(?:\.\d+)?) ([HF-]+)$/.exec(l.trim());
    return m ? [{ t: Number(m[1]), members: m[2]! }] : [];
  });
}

/** Members that named a leader in one sample. */
export const seeingLeaderIn = (sample: string): number => [...sample].filter((c) => c === 'H').length;
/** Members that answered with no leader in one sample. */
export const leaderlessIn = (sample: string): number => [...sample].filter((c) => c === 'F').length;
/** A sample in which fewer than two members name a leader and one answered that it has none. */
const leaderless = (sample: string): boolean => seeingLeaderIn(sample) < 2 && leaderlessIn(sample) > 0;

/**
 * How long the members may be without a leader before that is the quorum lost rather than an
 * election. A leader change (the leader repaved, or its heartbeats late on a busy emulated machine)
 * leaves the others leaderless for an election: one election timeout (2 s) and, under load, a few
 * rounds. A quorum lost in a roll stays leaderless until a member is back, and a repave keeps a
 * host away for tens of seconds.
 */
export const ELECTION_GRACE_S = 10;

export interface LeaderlessSpell { fromT: number; seconds: number; samples: string[] }

/**
 * The spells without a leader: from a leaderless sample until the next sample in which two members
 * name one (samples without a verdict in between belong to the spell), timed by the worker's clock
 * from the first leaderless sample to the last.
 */
export function leaderlessSpells(samples: readonly WatchSample[]): LeaderlessSpell[] {
  const spells: LeaderlessSpell[] = [];
  let open: { from: number; last: number; samples: string[] } | null = null;
  const close = (): void => {
    if (open) spells.push({ fromT: open.from, seconds: open.last - open.from, samples: open.samples });
    open = null;
  };
  for (const x of samples) {
    if (seeingLeaderIn(x.members) >= 2) { close(); continue; }
    if (leaderless(x.members)) {
      open ??= { from: x.t, last: x.t, samples: [] };
      open.last = x.t;
    }
    open?.samples.push(x.members);
  }
  close();
  return spells;
}

/** The quorum lost: spells without a leader that outlast an election (ELECTION_GRACE_S). */
export const quorumLost = (samples: readonly WatchSample[]): LeaderlessSpell[] => leaderlessSpells(samples).filter((s) => s.seconds >= ELECTION_GRACE_S);
/** Samples with fewer than two naming a leader where the others did not answer within 5 s at all: no verdict. */
export const unanswered = (samples: readonly WatchSample[]): string[] => samples.map((x) => x.members).filter((x) => seeingLeaderIn(x) < 2 && leaderlessIn(x) === 0);
/** The samples as the logs show them: the members' letters, in order. */
export const sampleLetters = (samples: readonly WatchSample[]): string => samples.map((x) => x.members).join(' ');

export interface Roll {
  /** Seconds from the request until the last control plane reported it runs the new version. */
  controlPlanesS: number;
  /** Seconds until the roll ended (every host, or the first that fell back). */
  endedS: number;
  upgrade: ClusterUpgradeView;
  /** The etcd watch, once a second, from the request until the control planes were done (startWatch). */
  samples: WatchSample[];
}

/** Applies `version` to the HA cluster and follows the roll to its end. */
export async function rollingUpgrade(lab: HaLab, version: string, timeoutMs = 15 * MINUTE): Promise<Roll> {
  await startWatch(lab);
  const t0 = performance.now();
  await lab.client.call('POST', `${CLUSTER_PATH}/upgrade`, { profile: { id: LAB_K3S_PROFILE.name, version } }, [200], `upgrading to ${version}`);
  let controlPlanesS: number | undefined;
  let samples: WatchSample[] = [];
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
