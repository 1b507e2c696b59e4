// The health sweep: host health from contact times (Unhealthy after 60 s without one), cluster
// health from its nodes, each change logged once. Reads first and opens a write transaction only
// when something changed.
import { clusterHealth } from '../pure/palette';
import { saveCluster } from './cluster-state';
import { liveHealthSet } from './cluster-views';
import type { Ctx } from './context';
import { liveHealth } from './host-views';

export function healthSweep(ctx: Ctx): () => Promise<void> {
  return async () => {
    const now = ctx.deps.now();
    const [hosts, clusters] = await Promise.all([ctx.rec.list('edge-host'), ctx.rec.list('cluster')]);
    const unhealthy = liveHealthSet(hosts, now);
    const stale = hosts.some((h) => h.registration === 'registered' && liveHealth(h, now) !== h.health)
      || clusters.some((c) => clusterHealth(c.status, c.nodes, unhealthy) !== c.health);
    if (!stale) return;
    await ctx.write(async (tx) => {
      for (const h of await tx.rec.list('edge-host')) {
        const health = liveHealth(h, now);
        if (h.registration !== 'registered' || health === null || health === h.health) continue;
        await tx.rec.put('edge-host', h.hostId, { ...h, health });
        await tx.emit('palette.host.health', { hostId: h.hostId, health });
      }
      const unhealthyNow = liveHealthSet(await tx.rec.list('edge-host'), now);
      for (const c of await tx.rec.list('cluster')) {
        const before = { status: c.status, health: c.health };
        if (clusterHealth(c.status, c.nodes, unhealthyNow) !== before.health) await saveCluster(tx, c, before, now);
      }
    });
  };
}
