// Day-2: updating a Running cluster to a newer version of its profile (reference §8 "Upgrade").
// The product rolls through the control plane first, one node at a time, and repaves each host
// with A/B partitions and fallback. These are the rules, pure: whether an update may start, and
// in which order the hosts are told.
//
// Lab decisions, where the reference leaves room:
// - Only a newer version of the same profile may be applied (Palette's "update" of a profile
//   version; a different profile would be a new cluster).
// - Every update is a repave: each host writes the new version's provider image to its passive
//   partition and reboots into it, even when only the Kubernetes version changed.
// - One host at a time, control planes in pool order, then workers; the next host is told only
//   once the previous one reports that it came up on the new image with its node Ready (and, for
//   a control plane, its etcd member healthy). With three members at most one is ever down, so
//   the quorum holds throughout.
// - A host that fell back to its previous partition stops the roll; the hosts already done keep
//   the new version, the others the old one, and the cluster is Running again with the failure
//   in its Events (the product's "failed upgrade"). A newer version can then be applied.
import { compareVersions } from './versions';
import { error, type PaletteIssue } from './issues';
import type { NodeRole } from './cluster-progress';

export interface UpgradeCheckInput {
  cluster: { name: string; status: string; profile: { name: string; version: string }; rolling: boolean };
  /** What the page asked for. */
  requested: { name: string; version: string };
  /** Versions of `requested.name` that exist. */
  versions: readonly string[];
}

const p = (m: string): string => `[palette] ${m}`;

/** Why the update may not start (empty when it may). Messages say what is wrong; hints what to do. */
export function checkUpgrade(i: UpgradeCheckInput): PaletteIssue[] {
  const { cluster: c, requested: r } = i;
  if (c.rolling) {
    return [error('cluster', 'upgrade-rolling', p(`cluster ${c.name} is already being upgraded; its hosts are repaved one at a time`), 'wait until the cluster is Running again (its Events say when the roll ends), then apply another version')];
  }
  if (c.status !== 'Running') {
    return [error('cluster', 'cluster-not-running', p(`cluster ${c.name} is ${c.status}; only a Running cluster can be upgraded`), c.status === 'Provisioning' ? 'wait until every node is Ready and the cluster is Running' : 'a cluster being deleted cannot be upgraded')];
  }
  if (r.name !== c.profile.name) {
    return [error('profile.id', 'profile-other', p(`cluster ${c.name} was made from profile ${c.profile.name}, not ${r.name}; an update applies a newer version of the same profile`), `save your changes as a new version of ${c.profile.name}, then apply that version`)];
  }
  if (!i.versions.includes(r.version)) {
    const newer = i.versions.filter((v) => compareVersions(v, c.profile.version) > 0);
    return [error('profile.version', 'version-unknown', p(`profile ${r.name} has no version ${r.version}`), newer.length > 0 ? `pick one of ${newer.join(', ')}` : `save a new version of ${r.name} (e.g. with a higher patch number) first`)];
  }
  if (compareVersions(r.version, c.profile.version) <= 0) {
    return [error('profile.version', 'version-not-newer', p(`version ${r.version} is not newer than ${c.profile.version}, the version cluster ${c.name} runs`), `pick a version above ${c.profile.version}; to go back, save the old settings as a new, higher version`)];
  }
  return [];
}

/** The order hosts are repaved in: control planes in pool order, then workers. */
export function upgradeOrder(nodes: ReadonlyArray<{ hostId: string; role: NodeRole }>): string[] {
  return [...nodes.filter((n) => n.role === 'control-plane'), ...nodes.filter((n) => n.role === 'worker')].map((n) => n.hostId);
}

/** The host whose turn it is: the first in `order` not `done`; undefined once all are. */
export function upgradeTurn(order: readonly string[], done: readonly string[]): string | undefined {
  return order.find((h) => !done.includes(h));
}
