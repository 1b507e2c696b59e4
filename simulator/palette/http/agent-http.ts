// The edge agents' endpoint of one lab (simulator/palette-api.md): registration, heartbeats
// (long poll), provisioning reports, manual approval for testing by hand, and the lab registry's
// blobs. Anything the agent acts on is HTTP 200 with a `status`, because busybox wget throws away
// the body of a 4xx reply; only a request the agent would never send gets 400.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Palette } from '../types';
import { finish, json, limitBodies, param, readJson, resource } from './common';

/** Agent bodies are a few hundred bytes; anything this large is not one. */
export const MAX_AGENT_BODY_BYTES = 64 * 1024;

/** Agent replies: a BadRequest is 400, everything else 200. */
const reply = (c: Context, r: object): Response => json(c, 'error' in r ? 400 : 200, r);

export function createAgentHttp(palette: Palette): Hono {
  const app = new Hono();
  limitBodies(app, MAX_AGENT_BODY_BYTES);

  resource(app, '/healthz', { GET: (c) => json(c, 200, { ok: true }) });
  resource(app, '/v1/edge/hosts', { GET: async (c) => json(c, 200, { hosts: await palette.hosts.list() }) });

  resource(app, '/v1/edge/hosts/register', {
    POST: async (c) => {
      const body = await readJson(c);
      return body.ok ? reply(c, await palette.hosts.agentRegister(body.value)) : body.response;
    },
  });
  resource(app, '/v1/edge/hosts/:id/heartbeat', {
    POST: async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      return reply(c, await palette.hosts.agentHeartbeat(param(c, 'id'), body.value, { signal: c.req.raw.signal }));
    },
  });
  resource(app, '/v1/edge/hosts/:id/provisioning', {
    POST: async (c) => {
      const body = await readJson(c);
      return body.ok ? reply(c, await palette.hosts.agentProvisioning(param(c, 'id'), body.value)) : body.response;
    },
  });
  resource(app, '/v1/edge/hosts/:id/approve', {
    POST: async (c) => {
      const id = param(c, 'id');
      const r = await palette.hosts.addHostId(id);
      if (!r.ok) {
        const problem = r.issues.find((i) => i.path === 'hostId');
        return problem
          ? json(c, 400, { error: 'bad-request', field: 'path', message: `path: ${problem.message}` })
          : json(c, r.reason === 'not-found' ? 404 : 409, { error: r.reason, message: r.message });
      }
      return json(c, 200, { status: r.host.registration === 'registered' ? 'registered' : 'added', host: r.host });
    },
  });

  resource(app, '/v2/:repository{.+}/blobs/:digest', {
    GET: async (c) => {
      const [repository, digest] = [param(c, 'repository'), param(c, 'digest')];
      const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
      if (!hex) return json(c, 400, { error: 'bad-request', field: 'digest', message: `digest: must be sha256:<64 hex digits>, got ${digest}` });
      const blob = palette.registry.blob(repository, hex);
      if (!blob) return json(c, 404, { error: 'not-found', message: `the lab registry has no blob ${digest} in ${repository}` });
      const size = (await stat(blob.path).catch(() => undefined))?.size;
      if (size === undefined) return json(c, 404, { error: 'not-found', message: `the lab registry lost the file of ${repository}@${digest}; rebuild the guest images` });
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(size), 'docker-content-digest': digest };
      if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
      const stream = Readable.toWeb(createReadStream(blob.path)) as ReadableStream<Uint8Array>;
      return new Response(stream, { status: 200, headers });
    },
  });

  finish(app);
  return app;
}
