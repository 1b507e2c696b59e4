// The admin side of Clusters > Edge Hosts: the grid, Add Edge Hosts by ID, Delete, and tags.
// Adding a new ID counts against the lab's cap of edge host records (host-limit.ts).
import { z } from 'zod';
import { checkHostId, checkTags, type PaletteIssue } from '../pure/palette';
import { error } from '../pure/palette/issues';
import { releaseHost } from './cluster-delete';
import { isLeaving, releaseRemovedHost } from './cluster-pools';
import { fail, notFound, type Ctx } from './context';
import { HOST_LIMIT_MESSAGE, hostRoomLeft } from './host-limit';
import { blankHost, byName, hostRow, liveHealth } from './host-views';
import { DEFAULT_PROJECT } from './projects';
import type { Palette } from './types';

const tagRecord = z.record(z.string(), z.string());

function tagIssues(tags: unknown): PaletteIssue[] {
  const t = tagRecord.safeParse(tags);
  return t.success ? checkTags(t.data, 'tags') : [error('tags', 'tag-invalid', 'tags must be an object of text values, e.g. `{"region":"east"}`', 'send the tags as key/value pairs')];
}

function inputIssues(hostId: unknown, tags: unknown): PaletteIssue[] {
  if (typeof hostId !== 'string') return [error('hostId', 'host-id-invalid', 'the host ID must be text', 'paste the ID the host prints as `MachineID: …`')];
  return [...checkHostId(hostId, 'hostId'), ...(tags === undefined ? [] : tagIssues(tags))];
}

export function hostsAdmin(ctx: Ctx): Pick<Palette['hosts'], 'list' | 'get' | 'addHostId' | 'deleteHost' | 'setTags'> {
  const { deps } = ctx;
  const rowOf = async (hostId: string) => {
    const [h, clusters] = await Promise.all([ctx.rec.get('edge-host', hostId), ctx.rec.list('cluster')]);
    return h && hostRow(h, deps.now(), byName(clusters));
  };

  return {
    async list() {
      const [hosts, clusters] = await Promise.all([ctx.rec.list('edge-host'), ctx.rec.list('cluster')]);
      const now = deps.now();
      const map = byName(clusters);
      return hosts.map((h) => hostRow(h, now, map));
    },

    get: (hostId) => rowOf(hostId),

    async addHostId(hostId, project = DEFAULT_PROJECT, tags) {
      const issues = inputIssues(hostId, tags);
      if (typeof project !== 'string') issues.push(error('project', 'project-unknown', 'the project must be a name', `use e.g. \`${DEFAULT_PROJECT}\``));
      if (issues.length > 0) return fail('invalid', issues);
      const now = deps.now();
      const result = await ctx.write(async (tx) => {
        if (!(await tx.rec.get('project', project))) {
          const names = (await tx.rec.list('project')).map((p) => p.name);
          return fail('invalid', [error('project', 'project-unknown', `project ${project} does not exist`, `pick one of ${names.join(', ') || 'the projects'}, or create it first`)]);
        }
        const existing = await tx.rec.get('edge-host', hostId);
        const withTags = <T extends object>(h: T): T => (tags === undefined ? h : { ...h, tags: { ...tags }, tagsFrom: 'palette' as const });
        if (existing && existing.registration !== 'pending') {
          // Already added or registered: nothing to do but the tags.
          if (tags !== undefined) await tx.rec.put('edge-host', hostId, withTags(existing));
          return { ok: true as const };
        }
        if (!existing && (await hostRoomLeft(tx.rec)) === 0) {
          return fail('conflict', [error('hostId', 'host-limit', HOST_LIMIT_MESSAGE, `then add ${hostId} again`)]);
        }
        const h = withTags(existing ?? blankHost(hostId, project));
        h.project = project;
        h.addedAt = now;
        await tx.emit('palette.host.added', { hostId, project });
        if (h.registration === 'pending') {
          Object.assign(h, { registration: 'registered', method: 'manual', registeredAt: now });
          h.health = liveHealth(h, now);
          await tx.emit('palette.host.registered', { hostId, project, method: 'manual' });
          if (h.health === 'unhealthy') await tx.emit('palette.host.health', { hostId, health: 'unhealthy' });
        }
        await tx.rec.put('edge-host', hostId, h);
        return { ok: true as const };
      });
      if (!result.ok) return result;
      const host = await rowOf(hostId);
      return host ? { ok: true, host } : notFound('hostId', `edge host ${hostId}`, 'it was deleted meanwhile; add it again');
    },

    async deleteHost(hostId) {
      return ctx.write(async (tx) => {
        const h = await tx.rec.get('edge-host', hostId);
        if (!h) return notFound('hostId', `edge host ${hostId}`, 'check the ID in the Edge Hosts grid');
        const deleting = h.cluster === null ? undefined : await tx.rec.get('cluster', h.cluster);
        if (deleting?.status === 'Deleting') {
          // A host that will not come back to reset: its record goes, and the deletion goes on without it.
          await releaseHost(tx, deleting, hostId, 'record-deleted', deps.now());
        } else if (deleting && isLeaving(deleting, hostId)) {
          // Removed from its cluster (Day-2) and not reset yet, e.g. a dead control plane replaced.
          await releaseRemovedHost(tx, deleting, hostId, 'record-deleted', deps.now());
        } else if (h.cluster !== null) {
          return fail('conflict', [error('hostId', 'host-in-use', `edge host ${hostId} is In-Use in cluster ${h.cluster}`, `delete cluster ${h.cluster} first; then the host is Ready and can be deleted`)]);
        }
        await tx.rec.remove('edge-host', hostId);
        await tx.rec.remove('agent-answer', hostId);
        await tx.emit('palette.host.deleted', { hostId });
        tx.afterCommit(() => ctx.waiters.wake(hostId));
        return { ok: true as const };
      });
    },

    async setTags(hostId, tags) {
      const issues = tagIssues(tags);
      if (issues.length > 0) return fail('invalid', issues);
      const found = await ctx.write(async (tx) => {
        const h = await tx.rec.get('edge-host', hostId);
        if (!h) return false;
        await tx.rec.put('edge-host', hostId, { ...h, tags: { ...tags }, tagsFrom: 'palette' });
        return true;
      });
      const host = found ? await rowOf(hostId) : undefined;
      return host ? { ok: true, host } : notFound('hostId', `edge host ${hostId}`, 'check the ID in the Edge Hosts grid');
    },
  };
}
