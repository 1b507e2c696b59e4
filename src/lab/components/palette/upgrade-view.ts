/**
 * Pure view logic of the cluster's "Upgrade to version …" control: which versions it offers (the
 * newer ones of the cluster's own profile, the rules of pure/palette/upgrade.ts) and the roll's
 * state in words.
 */
import type { ClusterView, ProfileView } from '../../../../simulator/pure/palette/views';
import { compareVersions } from '../../../../simulator/pure/palette/versions';

/** The repository of the provider image that is broken on purpose (the fallback drill). */
export const BROKEN_REPOSITORY = 'edge-lab-provider-broken';

export interface UpgradeChoice { version: string; label: string; broken: boolean }

const osValues = (p: ProfileView): string => JSON.stringify(p.profile.layers.find((l) => l.type === 'os') ?? {});

/** Newer versions of the cluster's profile, oldest first; one whose image is broken on purpose says so. */
export function upgradeChoices(c: Pick<ClusterView, 'profile'>, profiles: readonly ProfileView[]): UpgradeChoice[] {
  return profiles
    .filter((p) => p.name === c.profile.name && compareVersions(p.version, c.profile.version) > 0)
    .sort((a, b) => compareVersions(a.version, b.version))
    .map((p) => {
      const broken = osValues(p).includes(BROKEN_REPOSITORY);
      return { version: p.version, broken, label: broken ? `${p.version} (its provider image is broken on purpose: the hosts fall back)` : p.version };
    });
}

/** The latest upgrade in a sentence, or null before the first. */
export function upgradeText(c: Pick<ClusterView, 'upgrade' | 'nodes'>): string | null {
  const u = c.upgrade;
  if (!u) return null;
  if (u.state === 'rolling') {
    const node = c.nodes.find((n) => n.hostId === u.current);
    return `Upgrading ${u.from} → ${u.to}: ${u.done.length} of ${u.order.length} hosts done${node ? `; now ${node.hostId} (${node.role === 'control-plane' ? 'control plane' : 'worker'}) repaves and reboots` : ''}. One host at a time, control planes first.`;
  }
  if (u.state === 'failed' && u.failed) return `Upgrade to ${u.to} failed on ${u.failed.hostId}: booted back into ${u.failed.slot}. The roll stopped after ${u.done.length} of ${u.order.length} hosts.`;
  return `Upgraded from ${u.from} to ${u.to}: all ${u.order.length} hosts repaved.`;
}
