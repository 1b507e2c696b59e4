// Every HTTP route of the lab server, defined once: its method, its path, the body it takes and the
// answer it gives, as zod schemas. The server checks request bodies with `body` (http/route-body.ts)
// and a contract test holds every answer to `answer`; the page parses each answer with the same
// schema (pure/protocol/http-answer.ts `readAnswer`). Paths are relative to the lab server's base
// URL (`/api` in room mode); `:name` is a parameter. Palette routes sit below `/labs/:labId/palette`.
import { z } from 'zod';
import { ACTING_ROLES, LAB_ROLES } from '../roles/vocabulary';
import { catalogSchema, clusterDetailSchema, clusterViewSchema, edgeHostRowSchema, profileViewSchema, projectViewSchema, registryImageSchema, tokenRowSchema, tokenViewSchema } from '../palette/views';
import { commandTargetSchema } from './client';
import { labIdSchema, labViewSchema } from './common';
import { classInfoSchema, drillResultSchema, installerSchema, jumpPhaseSchema, jumpResultSchema } from './http-answers';
import { fieldIssueSchema } from './http-answer';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An answer that is text (a host's console), not JSON. */
export const TEXT_ANSWER = 'text' as const;

export interface RouteContract {
  method: HttpMethod;
  path: string;
  /** The request body; absent: the route takes none. */
  body?: z.ZodType;
  /** The 2xx answer. */
  answer: z.ZodType | typeof TEXT_ANSWER;
  /** The status of a successful answer. */
  status: 200 | 201;
}

const route = <const R extends RouteContract>(r: R): R => r;

/** Where a lab stands in the machine's places: running, waiting (1 = next), set aside, or not open. */
export const labPlaceSchema = z.discriminatedUnion('state', [
  z.object({ state: z.enum(['active', 'suspended', 'closed']), position: z.null() }),
  z.object({ state: z.literal('queued'), position: z.number().int().positive() }),
]);
export type LabPlace = z.infer<typeof labPlaceSchema>;

/**
 * A lab token for one session: `Authorization: Bearer <token>` on the lab's routes, `?token=` on its
 * socket. `sessionCookie`: the session's secret is now held in an HttpOnly cookie (a room over
 * HTTPS, server/auth/session-cookie.ts); the page forgets any copy it had.
 */
export const tokenGrantSchema = z.object({ labId: labIdSchema, role: z.enum(LAB_ROLES), token: z.string().min(1), expiresAt: z.number(), sessionCookie: z.boolean().optional() });
export type TokenGrant = z.infer<typeof tokenGrantSchema>;

/**
 * A session of a lab, just opened: the token, and the secret that renews it (kept by the page,
 * never in a URL), or null when the server put it in an HttpOnly cookie instead (a room over HTTPS).
 */
export const openedLabSchema = tokenGrantSchema.extend({ sessionSecret: z.string().min(1).nullable(), place: labPlaceSchema.optional() });
export type OpenedLab = z.infer<typeof openedLabSchema>;

/** One invite code per acting role of a shared lab. */
const invitesSchema = z.record(z.enum(ACTING_ROLES), z.string());

export const openLabBodySchema = z.object({
  scenario: z.string({ error: 'name the scenario to open, e.g. "single-node" (GET /scenarios lists them)' }),
  /** A lab with one person per role; its opener is the trainer. */
  shared: z.boolean({ error: 'true for a lab with one person per role (the opener is its trainer), or leave it out' }).optional(),
  role: z.enum(LAB_ROLES, { error: `use one of ${LAB_ROLES.filter((r) => r !== 'trainer').join(', ')} (a trainer opens a lab with shared: true)` }).optional(),
});

export const joinLabBodySchema = z.object({ invite: z.string({ error: 'the code from the invite link' }).min(1, { error: 'the code from the invite link' }) });
/** No secret: the session cookie's (a room over HTTPS). */
export const renewSessionBodySchema = z.object({ secret: z.string().min(1).optional() });
/** What a command body is, in words: the refusal of any body this schema does not accept. */
export const COMMAND_BODY_SHAPE = 'a command is {target: {kind:"host", hostId} | {kind:"lab"}, name, args?}';
export const commandBodySchema = z.object({
  target: commandTargetSchema,
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).optional(),
});
export const buildInstallerBodySchema = z.object({ userData: z.string({ error: 'the user-data YAML, as text' }) });

export const scenarioChoiceSchema = z.object({ name: z.string(), title: z.string(), summary: z.string().optional(), hosts: z.array(z.string()) });
export type ScenarioChoice = z.infer<typeof scenarioChoiceSchema>;

export const openedClassSchema = z.object({ classId: z.string(), name: z.string(), scenario: z.string(), trainerSecret: z.string(), joinCode: z.string(), learners: z.number() });
export type OpenedClass = z.infer<typeof openedClassSchema>;

export const warmPoolSchema = z.object({ target: z.number(), ready: z.number() });
export type WarmPool = z.infer<typeof warmPoolSchema>;

export const openedWalkthroughSchema = z.object({ labId: labIdSchema, sessionSecret: z.string(), invites: invitesSchema, invitesExpireAt: z.number(), place: labPlaceSchema });
export type OpenedWalkthrough = z.infer<typeof openedWalkthroughSchema>;

const inviteStateSchema = z.union([
  z.object({ state: z.enum(['open', 'expired']), expiresAt: z.number() }),
  z.object({ state: z.literal('used'), expiresAt: z.number(), usedAt: z.number(), memberId: z.string().nullable() }),
]);
export const membersSchema = z.object({
  members: z.array(z.object({ memberId: z.string(), role: z.enum(ACTING_ROLES), joinedAt: z.number(), lastUsedAt: z.number() })),
  invites: z.partialRecord(z.enum(ACTING_ROLES), inviteStateSchema),
});

/** A lab log entry as GET …/events lists it: its position, time and type, plus the type's own fields. */
export const loggedEventSchema = z.looseObject({ seq: z.number().int().positive(), at: z.number(), type: z.string().min(1) });

const jumpBody = z.object({ phase: z.unknown() });
const lanDeviceSchema = z.object({ ip: z.string(), mac: z.string(), addedAt: z.number() });
const timeServerSchema = z.object({ ip: z.string(), mac: z.string(), on: z.boolean() });
const deleted = z.object({ deleted: z.string() });
const withWarnings = { warnings: z.array(fieldIssueSchema).optional() };
/** The Palette checks its own bodies and answers 422 with per-field issues; the contract only says "an object". */
const paletteBody = z.looseObject({});

/** The lab server's own routes. */
export const LAB_ROUTES = {
  health: route({ method: 'GET', path: '/healthz', answer: z.object({ ok: z.literal(true) }), status: 200 }),
  scenarios: route({ method: 'GET', path: '/scenarios', answer: z.object({ scenarios: z.array(scenarioChoiceSchema) }), status: 200 }),
  openLab: route({
    method: 'POST', path: '/labs', body: openLabBodySchema, status: 201,
    answer: openedLabSchema.extend({ place: labPlaceSchema, invites: invitesSchema.optional(), invitesExpireAt: z.number().optional() }),
  }),
  joinLab: route({ method: 'POST', path: '/labs/:labId/join', body: joinLabBodySchema, answer: openedLabSchema, status: 201 }),
  renewSession: route({ method: 'POST', path: '/labs/:labId/session', body: renewSessionBodySchema, answer: tokenGrantSchema, status: 200 }),
  lab: route({
    method: 'GET', path: '/labs/:labId', status: 200,
    answer: z.object({ labId: labIdSchema, scenario: z.string(), role: z.string(), hosts: z.array(z.string()), installers: z.array(installerSchema) }),
  }),
  view: route({ method: 'GET', path: '/labs/:labId/view', answer: z.object({ seq: z.number().int().nonnegative(), view: labViewSchema }), status: 200 }),
  place: route({ method: 'GET', path: '/labs/:labId/place', answer: labPlaceSchema, status: 200 }),
  jump: route({ method: 'POST', path: '/labs/:labId/jump', body: jumpBody, answer: jumpResultSchema, status: 200 }),
  events: route({ method: 'GET', path: '/labs/:labId/events', answer: z.object({ events: z.array(loggedEventSchema) }), status: 200 }),
  command: route({
    method: 'POST', path: '/labs/:labId/commands', status: 200,
    body: commandBodySchema,
    answer: z.object({ ok: z.literal(true) }),
  }),
  buildInstaller: route({ method: 'POST', path: '/labs/:labId/installers', body: buildInstallerBodySchema, answer: installerSchema.extend(withWarnings), status: 201 }),
  installers: route({ method: 'GET', path: '/labs/:labId/installers', answer: z.object({ installers: z.array(installerSchema) }), status: 200 }),
  /** A site user-data stick (CIDATA): the same body and answer as an installer; INSERT_USB takes its id. */
  buildSiteStick: route({ method: 'POST', path: '/labs/:labId/site-sticks', body: buildInstallerBodySchema, answer: installerSchema.extend(withWarnings), status: 201 }),
  siteSticks: route({ method: 'GET', path: '/labs/:labId/site-sticks', answer: z.object({ siteSticks: z.array(installerSchema) }), status: 200 }),
  console: route({ method: 'GET', path: '/labs/:labId/hosts/:vm/console', answer: TEXT_ANSWER, status: 200 }),
  /** The other machines on the lab LAN (the VIP clash drill, simulator/labs/lab-lan.ts). */
  lan: route({ method: 'GET', path: '/labs/:labId/lan', answer: z.object({ cidr: z.string(), devices: z.array(lanDeviceSchema), timeServer: timeServerSchema }), status: 200 }),
  /** The site's time server on the lab LAN switched on or off (the clock drill). */
  setTimeServer: route({ method: 'POST', path: '/labs/:labId/lan/time-server', body: z.object({ on: z.boolean({ error: 'on must be true or false' }) }), answer: z.object({ timeServer: timeServerSchema }), status: 200 }),
  addLanDevice: route({ method: 'POST', path: '/labs/:labId/lan/devices', body: z.object({ ip: z.unknown() }), answer: z.object({ device: lanDeviceSchema }), status: 201 }),
  removeLanDevice: route({ method: 'DELETE', path: '/labs/:labId/lan/devices/:ip', answer: z.object({ removed: z.string() }), status: 200 }),
  members: route({ method: 'GET', path: '/labs/:labId/members', answer: membersSchema, status: 200 }),
  invite: route({ method: 'POST', path: '/labs/:labId/invites/:role', answer: z.object({ role: z.enum(ACTING_ROLES), invite: z.string(), expiresAt: z.number() }), status: 201 }),
  removeMember: route({ method: 'DELETE', path: '/labs/:labId/members/:memberId', answer: z.object({ removed: z.string(), socketsClosed: z.number() }), status: 200 }),

  openClass: route({
    method: 'POST', path: '/classes', status: 201, answer: openedClassSchema,
    body: z.object({ scenario: z.unknown(), name: z.unknown().optional(), warm: z.unknown().optional(), learners: z.unknown().optional(), startPhase: jumpPhaseSchema.optional() }),
  }),
  closeClass: route({ method: 'DELETE', path: '/classes/:classId', answer: z.object({ closed: z.literal(true), warmDeleted: z.number() }), status: 200 }),
  joinClass: route({
    method: 'POST', path: '/classes/:classId/join', body: z.object({ code: z.unknown(), learner: z.unknown().optional() }), status: 201,
    answer: openedLabSchema.extend({ classId: z.string(), place: labPlaceSchema, warm: z.boolean() }),
  }),
  classDashboard: route({ method: 'GET', path: '/classes/:classId', answer: classInfoSchema, status: 200 }),
  setWarm: route({ method: 'PUT', path: '/classes/:classId/warm', body: z.object({ count: z.unknown() }), answer: warmPoolSchema, status: 200 }),
  openWalkthrough: route({ method: 'POST', path: '/classes/:classId/walkthroughs', body: z.object({}), answer: openedWalkthroughSchema, status: 201 }),
  peekConsole: route({ method: 'GET', path: '/classes/:classId/labs/:labId/hosts/:vm/console', answer: TEXT_ANSWER, status: 200 }),
  jumpClassLab: route({ method: 'POST', path: '/classes/:classId/labs/:labId/jump', body: jumpBody, answer: jumpResultSchema, status: 200 }),
  /** A drill on a learner's host (pure/drills/trainer-drills.ts), sent as that host's command. */
  drillClassHost: route({ method: 'POST', path: '/classes/:classId/labs/:labId/hosts/:vm/drill', body: z.object({ drill: z.unknown() }), answer: drillResultSchema, status: 200 }),
} as const;

/** The lab's simulated Palette page API (simulator/palette/http-api.md), below `/labs/:labId/palette`. */
export const PALETTE_ROUTES = {
  catalog: route({ method: 'GET', path: '/v1/catalog', answer: catalogSchema, status: 200 }),
  /** Lab only: the provider images in the lab registry, and the registry drill (palette/registry-faults.ts). */
  registry: route({ method: 'GET', path: '/v1/registry', answer: z.object({ images: z.array(registryImageSchema) }), status: 200 }),
  damageRegistryImage: route({ method: 'POST', path: '/v1/registry/:repository/damage', body: z.object({}), answer: z.object({ image: registryImageSchema }), status: 200 }),
  pushRegistryImage: route({ method: 'POST', path: '/v1/registry/:repository/push', body: z.object({}), answer: z.object({ image: registryImageSchema }), status: 200 }),
  projects: route({ method: 'GET', path: '/v1/projects', answer: z.object({ projects: z.array(projectViewSchema) }), status: 200 }),
  createProject: route({ method: 'POST', path: '/v1/projects', body: paletteBody, answer: z.object({ project: projectViewSchema }), status: 201 }),
  tokens: route({ method: 'GET', path: '/v1/tokens', answer: z.object({ tokens: z.array(tokenRowSchema) }), status: 200 }),
  /** Lab only (Palette has no such call): a token's value for the lab's helpers, Insert token and Show me. */
  tokenValue: route({ method: 'GET', path: '/v1/tokens/:name/value', answer: z.object({ name: z.string(), value: z.string() }), status: 200 }),
  createToken: route({ method: 'POST', path: '/v1/tokens', body: paletteBody, answer: z.object({ token: tokenViewSchema, ...withWarnings }), status: 201 }),
  deleteToken: route({ method: 'DELETE', path: '/v1/tokens/:name', answer: deleted, status: 200 }),
  profiles: route({ method: 'GET', path: '/v1/profiles', answer: z.object({ profiles: z.array(profileViewSchema) }), status: 200 }),
  saveProfile: route({ method: 'POST', path: '/v1/profiles', body: paletteBody, answer: z.object({ profile: profileViewSchema, ...withWarnings }), status: 201 }),
  profile: route({ method: 'GET', path: '/v1/profiles/:name', answer: z.object({ profile: profileViewSchema }), status: 200 }),
  deleteProfile: route({ method: 'DELETE', path: '/v1/profiles/:name', answer: z.object({ deleted: z.array(z.string()) }), status: 200 }),
  profileVersion: route({ method: 'GET', path: '/v1/profiles/:name/:version', answer: z.object({ profile: profileViewSchema }), status: 200 }),
  deleteProfileVersion: route({ method: 'DELETE', path: '/v1/profiles/:name/:version', answer: z.object({ deleted: z.array(z.string()) }), status: 200 }),
  edgeHosts: route({ method: 'GET', path: '/v1/edgehosts', answer: z.object({ hosts: z.array(edgeHostRowSchema) }), status: 200 }),
  addEdgeHosts: route({ method: 'POST', path: '/v1/edgehosts', body: paletteBody, answer: z.object({ hosts: z.array(edgeHostRowSchema) }), status: 201 }),
  edgeHost: route({ method: 'GET', path: '/v1/edgehosts/:id', answer: z.object({ host: edgeHostRowSchema }), status: 200 }),
  deleteEdgeHost: route({ method: 'DELETE', path: '/v1/edgehosts/:id', answer: deleted, status: 200 }),
  tagEdgeHost: route({ method: 'PUT', path: '/v1/edgehosts/:id/tags', body: paletteBody, answer: z.object({ host: edgeHostRowSchema }), status: 200 }),
  clusters: route({ method: 'GET', path: '/v1/clusters', answer: z.object({ clusters: z.array(clusterViewSchema) }), status: 200 }),
  createCluster: route({ method: 'POST', path: '/v1/clusters', body: paletteBody, answer: z.object({ cluster: clusterViewSchema, ...withWarnings }), status: 201 }),
  cluster: route({ method: 'GET', path: '/v1/clusters/:name', answer: z.object({ cluster: clusterDetailSchema }), status: 200 }),
  deleteCluster: route({ method: 'DELETE', path: '/v1/clusters/:name', answer: deleted, status: 200 }),
  /** Day-2: `{hostId}`, a Ready host, joins the Running cluster's worker pool. */
  addWorker: route({ method: 'POST', path: '/v1/clusters/:name/workers', body: paletteBody, answer: z.object({ cluster: clusterViewSchema }), status: 200 }),
  /** Day-2: the worker leaves the cluster; its host resets and is Ready again. */
  removeWorker: route({ method: 'DELETE', path: '/v1/clusters/:name/workers/:hostId', answer: z.object({ cluster: clusterViewSchema }), status: 200 }),
  /** Day-2: `{hostId, replacement}`: a Ready host takes a control-plane host's place (etcd membership follows). */
  replaceControlPlane: route({ method: 'POST', path: '/v1/clusters/:name/control-plane/replace', body: paletteBody, answer: z.object({ cluster: clusterViewSchema }), status: 200 }),
  /** Day-2: update a Running cluster to a newer version of its profile (a rolling repave). */
  upgradeCluster: route({ method: 'POST', path: '/v1/clusters/:name/upgrade', body: paletteBody, answer: z.object({ cluster: clusterViewSchema }), status: 200 }),
} as const;

/** The answer type of a route. */
export type AnswerOf<R extends RouteContract> = R['answer'] extends z.ZodType ? z.infer<R['answer']> : string;

/** `path` with each `:name` replaced by its URL-encoded value; a missing value is a programming error. */
export function routePath(path: string, params: Readonly<Record<string, string>> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`[protocol] ${path} needs a value for :${name}`);
    return encodeURIComponent(v);
  });
}
