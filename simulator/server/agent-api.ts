// The edge agent's side of the Palette endpoint, as pure request handling: a parsed JSON body
// in, an HTTP status and a JSON body out. No I/O; the registry and the clock are injected.
// The protocol is described for humans in simulator/palette-api.md.
//
// Outcomes the agent must see are HTTP 200 with a `status`, because busybox wget hides the body
// of a 4xx answer. Only a request the agent could never send (malformed JSON, a missing or
// mistyped field) gets 400, with the field named. Refusal messages are printed on the host's
// console by a simple shell parser, so they never contain `"` or `\` (see `plain`).
import { isIP } from 'node:net';
import { z } from 'zod';
import { findForbiddenHostIdChar, HOST_ID_MAX_LENGTH } from '../pure/host-id';
import type { HostRecord, HostRegistry } from './host-registry';

/** A registration token the lab accepts. `project` is its default project. */
export interface RegistrationToken {
  token: string;
  project?: string;
}

/** Until tokens can be created in the simulated Palette: one token, into project Default. */
export const DEFAULT_TOKENS: readonly RegistrationToken[] = [{ token: 'lab-token-1', project: 'Default' }];

export type RefusalCode = 'token-unknown' | 'project-missing' | 'duplicate-host-id' | 'host-unknown';

export interface Refusal {
  status: 'refused';
  code: RefusalCode;
  message: string;
}

export type RegisterReply = { status: 'registered'; project: string } | { status: 'pending' } | Refusal;
export type HeartbeatReply = { status: 'ok' } | { status: 'pending' } | Refusal;

export interface ErrorReply {
  error: 'bad-request' | 'not-found';
  /** The offending field, as a dotted path, when one can be named. */
  field?: string;
  message: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export interface AgentApiOptions {
  registry: HostRegistry;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Defaults to DEFAULT_TOKENS. */
  tokens?: readonly RegistrationToken[];
}

export interface AgentApi {
  /** POST /v1/edge/hosts/register */
  register(body: unknown): ApiResponse<RegisterReply | ErrorReply>;
  /** POST /v1/edge/hosts/<pathHostId>/heartbeat */
  heartbeat(pathHostId: string, body: unknown): ApiResponse<HeartbeatReply | ErrorReply>;
  /** POST /v1/edge/hosts/<hostId>/approve: manual registration by ID (admin side, plain HTTP codes). */
  approve(hostId: string): ApiResponse<{ status: 'registered'; host: HostRecord } | ErrorReply>;
  /** GET /v1/edge/hosts */
  list(): ApiResponse<{ hosts: HostRecord[] }>;
}

// ---------------------------------------------------------------------------------------------
// Body schemas

/** zod error text: "is required" for a missing key, else "must be <what>". */
const expected = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : `must be ${what}`),
});

const text = () => z.string(expected('a string'));
const count = () => z.number(expected('a number')).int('must be a whole number').nonnegative('must not be negative');

const hostIdField = text().superRefine((v, ctx) => {
  if (v === '') return void ctx.addIssue({ code: 'custom', message: 'must not be empty' });
  if (v.length > HOST_ID_MAX_LENGTH) {
    return void ctx.addIssue({ code: 'custom', message: `must be at most ${HOST_ID_MAX_LENGTH} characters long` });
  }
  const bad = findForbiddenHostIdChar(v);
  if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `must not contain ${/\s/.test(bad) ? 'whitespace' : `the character '${bad}'`}` });
});

const ipField = text().refine((v) => v === '' || isIP(v) !== 0, 'must be an IPv4 or IPv6 address, or empty');

const macField = text()
  .refine((v) => v === '' || /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v), 'must be a MAC address like 52:54:00:12:34:56, or empty')
  .transform((v) => v.toLowerCase());

/** `k=v,k2=v2` → record; the first problem, or undefined. Values may contain `=`. */
function parseTags(raw: string): { tags: Record<string, string> } | { problem: string } {
  const tags: Record<string, string> = {};
  if (raw === '') return { tags };
  const items = raw.split(',');
  for (const [i, item] of items.entries()) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { problem: `item ${i + 1} (${item || 'empty'}) is not key=value` };
    const key = item.slice(0, eq);
    if (Object.hasOwn(tags, key)) return { problem: `the key ${key} appears twice` };
    tags[key] = item.slice(eq + 1);
  }
  return { tags };
}

const tagsField = text()
  .superRefine((v, ctx) => {
    const r = parseTags(v);
    if ('problem' in r) ctx.addIssue({ code: 'custom', message: `must be a k=v,k2=v2 list: ${r.problem}` });
  })
  .transform((v) => {
    const r = parseTags(v);
    return 'tags' in r ? r.tags : {};
  });

/** What the agent sends. Fields it always sends but the lab does not need to decide are optional. */
const registerBody = z.object(
  {
    hostId: hostIdField,
    token: text(),
    autoRegister: z.boolean(expected('true or false')),
    mac: macField,
    projectName: text().default(''),
    hostName: text().default(''),
    tags: tagsField.default({}),
    ip: ipField.default(''),
    arch: text().default(''),
    cpus: count().default(0),
    memoryMb: count().default(0),
    os: text().default(''),
  },
  expected('a JSON object'),
);

const heartbeatBody = z.object({ hostId: hostIdField, ip: ipField.default('') }, expected('a JSON object'));

export type RegisterBody = z.infer<typeof registerBody>;

function badRequest(error: z.ZodError): ApiResponse<ErrorReply> {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = issue?.message ?? 'is invalid';
  return { status: 400, body: { error: 'bad-request', ...(field ? { field } : {}), message: field ? `${field}: ${message}` : `the body ${message}` } };
}

/**
 * Parses a request body. Invalid JSON gives the 400 answer to send; an empty body parses as
 * undefined (which every schema rejects as "must be a JSON object").
 */
export function parseJsonBody(raw: string): { ok: true; value: unknown } | { ok: false; response: ApiResponse<ErrorReply> } {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, response: { status: 400, body: { error: 'bad-request', message: `the body is not valid JSON (${why})` } } };
  }
}

/** Makes text safe for the agent's console parser: no `"`, no `\`, no control characters. */
export function plain(s: string): string {
  return s.replace(/"/g, "'").replace(/\\/g, '/').replace(/[\u0000-\u001f\u007f]/g, ' ');
}

const refuse = (code: RefusalCode, message: string): ApiResponse<Refusal> => ({
  status: 200,
  body: { status: 'refused', code, message: plain(message) },
});

function checkTokens(tokens: readonly RegistrationToken[]): Map<string, RegistrationToken> {
  if (tokens.length === 0) throw new Error('[lab-server] no registration tokens configured; every host would be refused');
  const byValue = new Map<string, RegistrationToken>();
  for (const t of tokens) {
    if (typeof t.token !== 'string' || t.token === '' || /\s/.test(t.token)) {
      throw new Error(`[lab-server] invalid registration token ${JSON.stringify(t.token)}: it must be non-empty, without whitespace`);
    }
    if (t.project !== undefined && (typeof t.project !== 'string' || t.project.trim() === '')) {
      throw new Error(`[lab-server] registration token ${t.token}: project must be a non-empty name or left out`);
    }
    if (byValue.has(t.token)) throw new Error(`[lab-server] registration token ${t.token} is configured twice`);
    byValue.set(t.token, { ...t });
  }
  return byValue;
}

export function createAgentApi(opts: AgentApiOptions): AgentApi {
  const { registry, now } = opts;
  const tokens = checkTokens(opts.tokens ?? DEFAULT_TOKENS);

  return {
    register(body) {
      const parsed = registerBody.safeParse(body);
      if (!parsed.success) return badRequest(parsed.error);
      const req = parsed.data;

      const token = tokens.get(req.token);
      if (!token) {
        return refuse(
          'token-unknown',
          req.token === ''
            ? 'The host sent no registration token. Set stylus.site.edgeHostToken in the user data to a token from Palette (Tenant Settings > Registration Tokens).'
            : 'Palette does not know this registration token. Check stylus.site.edgeHostToken in the user data: it must be the value of a token from Tenant Settings > Registration Tokens.',
        );
      }
      const project = req.projectName.trim() !== '' ? req.projectName : token.project;
      if (project === undefined) {
        return refuse(
          'project-missing',
          'Neither the registration token nor the user data names a project. Set stylus.site.projectName, or use a token with a default project.',
        );
      }

      const result = registry.register({
        hostId: req.hostId,
        project,
        autoRegister: req.autoRegister,
        hostName: req.hostName,
        tags: req.tags,
        ip: req.ip,
        mac: req.mac,
        arch: req.arch,
        cpus: req.cpus,
        memoryMb: req.memoryMb,
        os: req.os,
        at: now(),
      });
      switch (result.outcome) {
        case 'registered':
          return { status: 200, body: { status: 'registered', project: result.host.project } };
        case 'pending':
          return { status: 200, body: { status: 'pending' } };
        case 'duplicate': {
          const other = result.existing.mac ? `another machine (MAC ${result.existing.mac})` : 'another machine';
          return refuse(
            'duplicate-host-id',
            `Host ID ${req.hostId} is already used by ${other}. Delete the old host record in Palette (Clusters > Edge Hosts) first, then this host can register.`,
          );
        }
      }
    },

    heartbeat(pathHostId, body) {
      const id = hostIdField.safeParse(pathHostId);
      if (!id.success) {
        return { status: 400, body: { error: 'bad-request', field: 'path', message: `path: the host ID ${id.error.issues[0]?.message ?? 'is invalid'}` } };
      }
      const parsed = heartbeatBody.safeParse(body);
      if (!parsed.success) return badRequest(parsed.error);
      if (parsed.data.hostId !== pathHostId) {
        return { status: 400, body: { error: 'bad-request', field: 'hostId', message: `hostId: ${parsed.data.hostId} does not match the host ID in the path (${pathHostId})` } };
      }
      const result = registry.heartbeat(pathHostId, parsed.data.ip, now());
      switch (result.outcome) {
        case 'ok':
          return { status: 200, body: { status: 'ok' } };
        case 'pending':
          return { status: 200, body: { status: 'pending' } };
        case 'unknown':
          return refuse('host-unknown', `Palette has no record of host ${pathHostId}; it has to register first.`);
      }
    },

    approve(hostId) {
      const id = hostIdField.safeParse(hostId);
      if (!id.success) {
        return { status: 400, body: { error: 'bad-request', field: 'path', message: `path: the host ID ${id.error.issues[0]?.message ?? 'is invalid'}` } };
      }
      const result = registry.approve(hostId, now());
      if (result.outcome === 'unknown') {
        return {
          status: 404,
          body: { error: 'not-found', message: `no host with ID ${hostId} has asked to register yet; power the host on, then add it by ID` },
        };
      }
      return { status: 200, body: { status: 'registered', host: result.host } };
    },

    list() {
      return { status: 200, body: { hosts: registry.list() } };
    },
  };
}
