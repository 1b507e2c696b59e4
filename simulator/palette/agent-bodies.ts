// The edge agent's request bodies (simulator/palette-api.md), checked with zod. A body the agent
// would never send (not an object, a missing or mistyped field) becomes a BadRequest naming the
// field; the HTTP layer sends it as 400. Everything else is an answer the agent acts on.
import { isIP } from 'node:net';
import { z } from 'zod';
import { findForbiddenHostIdChar, HOST_ID_MAX_LENGTH } from '../pure/host-id';
import { PROVISIONING_STEPS } from '../pure/machines/provisioning';
import type { BadRequest } from './types';

/** "is required" for a missing key, else "must be <what>". */
const expecting = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? 'is required' : `must be ${what}`),
});
const text = () => z.string(expecting('a string'));
const count = () => z.number(expecting('a number')).int('must be a whole number').nonnegative('must not be negative');

/** The host ID problem, or undefined. */
export function hostIdProblem(v: string): string | undefined {
  if (v === '') return 'must not be empty';
  if (v.length > HOST_ID_MAX_LENGTH) return `must be at most ${HOST_ID_MAX_LENGTH} characters long`;
  const bad = findForbiddenHostIdChar(v);
  return bad === undefined ? undefined : `must not contain ${/\s/.test(bad) ? 'whitespace' : `the character '${bad}'`}`;
}

const hostIdField = text().superRefine((v, ctx) => {
  const problem = hostIdProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const ipField = text().refine((v) => v === '' || isIP(v) !== 0, 'must be an IPv4 or IPv6 address, or empty');
const macField = text()
  .refine((v) => v === '' || /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v), 'must be a MAC address like 52:54:00:12:34:56, or empty')
  .transform((v) => v.toLowerCase());

/** `k=v,k2=v2` → record, or the first problem. Keys non-empty and unique; values may hold `=`. */
export function parseTagList(raw: string): { tags: Record<string, string> } | { problem: string } {
  const tags: Record<string, string> = {};
  if (raw === '') return { tags };
  for (const [i, item] of raw.split(',').entries()) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { problem: `item ${i + 1} (${item || 'empty'}) is not key=value` };
    const key = item.slice(0, eq);
    if (Object.hasOwn(tags, key)) return { problem: `the key ${key} appears twice` };
    tags[key] = item.slice(eq + 1);
  }
  return { tags };
}

const tagsField = text().transform((v, ctx) => {
  const r = parseTagList(v);
  if ('tags' in r) return r.tags;
  ctx.addIssue({ code: 'custom', message: `must be a k=v,k2=v2 list: ${r.problem}` });
  return z.NEVER;
});

export const registerBody = z.object({
  hostId: hostIdField,
  token: text(),
  autoRegister: z.boolean(expecting('true or false')),
  mac: macField,
  projectName: text().default(''),
  projectUid: text().default(''),
  hostName: text().default(''),
  tags: tagsField.default({}),
  ip: ipField.default(''),
  arch: text().default(''),
  cpus: count().default(0),
  memoryMb: count().default(0),
  os: text().default(''),
  /** Optional identity beyond the MAC (the lab agent does not send them yet). */
  deviceUuid: text().default(''),
  installId: text().default(''),
}, expecting('a JSON object'));

/** The longest long poll a heartbeat may ask for, in seconds. */
export const MAX_WAIT_S = 30;

export const heartbeatBody = z.object({
  hostId: hostIdField,
  ip: ipField.default(''),
  wait: count().max(MAX_WAIT_S, `must be at most ${MAX_WAIT_S}`).default(0),
  /** The cluster this host reset out of (its boot after a reset says so until Palette answers). */
  reset: text().default(''),
}, expecting('a JSON object'));

export const provisioningBody = z.discriminatedUnion('step', [
  z.object({ hostId: hostIdField, cluster: text(), step: z.enum(PROVISIONING_STEPS) }),
  z.object({ hostId: hostIdField, cluster: text(), step: z.literal('failed'), reason: text().default('') }),
], { error: (iss) => (iss.input === undefined || typeof iss.input !== 'object' ? 'the body must be a JSON object' : `must be ${[...PROVISIONING_STEPS, 'failed'].join(', ')}`) });

/** A host's report on its turn in a rolling upgrade (agent-upgrade.ts). */
export const upgradeBody = z.object({
  hostId: hostIdField,
  cluster: text(),
  version: text(),
  result: z.enum(['started', 'upgraded', 'failed'], { error: (iss) => (iss.input === undefined ? 'is required' : 'must be started, upgraded or failed') }),
  /** The A/B slot the host wrote to (started), runs from (upgraded) or fell back to (failed). */
  slot: text().default(''),
  reason: text().default(''),
}, expecting('a JSON object'));

export type RegisterBody = z.infer<typeof registerBody>;
export type HeartbeatBody = z.infer<typeof heartbeatBody>;
export type ProvisioningBody = z.infer<typeof provisioningBody>;

function badRequest(err: z.ZodError): BadRequest {
  const issue = err.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const message = issue?.message ?? 'is invalid';
  if (!field) return { error: 'bad-request', message: message.startsWith('the body') ? message : 'the body must be a JSON object' };
  return { error: 'bad-request', field, message: `${field}: ${message}` };
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; reply: BadRequest } {
  const r = schema.safeParse(body);
  return r.success ? { ok: true, value: r.data } : { ok: false, reply: badRequest(r.error) };
}

/** Checks the host ID of the path and that the body names the same host. */
export function checkPathHost(pathHostId: string, bodyHostId?: string): BadRequest | undefined {
  const problem = hostIdProblem(pathHostId);
  if (problem) return { error: 'bad-request', field: 'path', message: `path: the host ID ${problem}` };
  if (bodyHostId !== undefined && bodyHostId !== pathHostId) {
    return { error: 'bad-request', field: 'hostId', message: `hostId: ${bodyHostId} does not match the host ID in the path (${pathHostId})` };
  }
  return undefined;
}
