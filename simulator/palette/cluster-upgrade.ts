// Updating a Running cluster to a newer version of its profile (the page's "Upgrade to version …";
// rules in pure/palette/upgrade.ts). The cluster is Upgrading while its hosts are told, one at a
// time, to repave themselves: control planes first, each only after the previous host reported
// that it came up on the new image with its node Ready (so at most one etcd member is down).
// The hosts' reports arrive through agent-upgrade.ts, which moves the roll on with `tellTurn`.
import { checkUpgrade, clusterImage, clusterLayers, upgradeOrder, upgradeTurn, URI_KEY } from '../pure/palette';
import { error } from '../pure/palette/issues';
import { addNotes, saveCluster } from './cluster-state';
import { fail, notFound, type Ctx, type Tx } from './context';
import { clusterView, liveHealthSet } from './cluster-views';
import type { ClusterDoc } from './records';
import type { createRegistry } from './registry';
import type { Failure, Palette } from './types';

type Registry = ReturnType<typeof createRegistry>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{profile: {id, version}}` (as the wizard names a profile), or why not. */
function requested(raw: unknown): { id: string; version: string } | Failure {
  const p = isObject(raw) ? raw.profile : undefined;
  if (isObject(p) && typeof p.id === 'string' && p.id !== '' && typeof p.version === 'string' && p.version !== '') return { id: p.id, version: p.version };
  return fail('invalid', [error('profile', 'profile-missing', '[palette] the update must name the profile version to apply', 'send {"profile":{"id":"<profile name>","version":"<x.y.z>"}}')]);
}

/** Tells the host whose turn it is (at its next heartbeat, woken now); false when every host is done. */
export async function tellTurn(tx: Tx, c: ClusterDoc, now: number, wake: (hostId: string) => void): Promise<boolean> {
  const u = c.upgrade!;
  const hostId = upgradeTurn(u.order, u.done);
  if (hostId === undefined) return false;
  const node = c.nodes.find((n) => n.hostId === hostId)!;
  const h = await tx.rec.get('edge-host', hostId);
  if (h) await tx.rec.put('edge-host', hostId, { ...h, assignmentSeen: false });
  await tx.emit('palette.host.upgrade-turn', { hostId, cluster: c.name, version: u.to });
  await addNotes(tx, c, [{
    severity: 'info',
    message: `Upgrade to ${u.to}, host ${u.done.length + 1} of ${u.order.length}: edge host ${hostId} (${node.role} node ${node.nodeName}) writes the new provider image to its passive partition and reboots into it`,
  }], now);
  tx.afterCommit(() => wake(hostId));
  return true;
}

export function upgradeApi(ctx: Ctx, registry: Registry): Pick<Palette['clusters'], 'upgrade'> {
  return {
    async upgrade(name, raw) {
      const now = ctx.deps.now();
      const ref = requested(raw);
      if ('ok' in ref) return ref;
      return ctx.write(async (tx) => {
        const c = await tx.rec.get('cluster', name);
        if (!c) return notFound('name', `cluster ${name}`, 'check the name in the cluster list');
        const profiles = (await tx.rec.list('profile')).filter((d) => d.profile.name === ref.id);
        const issues = checkUpgrade({
          cluster: { name, status: c.status, profile: { name: c.spec.profile.id, version: c.spec.profile.version }, rolling: c.status === 'Upgrading' },
          requested: { name: ref.id, version: ref.version },
          versions: profiles.map((d) => d.profile.version),
        });
        if (issues.length > 0) return fail(issues.some((i) => i.code === 'upgrade-rolling' || i.code === 'cluster-not-running') ? 'conflict' : 'invalid', issues);
        const profile = profiles.find((d) => d.profile.version === ref.version)!.profile;
        const img = clusterImage(profile, c.spec.parameters);
        const uriPath = `profile.version`;
        if (!img) return fail('invalid', [error(uriPath, 'provider-image-unknown', `[palette] version ${ref.version}'s provider image does not resolve to an image in the lab registry`, `fix the OS layer's \`${URI_KEY}\` in a new version`)]);
        if (!registry.forRepository(img.repository)) {
          return fail('invalid', [error(uriPath, 'provider-image-unavailable', `[palette] the lab registry has no image data for repository ${img.repository}, so the hosts could not pull ${img.image.name}`, 'use a version whose provider image is in a repository the lab serves (see GET /v1/catalog, `available`)')]);
        }
        const before = { status: c.status, health: c.health };
        c.upgrade = {
          from: c.spec.profile.version, to: ref.version,
          k8s: { pack: img.k8sPack, distribution: img.distribution, version: img.k8sVersion },
          image: { name: img.image.name, repository: img.repository }, layers: clusterLayers(profile),
          order: upgradeOrder(c.nodes), done: [], failed: null, startedAt: now, endedAt: null,
        };
        c.status = 'Upgrading';
        await tx.emit('palette.cluster.upgrade-started', { name, from: c.upgrade.from, to: c.upgrade.to });
        await addNotes(tx, c, [{
          severity: 'info',
          message: `Cluster ${name} is upgrading from profile ${ref.id} ${c.upgrade.from} to ${ref.version} (${img.image.name}): a rolling repave, one host at a time, control planes first, each after the previous one is back Ready`,
        }], now);
        await tellTurn(tx, c, now, (id) => ctx.waiters.wake(id));
        await saveCluster(tx, c, before, now);
        const hosts = await tx.rec.list('edge-host');
        return { ok: true as const, cluster: clusterView(c, liveHealthSet(hosts, now)) };
      });
    },
  };
}
