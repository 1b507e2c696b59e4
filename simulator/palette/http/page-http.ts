// The simulated Palette's API for the lab's pages and the headless scenario runner, rooted at
// `/v1/…` (the lab server mounts it per lab after admission, so there is no auth here). JSON in
// and out; routes and shapes in ../http-api.md.
import { Hono } from 'hono';
import { checkHostId, PACKS, PROVIDER_IMAGES, LAYER_LABELS, type PaletteIssue } from '../../pure/palette';
import { error } from '../../pure/palette/issues';
import { tokenRow } from '../../pure/palette/views';
import { fail, notFound } from '../context';
import { HOST_LIMIT_MESSAGE, MAX_EDGE_HOSTS } from '../host-limit';
import type { Palette } from '../types';
import { failure, finish, json, limitBodies, param, readJson, resource } from './common';

/** Profiles with many manifests are the largest bodies; 1 MiB leaves room. */
export const MAX_PAGE_BODY_BYTES = 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{hostIds:[…]}` or `{hostId}`, with optional `project` and `tags`. */
function addHostsInput(body: unknown): { ids: string[]; project?: string; tags?: Record<string, string> } | { issues: PaletteIssue[] } {
  if (!isObject(body)) return { issues: [error('', 'invalid-field', 'the body must be a JSON object', 'send `{"hostIds":["edge-…"]}`')] };
  const raw = body.hostIds ?? (body.hostId === undefined ? undefined : [body.hostId]);
  const path = body.hostIds !== undefined ? 'hostIds' : 'hostId';
  if (!Array.isArray(raw) || raw.length === 0) return { issues: [error('hostIds', 'invalid-field', 'name at least one host ID', 'send `{"hostIds":["edge-…"]}`')] };
  const issues = raw.flatMap((id, i) => {
    const at = path === 'hostIds' ? `hostIds[${i}]` : 'hostId';
    return typeof id === 'string' ? checkHostId(id, at) : [error(at, 'host-id-invalid', 'the host ID must be text', 'paste the ID the host prints')];
  });
  if (body.project !== undefined && typeof body.project !== 'string') issues.push(error('project', 'invalid-field', 'must be a project name', 'leave it out for `Default`'));
  if (issues.length > 0) return { issues };
  return { ids: raw as string[], ...(typeof body.project === 'string' ? { project: body.project } : {}), ...(body.tags !== undefined ? { tags: body.tags as Record<string, string> } : {}) };
}

export function createPaletteHttp(palette: Palette): Hono {
  const app = new Hono();
  limitBodies(app, MAX_PAGE_BODY_BYTES);

  resource(app, '/v1/catalog', {
    GET: (c) => json(c, 200, {
      layers: LAYER_LABELS,
      packs: PACKS,
      providerImages: PROVIDER_IMAGES.map((i) => ({ ...i, available: palette.registry.blobForImage(i.name) !== undefined })),
    }),
  });

  // Lab only: the lab registry's provider images and its drill (registry-faults.ts); http-api.md says so.
  resource(app, '/v1/registry', {
    GET: async (c) => json(c, 200, { images: await palette.registry.images() }),
  });
  resource(app, '/v1/registry/:repository/damage', {
    POST: async (c) => {
      const r = await palette.registry.damage(param(c, 'repository'));
      return r.ok ? json(c, 200, { image: r.image }) : failure(c, r);
    },
  });
  resource(app, '/v1/registry/:repository/push', {
    POST: async (c) => {
      const r = await palette.registry.pushAgain(param(c, 'repository'));
      return r.ok ? json(c, 200, { image: r.image }) : failure(c, r);
    },
  });

  resource(app, '/v1/projects', {
    GET: async (c) => json(c, 200, { projects: await palette.projects.list() }),
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.projects.create(body.value as { name: string });
      return r.ok ? json(c, 201, { project: r.project }) : failure(c, r);
    },
  });

  resource(app, '/v1/tokens', {
    // The list leaves values out: Palette shows a token's value once, in the reply that creates it.
    GET: async (c) => json(c, 200, { tokens: (await palette.tokens.list()).map(tokenRow) }),
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.tokens.create(body.value as { name: string });
      return r.ok ? json(c, 201, { token: r.token, warnings: r.warnings }) : failure(c, r);
    },
  });
  // Lab only: the value again, for the lab's own helpers (Insert token, Show me), which stand in
  // for the admin handing the value they saved to IT/Ops. http-api.md says so.
  resource(app, '/v1/tokens/:name/value', {
    GET: async (c) => {
      const name = param(c, 'name');
      const t = (await palette.tokens.list()).find((x) => x.name === name);
      return t ? json(c, 200, { name, value: t.value }) : failure(c, notFound('name', `registration token named ${name}`, 'create it under Tenant Settings › Registration Tokens, or pick one the list shows'));
    },
  });
  resource(app, '/v1/tokens/:name', {
    DELETE: async (c) => {
      const r = await palette.tokens.delete(param(c, 'name'));
      return r.ok ? json(c, 200, { deleted: param(c, 'name') }) : failure(c, r);
    },
  });

  resource(app, '/v1/profiles', {
    GET: async (c) => json(c, 200, { profiles: await palette.profiles.list() }),
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.profiles.save(body.value);
      return r.ok ? json(c, 201, { profile: r.profile, warnings: r.warnings }) : failure(c, r);
    },
  });
  const profileGet = async (name: string, version?: string) => palette.profiles.get(name, version);
  resource(app, '/v1/profiles/:name', {
    GET: async (c) => {
      const p = await profileGet(param(c, 'name'));
      return p ? json(c, 200, { profile: p }) : json(c, 404, { error: 'not-found', message: `there is no profile ${param(c, 'name')}` });
    },
    DELETE: async (c) => {
      const r = await palette.profiles.delete(param(c, 'name'));
      return r.ok ? json(c, 200, { deleted: r.deleted }) : failure(c, r);
    },
  });
  resource(app, '/v1/profiles/:name/:version', {
    GET: async (c) => {
      const [name, version] = [param(c, 'name'), param(c, 'version')];
      const p = await profileGet(name, version);
      return p ? json(c, 200, { profile: p }) : json(c, 404, { error: 'not-found', message: `there is no profile ${name} version ${version}` });
    },
    DELETE: async (c) => {
      const r = await palette.profiles.delete(param(c, 'name'), param(c, 'version'));
      return r.ok ? json(c, 200, { deleted: r.deleted }) : failure(c, r);
    },
  });

  resource(app, '/v1/edgehosts', {
    GET: async (c) => json(c, 200, { hosts: await palette.hosts.list() }),
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const input = addHostsInput(body.value);
      if ('issues' in input) return failure(c, fail('invalid', input.issues));
      // All or none: IDs that would take the lab past its cap of edge hosts are refused before
      // any is added (addHostId checks each one again, for a request racing this one).
      const known = new Set((await palette.hosts.list()).map((h) => h.hostId));
      const fresh = new Set(input.ids.filter((id) => !known.has(id)));
      if (known.size + fresh.size > MAX_EDGE_HOSTS) {
        const room = Math.max(0, MAX_EDGE_HOSTS - known.size);
        const hint = `this request adds ${fresh.size} new ID${fresh.size === 1 ? '' : 's'} and there is room for ${room} more; none was added`;
        const path = isObject(body.value) && body.value.hostIds !== undefined ? 'hostIds' : 'hostId';
        return failure(c, fail('conflict', [error(path, 'host-limit', HOST_LIMIT_MESSAGE, hint)]));
      }
      const hosts = [];
      for (const id of input.ids) {
        const r = await palette.hosts.addHostId(id, input.project, input.tags);
        if (!r.ok) return failure(c, r);
        hosts.push(r.host);
      }
      return json(c, 201, { hosts });
    },
  });
  resource(app, '/v1/edgehosts/:id', {
    GET: async (c) => {
      const h = await palette.hosts.get(param(c, 'id'));
      return h ? json(c, 200, { host: h }) : json(c, 404, { error: 'not-found', message: `there is no edge host ${param(c, 'id')}` });
    },
    DELETE: async (c) => {
      const r = await palette.hosts.deleteHost(param(c, 'id'));
      return r.ok ? json(c, 200, { deleted: param(c, 'id') }) : failure(c, r);
    },
  });
  resource(app, '/v1/edgehosts/:id/tags', {
    PUT: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const tags = isObject(body.value) ? body.value.tags : undefined;
      const r = await palette.hosts.setTags(param(c, 'id'), tags as Record<string, string>);
      return r.ok ? json(c, 200, { host: r.host }) : failure(c, r);
    },
  });

  resource(app, '/v1/clusters', {
    GET: async (c) => json(c, 200, { clusters: await palette.clusters.list() }),
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.clusters.create(body.value);
      return r.ok ? json(c, 201, { cluster: r.cluster, warnings: r.warnings }) : failure(c, r);
    },
  });
  resource(app, '/v1/clusters/:name', {
    GET: async (c) => {
      const cl = await palette.clusters.get(param(c, 'name'));
      return cl ? json(c, 200, { cluster: cl }) : json(c, 404, { error: 'not-found', message: `there is no cluster ${param(c, 'name')}` });
    },
    DELETE: async (c) => {
      const r = await palette.clusters.delete(param(c, 'name'));
      return r.ok ? json(c, 200, { deleted: param(c, 'name') }) : failure(c, r);
    },
  });

  // Day-2 node pools (pure/palette/pool-edit.ts): the cluster as it is after the edit.
  const field = (v: unknown, k: string): unknown => (isObject(v) ? v[k] : undefined);
  resource(app, '/v1/clusters/:name/workers', {
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.clusters.addWorker(param(c, 'name'), field(body.value, 'hostId') as string);
      return r.ok ? json(c, 200, { cluster: r.cluster }) : failure(c, r);
    },
  });
  resource(app, '/v1/clusters/:name/workers/:hostId', {
    DELETE: async (c) => {
      const r = await palette.clusters.removeWorker(param(c, 'name'), param(c, 'hostId'));
      return r.ok ? json(c, 200, { cluster: r.cluster }) : failure(c, r);
    },
  });
  resource(app, '/v1/clusters/:name/control-plane/replace', {
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.clusters.replaceControlPlane(param(c, 'name'), field(body.value, 'hostId') as string, field(body.value, 'replacement') as string);
      return r.ok ? json(c, 200, { cluster: r.cluster }) : failure(c, r);
    },
  });
  resource(app, '/v1/clusters/:name/upgrade', {
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const r = await palette.clusters.upgrade(param(c, 'name'), body.value);
      return r.ok ? json(c, 200, { cluster: r.cluster }) : failure(c, r);
    },
  });

  finish(app);
  return app;
}
