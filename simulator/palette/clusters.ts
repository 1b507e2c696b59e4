// Clusters > Add New Cluster > Edge Native, and the cluster list, detail and delete. Creating a
// cluster assigns its hosts (In-Use) and wakes their heartbeat long polls; the hosts then report
// their provisioning (agent.ts) until the cluster is Running.
import {
  addressOf, clusterImage, clusterLayers, clusterSpecSchema, hostStatus, nodeNames, parseCluster, staticIpCidr, URI_KEY,
  type ClusterSpec, type EdgeHostView, type PaletteIssue,
} from '../pure/palette';
import { error } from '../pure/palette/issues';
import { addNotes, saveCluster } from './cluster-state';
import { startDeleting } from './cluster-delete';
import { fail, notFound, type Ctx } from './context';
import { clusterView, liveHealthSet } from './cluster-views';
import { highestVersion } from './profiles';
import { DEFAULT_PROJECT } from './projects';
import { clusterEventId, type ClusterDoc, type HostDoc, type NodeDoc } from './records';
import type { createRegistry } from './registry';
import type { Palette } from './types';

type Registry = ReturnType<typeof createRegistry>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function projectOf(raw: unknown): { project: string } | { issue: PaletteIssue } {
  const p = isObject(raw) ? raw.project : undefined;
  if (p === undefined) return { project: DEFAULT_PROJECT };
  if (typeof p === 'string' && p.trim() !== '') return { project: p };
  return { issue: error('project', 'project-unknown', 'the project must be a project name', `leave it out for \`${DEFAULT_PROJECT}\`, or name an existing project`) };
}

function nodesOf(spec: ClusterSpec, lanAddressOf: ((id: string) => string | undefined) | undefined): NodeDoc[] {
  const entries = [
    ...spec.controlPlanePool.hosts.map((h) => ({ h, role: 'control-plane' as const })),
    ...(spec.workerPool?.hosts ?? []).map((h) => ({ h, role: 'worker' as const })),
  ];
  const names = nodeNames(entries.map((e) => e.h.hostId));
  return entries.map(({ h, role }, i) => ({
    hostId: h.hostId, nodeName: names[i]!, role, step: null, failure: null, day2: false, version: null,
    lanIp: (h.staticIp && staticIpCidr(h.staticIp)) || lanAddressOf?.(h.hostId) || '',
  }));
}

export function clustersApi(ctx: Ctx, registry: Registry): Omit<Palette['clusters'], 'addWorker' | 'removeWorker' | 'replaceControlPlane' | 'upgrade'> {
  const { deps } = ctx;

  return {
    async list() {
      const [clusters, hosts] = await Promise.all([ctx.rec.list('cluster'), ctx.rec.list('edge-host')]);
      const unhealthy = liveHealthSet(hosts, deps.now());
      return clusters.map((c) => clusterView(c, unhealthy));
    },

    async get(name) {
      const c = await ctx.rec.get('cluster', name);
      if (!c) return undefined;
      const [hosts, events] = await Promise.all([ctx.rec.list('edge-host'), ctx.rec.list('cluster-event')]);
      return {
        ...clusterView(c, liveHealthSet(hosts, deps.now())),
        events: events.filter((e) => e.cluster === name).map(({ at, severity, message }) => ({ at, severity, message })),
      };
    },

    async create(raw) {
      const now = deps.now();
      const where = projectOf(raw);
      if ('issue' in where) return fail('invalid', [where.issue]);
      const { project } = where;
      const ref = clusterSpecSchema.shape.profile.safeParse(isObject(raw) ? raw.profile : undefined);
      return ctx.write(async (tx) => {
        const [projects, profiles, hosts, clusters] = await Promise.all([
          tx.rec.list('project'), tx.rec.list('profile'), tx.rec.list('edge-host'), tx.rec.list('cluster'),
        ]);
        if (!projects.some((p) => p.name === project)) {
          return fail('invalid', [error('project', 'project-unknown', `project ${project} does not exist`, `pick one of ${projects.map((p) => p.name).join(', ')}`)]);
        }
        const sameName = ref.success ? profiles.filter((p) => p.profile.name === ref.data.id) : [];
        const exact = ref.success ? sameName.find((p) => p.profile.version === ref.data.version) : undefined;
        const profile = (exact ?? highestVersion(sameName))?.profile;
        const views: EdgeHostView[] = hosts.map((h) => ({
          id: h.hostId, status: hostStatus(h.registration, h.cluster), project: h.project,
          ip: addressOf(deps.lanAddressOf?.(h.hostId) ?? '') || h.ip,
        }));
        const parsed = parseCluster(raw, {
          profile, hosts: views, project, clusterNames: clusters.filter((c) => c.project === project).map((c) => c.name),
        });
        if (!parsed.ok) return fail('invalid', parsed.issues);
        const spec = parsed.value;
        const elsewhere = clusters.find((c) => c.name === spec.name);
        if (elsewhere) {
          return fail('invalid', [error('name', 'name-taken', `project ${elsewhere.project} already has a cluster named ${spec.name}; cluster names are unique in the lab`, 'choose another name')]);
        }
        const img = profile && clusterImage(profile, spec.parameters);
        const uriPath = spec.parameters?.[`edge-native-byoi.${URI_KEY}`] !== undefined ? `parameters.edge-native-byoi.${URI_KEY}` : 'profile.id';
        if (!img) return fail('invalid', [error(uriPath, 'provider-image-unknown', 'the profile\'s provider image does not resolve to an image in the lab registry', 'fix the OS layer\'s `system.uri`')]);
        if (!registry.forRepository(img.repository)) {
          return fail('invalid', [error(uriPath, 'provider-image-unavailable',
            `the lab registry has no image data for repository ${img.repository}, so the hosts could not pull ${img.image.name}`,
            'use a profile whose provider image is in a repository the lab serves (see GET /v1/catalog, `available`)')]);
        }
        const c: ClusterDoc = {
          uid: deps.newId(), name: spec.name, project, spec,
          k8s: { pack: img.k8sPack, distribution: img.distribution, version: img.k8sVersion },
          image: { name: img.image.name, repository: img.repository },
          layers: clusterLayers(profile!),
          nodes: nodesOf(spec, deps.lanAddressOf), removed: [], status: 'Provisioning', health: null, createdAt: now, eventCount: 0, upgrade: null,
        };
        await tx.emit('palette.cluster.created', { name: c.name, nodeCount: c.nodes.length });
        await addNotes(tx, c, [{ severity: 'info', message: `Cluster ${c.name} created in project ${project} from profile ${spec.profile.id} ${spec.profile.version} with ${c.nodes.length} node${c.nodes.length === 1 ? '' : 's'}` }], now);
        const byId = new Map(hosts.map((h) => [h.hostId, h]));
        for (const n of c.nodes) {
          const h = byId.get(n.hostId) as HostDoc;
          await tx.rec.put('edge-host', h.hostId, { ...h, cluster: c.name, assignmentSeen: false });
          await tx.emit('palette.host.assigned', { hostId: h.hostId, cluster: c.name });
          await addNotes(tx, c, [{ severity: 'info', message: `Edge host ${h.hostId} assigned as ${n.role} node ${n.nodeName}${n.lanIp ? ` (${n.lanIp})` : ''}` }], now);
          tx.afterCommit(() => ctx.waiters.wake(h.hostId));
        }
        await saveCluster(tx, c, null, now);
        return { ok: true as const, cluster: clusterView(c, new Set()), warnings: parsed.warnings };
      });
    },

    async delete(name) {
      const now = deps.now();
      return ctx.write(async (tx) => {
        const c = await tx.rec.get('cluster', name);
        if (!c) return notFound('name', `cluster ${name}`, 'check the name in the cluster list');
        // Asked again while Deleting: the hosts are already told; nothing more to do.
        if (c.status !== 'Deleting') await startDeleting(tx, c, now, (hostId) => ctx.waiters.wake(hostId));
        return { ok: true as const };
      });
    },
  };
}
