// The edge agents' endpoint of one lab (simulator/palette-api.md): registration, heartbeats
// (long poll), provisioning and upgrade reports and the lab registry's blobs, and nothing else. Anything the
// agent acts on is HTTP 200 with a `status`, because busybox wget throws away the body of a 4xx
// reply; only a request the agent would never send gets 400.
//
// Every guest of the lab, and every local process, can reach this port, so it accepts only what a
// host's agent may do, with that host's own credentials: no people's actions (adding hosts by ID
// and the host list are the page API's, behind the lab server's checks); heartbeats, reports and
// blobs need the host key issued at registration (`Authorization: Bearer`, host-keys.ts); and a
// request a browser could have sent (an Origin or Sec-Fetch-Site header, or a Host header that is
// not one of the lab's endpoint names, as after DNS rebinding) is refused with 403 before it is read.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Palette } from '../types';
import { bearerKey } from '../host-keys';
import { damagedCopy } from './damaged-copy';
import { finish, json, limitBodies, param, readJson, resource } from './common';

/** Agent bodies are a few hundred bytes; anything this large is not one. */
export const MAX_AGENT_BODY_BYTES = 64 * 1024;

/** Agent replies: a BadRequest is 400, everything else 200. */
const reply = (c: Context, r: object): Response => json(c, 'error' in r ? 400 : 200, r);

export interface AgentHttpOptions {
  /** The names the lab's guests reach this endpoint by (their `paletteEndpoint`); the only Host headers accepted. */
  endpointNames: readonly string[];
}

/** `name` or `name:port`, lowercased; undefined when it is neither. */
function hostName(header: string | undefined): string | undefined {
  const m = /^([A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(header ?? '');
  return m?.[1]?.toLowerCase();
}

/** Why this request is not an edge agent's, or undefined when it may be one. */
function notAnAgent(c: Context, names: ReadonlySet<string>): string | undefined {
  if (c.req.header('origin') !== undefined || c.req.header('sec-fetch-site') !== undefined) {
    return 'it comes from a web page (it has an Origin or Sec-Fetch-Site header); people use the lab\'s pages, whose Palette API is under /labs/<lab id>/palette/v1/';
  }
  const host = c.req.header('host');
  const name = hostName(host);
  if (name === undefined || !names.has(name)) {
    return `its Host header is ${host === undefined ? 'missing' : `'${host.slice(0, 100)}'`}, not one of the lab's endpoint names (${[...names].join(', ')}), which the lab's edge hosts use`;
  }
  return undefined;
}

const hostKeyOf = (c: Context): string => bearerKey(c.req.header('authorization'));

export function createAgentHttp(palette: Palette, o: AgentHttpOptions): Hono {
  const names = new Set(o.endpointNames.map((n) => n.toLowerCase()));
  const app = new Hono();
  // First: a request that is not an agent's is not read at all.
  app.use(async (c, next) => {
    const why = notAnAgent(c, names);
    if (why !== undefined) return json(c, 403, { error: 'forbidden', message: `[palette] the agent endpoint of lab ${palette.labId} answers only the lab's edge agents; this request was refused because ${why}.` });
    await next();
  });
  limitBodies(app, MAX_AGENT_BODY_BYTES);

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
      return reply(c, await palette.hosts.agentHeartbeat(param(c, 'id'), body.value, { signal: c.req.raw.signal, hostKey: hostKeyOf(c) }));
    },
  });
  resource(app, '/v1/edge/hosts/:id/provisioning', {
    POST: async (c) => {
      const body = await readJson(c);
      return body.ok ? reply(c, await palette.hosts.agentProvisioning(param(c, 'id'), body.value, { hostKey: hostKeyOf(c) })) : body.response;
    },
  });

  resource(app, '/v1/edge/hosts/:id/upgrade', {
    POST: async (c) => {
      const body = await readJson(c);
      return body.ok ? reply(c, await palette.hosts.agentUpgrade(param(c, 'id'), body.value, { hostKey: hostKeyOf(c) })) : body.response;
    },
  });

  resource(app, '/v2/:repository{.+}/blobs/:digest', {
    GET: async (c) => {
      // A blob is not something the agent acts on but a file it saves, so this refusal is a 403.
      if ((await palette.hosts.keyHolder(hostKeyOf(c))) === undefined) {
        return json(c, 403, { error: 'forbidden', code: 'host-credential', message: '[palette] the lab registry serves blobs only to registered edge hosts: send the host key from the registration answer as Authorization: Bearer <key>' });
      }
      const [repository, digest] = [param(c, 'repository'), param(c, 'digest')];
      const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
      if (!hex) return json(c, 400, { error: 'bad-request', field: 'digest', message: `digest: must be sha256:<64 hex digits>, got ${digest}` });
      const blob = palette.registry.blob(repository, hex);
      if (!blob) return json(c, 404, { error: 'not-found', message: `the lab registry has no blob ${digest} in ${repository}` });
      const size = (await stat(blob.path).catch(() => undefined))?.size;
      if (size === undefined) return json(c, 404, { error: 'not-found', message: `the lab registry lost the file of ${repository}@${digest}; rebuild the guest images` });
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(size), 'docker-content-digest': digest };
      if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers });
      // The registry drill: the same size and digest header, bytes that do not match the digest.
      const file = createReadStream(blob.path);
      let bytes: Readable = file;
      if (await palette.registry.isDamaged(repository)) {
        const damaged = damagedCopy(size);
        file.on('error', (e) => damaged.destroy(e));
        bytes = file.pipe(damaged);
      }
      const stream = Readable.toWeb(bytes) as ReadableStream<Uint8Array>;
      return new Response(stream, { status: 200, headers });
    },
  });

  finish(app);
  return app;
}
