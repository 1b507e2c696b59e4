/**
 * The lab server: one process holding the labs (each with its simulated Palette,
 * its VMs and its statecharts), their HTTP API and their WebSocket, on a
 * loopback address only.
 *
 * Routes (JSON; under /labs/<id>/ every request needs the lab token, as
 * `Authorization: Bearer` or `?token=`, and an allowed Origin or none):
 *   GET  /healthz                        {ok:true}
 *   GET  /scenarios                      the scenarios a lab can be opened for
 *   POST /labs {scenario, role?}         201 {labId, role, token, expiresAt, sessionSecret}; 429/503 beyond the quota (lab-quota.ts)
 *   POST /labs {scenario, shared:true}   the same, with role trainer, plus {invites:{<role>:code}, invitesExpireAt}
 *   POST /labs/<id>/join {invite}        201 a member's {labId, role, token, expiresAt, sessionSecret}
 *   POST /labs/<id>/session {secret}     a fresh token for the holder of the session secret (opener or member);
 *                                        403 session-expired after 14 idle days, member-removed once removed
 *   GET/POST/DELETE /labs/<id>/members…, /labs/<id>/invites/<role>   the trainer's: see member-routes.ts
 * A lab's own routes below are answered by the slot that holds it (slots/lab-slot.ts: the route
 * table names it; on one machine, this process), after this server, the portal, admitted them:
 *   GET  /labs/<id>                      the lab: id, scenario, role, hosts, installers
 *   GET  /labs/<id>/view                 {seq, view}
 *   GET  /labs/<id>/events?since=N       log entries after N
 *   POST /labs/<id>/commands             {target, name, args?} → {ok} or 409 {ok:false, code, message}
 *   POST /labs/<id>/installers           {userData} → 201 installer, or 422 with issues by line
 *   GET  /labs/<id>/installers           installers built in this lab
 *   POST /labs/<id>/site-sticks          {userData} → 201 site user-data stick (CIDATA), or 422
 *   GET  /labs/<id>/site-sticks          site user-data sticks built in this lab
 *   GET  /labs/<id>/hosts/<vm>/console   the host's retained console as text
 *   *    /labs/<id>/palette/v1/…         the simulated Palette (simulator/palette/http-api.md)
 *   WS   /labs/<id>/socket               the lab protocol (simulator/pure/protocol)
 * Changes are checked against the session's role (pure/roles/permissions.ts):
 * a step outside it gets 403 role-forbidden naming who may do it.
 * The guests' own traffic never comes here: each lab has its own agent listener.
 */
import { DiskSpaceWatch } from '../limits/disk-space';
import { storeRefusal } from '../http/store-refusal';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus, homedir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { ensureGuestImages, type GuestImages } from '../images/guest-images';
import { realHostIo } from '../hosts/host-io';
import type { HostIo } from '../hosts/host-io';
import { hostTscKhz } from '../hosts/tsc';
import { LabError } from '../labs/errors';
import { LabManager, LabQueuedError, openedPlace } from '../labs/lab-manager';
import { defaultHostLimit } from '../labs/lab-places';
import { PhaseCheckpoints } from '../checkpoints/phase-checkpoints';
import { ClassError, Classes } from '../classes/classes';
import { openDirectoryBlobStore } from '../store/blob-store-directory';
import type { LabChannel } from '../labs/channel-contract';
import type { LabSpace } from '../labs/lab-space';
import { LAB_ROLES, LAB_ROUTES, type LabRole } from '../pure/protocol';
import { SCENARIOS } from '../pure/scenarios';
import { openSqliteStore } from '../store/sqlite-store';
import type { LabStore } from '../store/types';
import { QemuDriver } from '../vm/qemu/qemu-driver';
import type { VmDriver } from '../vm/types';
import { admitLabRequest, generateSecret, issueLabToken, type Admission } from './auth';
import { createInvites, createOpenerSecret, joinWithInvite, OPENER_SID, renewSession } from '../labs/lab-members';
import { memberRoutes } from './member-routes';
import { servedRoutes, type ServedRoute } from '../http/served-routes';
import { sessionCookies, type SessionCookies } from './auth/session-cookie';
import { SessionRevocations } from './session-revocations';
import { createLabSocketServer, labAdmission } from './socket';
import { bodyAs, doorBody } from './http-bodies';
import { createGuardedServer, hostNamesFor } from './guarded-server';
import type { GuardOptions } from './request-guard';
import { classErrorReply, classRoutes } from './class-routes';
import { loadOperatorCredential, type OperatorCredential } from './operator';
import { LabQuota } from './lab-quota';
import { LabReaper } from '../labs/lab-reaper';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { InProcessSlot } from '../slots/in-process-slot';
import { OneSlotRoutes, type LabSlot, type RouteTable } from '../slots/lab-slot';
import { clientAddress, doorLimits } from './door-limits';
import { parsePublicUrl, ROOM_API_PREFIX, type RoomOptions } from './room/room-options';
import { siteFiles } from './room/site-files';
import { pageSecurityHeaders } from './room/security-headers';

export const DEFAULT_PORT = 4100;
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];
/** Lab tokens are short-lived; the page trades its session secret for a new one. */
export const LAB_TOKEN_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_ORIGINS = ['http://127.0.0.1:3000', 'http://localhost:3000'];
/** No request body may be larger: the Palette page API's largest (profiles with manifests). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export interface LabServerOptions {
  host?: string;
  port?: number;
  /** Where the SQLite database, the server secret and the labs' files live. Default ~/.local/state/edge-lab. */
  dataDir?: string;
  /** Origins of the site allowed to call the server (the server's own is always allowed). */
  allowedOrigins?: readonly string[];
  now?: () => number;
  /** For tests: another VM driver, host I/O, images or store. */
  driver?: VmDriver;
  io?: HostIo;
  images?: GuestImages;
  store?: LabStore;
  /** Free bytes the data directory's filesystem keeps; below it new labs and installers are refused. Default 512 MiB. */
  diskFloorBytes?: number;
  /** For tests: how free space is measured (default statfs of the data directory), sampled every 200 ms. */
  diskSampler?: (dir: string) => Promise<number>;
  /** How often free space is measured without a diskSampler. Default 10 s. */
  diskIntervalMs?: number;
  /** The machine's limit of running hosts; default from its memory and cores (labs/lab-places.ts). */
  maxRunningHosts?: number;
  /** A lab nobody looks at for this long is suspended. Default 15 minutes. */
  idleSuspendMs?: number;
  /** Make a scenario's phase checkpoints in the background when a class of it opens. Default true. */
  prepareCheckpoints?: boolean;
  /** Where phase checkpoints are cached; default `<dataDir>/checkpoints`. Several servers may share one. */
  checkpointsDir?: string;
  /** The operator's secret, which opening a class needs; default from the environment or `<dataDir>/operator-secret` (operator.ts). */
  operatorSecret?: string;
  /** Host places warm labs of all classes may hold; default half of maxRunningHosts, always fewer than it. */
  maxWarmHosts?: number;
  /** Classes open at once; default 20 (classes.ts). */
  maxClasses?: number;
  /** Labs one client address may open a minute, and labs kept at most, for POST /labs (lab-quota.ts); default 10 and 500. */
  labsPerMinute?: number;
  maxStoredLabs?: number;
  /** A lab unused this long is deleted (labs/lab-reaper.ts); default 7 days. */
  labExpiryMs?: number;
  /**
   * Room mode: serve the site, the API (under /api) and the sockets from this one port to a room,
   * at `room.publicUrl`; `host` may then be any address. Origins and Host names come from the
   * public URL. Without it (solo mode) the server listens on loopback for pages on :3000.
   */
  room?: RoomOptions;
}

export interface LabServer {
  url: string;
  port: number;
  labs: LabManager;
  checkpoints: PhaseCheckpoints;
  classes: Classes;
  /** The operator's secret (to show it to the operator), and where it came from. */
  operator: Pick<OperatorCredential, 'secret' | 'source'>;
  reaper: LabReaper;
  /** Which slot holds each lab (one machine: this process's). */
  routes: RouteTable;
  /** Every route the portal and its slot answer (method, Hono path), for the contract test. */
  httpRoutes: ServedRoute[];
  close(): Promise<void>;
}

export function defaultDataDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'edge-lab');
}

export async function startLabServer(opts: LabServerOptions = {}): Promise<LabServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? DEFAULT_PORT;
  const publicAddress = opts.room ? parsePublicUrl(opts.room.publicUrl) : undefined;
  if (publicAddress && !publicAddress.ok) throw new Error(`[lab-server] ${publicAddress.message}`);
  if (opts.room?.tls && publicAddress?.ok && !publicAddress.value.secure) throw new Error('[lab-server] a certificate is given, so the public URL must start with https://');
  const room = opts.room && publicAddress?.ok ? { ...opts.room, address: publicAddress.value } : undefined;
  if (!room && !LOOPBACK_HOSTS.includes(host)) {
    throw new Error(`[lab-server] refusing to listen on ${host}: in solo mode the lab server binds only to a loopback address (${LOOPBACK_HOSTS.join(', ')}); to serve a room, give the public URL learners will open (npm start -- --public-url https://lab.example.org --listen ${host}:8080)`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`[lab-server] invalid port ${String(port)}: use a whole number from 0 to 65535`);
  const now = opts.now ?? Date.now;
  const dataDir = opts.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = await serverSecret(dataDir);
  const operator = await loadOperatorCredential(dataDir, opts.operatorSecret !== undefined ? { given: opts.operatorSecret } : {});
  const store = opts.store ?? (await openSqliteStore(join(dataDir, 'labs.sqlite'), { now: () => new Date(now()), newId: newLabId }));
  const images = opts.images ?? (await ensureGuestImages());
  // A room's pages come from its public origin only; solo pages from the site's loopback port.
  const origins: string[] = room ? [room.address.origin] : [...(opts.allowedOrigins ?? DEFAULT_ORIGINS)];
  const revocations = await SessionRevocations.load(store, now);
  const sockets = createLabSocketServer({
    resolveChannel: async (labId) => {
      try {
        const space = await labs.get(labId);
        return space && touching(space.channel(), () => labs.touch(labId));
      } catch (err) {
        if (err instanceof LabQueuedError) return { queued: err.position };
        throw err;
      }
    },
    onAttachChange: (labId) => labs.touch(labId),
    admit: labAdmission({ secret, allowedOrigins: origins, now, allowMissingOrigin: true, isEnded: (labId, sid) => revocations.isEnded(labId, sid) }),
    now,
  });
  // Free space of the data directory's filesystem: guests' disks, installers and checkpoints grow there.
  const disk = await DiskSpaceWatch.start(dataDir, {
    ...(opts.diskFloorBytes !== undefined ? { floorBytes: opts.diskFloorBytes } : {}),
    ...(opts.diskSampler ? { sample: opts.diskSampler, intervalMs: 200 } : opts.diskIntervalMs !== undefined ? { intervalMs: opts.diskIntervalMs } : {}),
  });
  const labs = new LabManager({
    diskLow: () => disk.error(),
    store, dataDir, images, driver: opts.driver ?? new QemuDriver(), io: opts.io ?? realHostIo, tscKhz: await hostTscKhz(),
    now, newId: newLabId,
    maxRunningHosts: opts.maxRunningHosts ?? defaultHostLimit(totalmem(), cpus().length),
    ...(opts.maxWarmHosts !== undefined ? { maxWarmHosts: opts.maxWarmHosts } : {}),
    ...(opts.idleSuspendMs !== undefined ? { idleSuspendMs: opts.idleSuspendMs } : {}),
    attached: (labId) => sockets.attached(labId),
    onSpaceClosed: (labId) => sockets.closeLab(labId, 'the lab was put somewhere else (a jump, or suspended while idle)'),
  });
  disk.on('change', (state) => { void labs.diskSpaceChanged(state.low).catch(() => {}); });
  let url = '';
  const checkpoints = new PhaseCheckpoints({
    root: opts.checkpointsDir ?? join(dataDir, 'checkpoints'), files: openDirectoryBlobStore(join(opts.checkpointsDir ?? join(dataDir, 'checkpoints'), 'files')),
    labs, store, images, serverUrl: () => url, operatorKey: operator.secret, now, diskLow: () => disk.error(),
  });
  const slot = new InProcessSlot({ labs, checkpoints, store, upgrade: (req, socket, head) => sockets.handleUpgrade(req, socket, head) });
  const routes = new OneSlotRoutes(slot, async (labId) => (await store.getLab(labId).catch(() => undefined)) !== undefined);
  const classes = new Classes({
    store, slots: routes, now, ...(opts.maxClasses !== undefined ? { maxClasses: opts.maxClasses } : {}),
    checkpointStatus: (scenario) => checkpoints.status(scenario),
    // A class opens before its learners arrive: its jumps should be quick from the first.
    ...(opts.prepareCheckpoints === false ? {} : { onOpened: (scenario: string) => checkpoints.prepare(scenario) }),
  });

  const reaper = new LabReaper({
    store, labs, now, ...(opts.labExpiryMs !== undefined ? { expiryMs: opts.labExpiryMs } : {}),
    onReaped: (labId) => classes.forgetLab(labId),
    reapClasses: (cutoff) => classes.reapIdle(cutoff),
  });
  const quota = new LabQuota({ now, ...(opts.labsPerMinute !== undefined ? { perMinute: opts.labsPerMinute } : {}), ...(opts.maxStoredLabs !== undefined ? { maxStoredLabs: opts.maxStoredLabs } : {}) });

  const app = buildApp({
    diskLow: () => labs.diskLow(),
    routes, store, secret, now, origins, classes, operator, quota, revocations, closeSessionSockets: (labId, sid, reason) => sockets.closeSession(labId, sid, reason),
    soloLabs: !room || room.allowSoloLabs === true, clientAddress: (c) => clientAddress(c, room !== undefined), roomMode: room !== undefined,
    cookies: sessionCookies({ publicHost: room?.address.secure ? room.address.host : null, apiPrefix: ROOM_API_PREFIX }),
  });
  const guard: GuardOptions = { hosts: [], origins, maxBodyBytes: MAX_REQUEST_BODY_BYTES };
  const served = {
    fetch: app.fetch, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgradeThroughRoutes(routes, slot, req, socket, head), guard,
    ...(room ? { apiPrefix: ROOM_API_PREFIX, site: siteFiles({ root: room.siteDir, apiPath: ROOM_API_PREFIX, publicUrl: room.address.origin }).fetch } : {}),
  };
  const server = createGuardedServer({ ...served, ...(room?.tls ? { tls: room.tls } : {}) });
  // Serving HTTPS itself, the server also answers this machine's own clients (the checkpoint
  // builder, which plays a scenario through the API) in plain HTTP on a loopback port of its own.
  const local = room?.tls ? createGuardedServer(served) : null;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new Error(`[lab-server] cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is already in use' : (err.code ?? err.message)}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => { server.off('error', onError); resolve(); });
  });
  const actualPort = (server.address() as AddressInfo).port;
  if (local) await new Promise<void>((resolve, reject) => { local.once('error', reject); local.listen({ host: '127.0.0.1', port: 0 }, () => resolve()); });
  // The address this machine's own clients (the checkpoint builder, the CLI) use.
  const localHost = local ? '127.0.0.1' : host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const localPort = local ? (local.address() as AddressInfo).port : actualPort;
  const localOrigin = `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${localPort}`;
  url = `${localOrigin}${room ? ROOM_API_PREFIX : ''}`;
  origins.push(localOrigin);
  guard.hosts = [...new Set([...(room ? [room.address.host] : []), ...hostNamesFor(localHost, localPort), ...(local ? hostNamesFor(host, actualPort) : [])])];
  reaper.start();

  let closing: Promise<void> | undefined;
  return {
    url, port: actualPort, labs, checkpoints, classes, operator: { secret: operator.secret, source: operator.source }, reaper, routes,
    httpRoutes: [...servedRoutes(app), ...slot.httpRoutes],
    close() {
      closing ??= (async () => {
        await reaper.stop();
        disk.stop();
        await sockets.close();
        for (const s of local ? [server, local] : [server]) await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); });
        await labs.close();
        if (!opts.store) await store.close();
      })();
      return closing;
    },
  };
}

/** A lab socket goes to its lab's slot; one the table does not know goes to this process's, which refuses it with a reason. */
async function upgradeThroughRoutes(routes: RouteTable, local: LabSlot, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const labId = /^\/labs\/([^/?]+)\/socket(?:\?|$)/.exec(req.url ?? '')?.[1];
  const slot = labId ? await routes.slotOf(labId).catch(() => null) : null;
  (slot ?? local).upgrade(req, socket, head);
}

/** Lab ids: unguessable, URL-safe. */
function newLabId(): string {
  return `lab-${generateSecret().replace(/[^A-Za-z0-9]/g, '').slice(0, 20).toLowerCase()}`;
}

async function serverSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'server-secret');
  const known = await readFile(file, 'utf8').then((s) => s.trim(), () => '');
  if (known.length >= 32) return known;
  const fresh = generateSecret();
  await writeFile(file, `${fresh}\n`, { mode: 0o600 });
  return fresh;
}


interface AppDeps {
  /** Why the data directory's disk is too full for a new lab now, or null. */
  diskLow: () => { message: string } | null;
  store: LabStore; secret: string; now: () => number; origins: string[]; classes: Classes;
  operator: OperatorCredential; quota: LabQuota;
  revocations: SessionRevocations; closeSessionSockets: (labId: string, sid: string, reason: string) => number;
  /** Which slot holds each lab (slots/lab-slot.ts). */
  routes: RouteTable;
  /** Whether anyone may open a lab of their own (POST /labs without the operator key): always in solo mode, by choice in a room. */
  soloLabs: boolean;
  clientAddress: (c: Context) => string | undefined;
  /** Room mode: every answer carries the headers of room/security-headers.ts, and the secret doors are rate-limited (door-limits.ts). */
  roomMode: boolean;
  /** Where session secrets go: in the answers, or (a room over HTTPS) in HttpOnly cookies. */
  cookies: SessionCookies;
}

/** The lab's channel, telling `touch` whenever the page acts (commands, typing). */
function touching(channel: LabChannel, touch: () => void): LabChannel {
  return {
    ...channel,
    command: (c) => { touch(); return channel.command(c); },
    consoleInput: (hostId, bytes, role) => { touch(); return channel.consoleInput(hostId, bytes, role); },
  };
}

type Env = { Variables: { space: LabSpace; role: LabRole } };

function buildApp(d: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.use('*', bodyLimit({
    maxSize: MAX_REQUEST_BODY_BYTES,
    onError: (c) => c.json({ error: 'body-too-large', message: `[lab-server] the body is larger than ${MAX_REQUEST_BODY_BYTES} bytes; send a smaller one` }, 413, { connection: 'close' }),
  }));
  app.use('*', cors({ origin: (o) => (d.origins.includes(o) ? o : null), allowHeaders: ['authorization', 'content-type'], allowMethods: ['GET', 'POST', 'PUT', 'DELETE'] }));
  app.onError((err, c) => {
    if (err instanceof LabError) return c.json({ error: err.code, message: err.message }, err.code === 'unknown-scenario' ? 404 : 409);
    if (err instanceof ClassError) return classErrorReply(c, err);
    const refusal = storeRefusal(err);
    if (refusal) return c.json(refusal.body, refusal.status, refusal.headers);
    process.stderr.write(`[lab-server] internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}\n`);
    return c.json({ error: 'internal', message: '[lab-server] the lab server failed on this request; see its log' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not-found', message: `[lab-server] no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  if (d.roomMode) {
    app.use('*', async (c, next) => {
      await next();
      for (const [k, v] of Object.entries(pageSecurityHeaders(null))) c.header(k, v);
      c.header('cache-control', 'no-store');
    });
    // Solo mode answers pages on one loopback address: a per-address budget would only hold a class rehearsed there back.
    app.use('*', doorLimits({ now: d.now, clientAddress: d.clientAddress }));
  }

  app.get('/healthz', (c) => c.json({ ok: true }));
  classRoutes(app, { classes: d.classes, slots: d.routes, origins: d.origins, secret: d.secret, now: d.now, tokenTtlMs: LAB_TOKEN_TTL_MS, operator: d.operator, cookies: d.cookies });
  app.get('/scenarios', (c) => c.json({ scenarios: SCENARIOS.map((s) => ({ name: s.name, title: s.title, summary: s.summary, hosts: s.hosts.map((h) => h.name) })) }));

  app.post('/labs', async (c) => {
    const body = await doorBody(c, d.origins);
    if (!body.ok) return body.response;
    const asked = bodyAs(c, body.value, LAB_ROUTES.openLab.body);
    if (!asked.ok) return asked.response;
    const { scenario, role, shared } = asked.value;
    // The opener of a shared lab is its trainer; members join with the per-role invites.
    const r: LabRole = shared ? 'trainer' : (role ?? 'solo');
    if (!shared && r === 'trainer') {
      return c.json({ error: 'bad-request', field: 'role', message: `[lab-server] role: use one of ${LAB_ROLES.filter((x) => x !== 'trainer').join(', ')} (a trainer opens a lab with shared: true)` }, 400);
    }
    // In a room, labs come from classes and invites; a lab of one's own only by the operator's choice (or key).
    if (!d.soloLabs && d.operator.check(c.req.header('authorization')?.replace(/^Bearer\s+/i, '') || undefined) !== 'ok') {
      return c.json({ error: 'solo-labs-off', message: '[lab-server] this lab server serves a room: your lab comes from the link your trainer hands out (a class join link or a walkthrough invite), so open that link. A trainer opens walkthroughs after entering the operator key on the class page; the operator may allow labs of one\'s own with npm start -- --allow-solo-labs' }, 403);
    }
    const low = d.diskLow();
    if (low) return c.json({ error: 'disk-low', message: `${low.message} No lab was opened.` }, 507);
    // No credential is needed here, so what it makes is bounded (lab-quota.ts); an unknown scenario is refused below.
    if (SCENARIOS.some((s) => s.name === scenario)) {
      const stored = (await d.store.listLabs()).filter((l) => !l.scenario.startsWith('class:')).length;
      const refused = d.quota.admit(d.clientAddress(c), stored);
      if (refused) return c.json({ error: refused.error, message: refused.message }, refused.status, { 'Retry-After': String(refused.retryAfterSeconds) });
    }
    // A lab that does not fit now is made all the same and waits for a place (the page shows where).
    const provisioned = await (await d.routes.slotForNew()).provision({ scenario, role: r });
    const made = { labId: provisioned.labId, place: openedPlace(provisioned.position) };
    const sessionSecret = await createOpenerSecret(d.store, made.labId, d.now());
    const expiresAt = d.now() + LAB_TOKEN_TTL_MS;
    const token = issueLabToken({ labId: made.labId, role: r, ttlMs: LAB_TOKEN_TTL_MS, sid: OPENER_SID }, d.secret, d.now());
    const invites = shared ? await createInvites(d.store, made.labId, d.now()) : null;
    return c.json({ labId: made.labId, role: r, token, expiresAt, sessionSecret: d.cookies.hand(c, made.labId, sessionSecret), place: made.place, ...(invites ? { invites: invites.invites, invitesExpireAt: invites.expiresAt } : {}) }, 201);
  });

  app.post('/labs/:labId/join', async (c) => {
    const body = await doorBody(c, d.origins);
    if (!body.ok) return body.response;
    const labId = c.req.param('labId');
    const lab = await d.store.getLab(labId).catch(() => undefined);
    if (!lab) return c.json({ error: 'not-found', message: `[lab-server] lab ${labId} does not exist (it was deleted); ask the trainer for a new link` }, 404);
    const asked = bodyAs(c, body.value, LAB_ROUTES.joinLab.body);
    if (!asked.ok) return asked.response;
    const joined = await joinWithInvite(d.store, labId, asked.value.invite, d.now());
    if (!joined.ok) return c.json({ error: joined.code, message: joined.message }, 403);
    const token = issueLabToken({ labId, role: joined.role, ttlMs: LAB_TOKEN_TTL_MS, sid: joined.memberId }, d.secret, d.now());
    return c.json({ labId, role: joined.role, token, expiresAt: d.now() + LAB_TOKEN_TTL_MS, sessionSecret: d.cookies.hand(c, labId, joined.sessionSecret) }, 201);
  });

  app.post('/labs/:labId/session', async (c) => {
    const body = await doorBody(c, d.origins);
    if (!body.ok) return body.response;
    const given = LAB_ROUTES.renewSession.body.safeParse(body.value);
    // The body's secret (a session entered from a link), else the session cookie's (a room over HTTPS).
    const secret = given.success ? (given.data.secret ?? d.cookies.read(c)) : undefined;
    const labId = c.req.param('labId');
    const lab = await d.store.getLab(labId).catch(() => undefined);
    // A missing secret is refused like a wrong one: the door says nothing about which labs exist.
    const session = lab && secret !== undefined
      ? await renewSession(d.store, lab, secret, d.now())
      : { ok: false as const, code: 'bad-session', message: '[lab-auth] this session secret does not open that lab; open the lab again from its page' };
    if (!session.ok) return c.json({ error: session.code, message: session.message }, 403);
    const { role, sid } = session;
    // Set (again) in the cookie: a secret from a link leaves the page's storage, a cookie's lifetime starts over.
    const sessionCookie = d.cookies.hand(c, labId, secret!) === null;
    return c.json({ labId, role, token: issueLabToken({ labId, role, ttlMs: LAB_TOKEN_TTL_MS, sid }, d.secret, d.now()), expiresAt: d.now() + LAB_TOKEN_TTL_MS, ...(sessionCookie ? { sessionCookie } : {}) });
  });

  // Everything else under /labs/<id> is admitted by token and Origin here, then answered by its slot.
  const admitted = async (c: Context<Env>, next: () => Promise<void>): Promise<Response | void> => {
    const url = new URL(c.req.url);
    const admission: Admission = admitLabRequest(
      { url: url.pathname + url.search, headers: lowerHeaders(c.req.raw.headers) },
      { secret: d.secret, allowedOrigins: d.origins, now: d.now(), allowMissingOrigin: true, isEnded: (labId, sid) => d.revocations.isEnded(labId, sid) },
    );
    if (!admission.ok) return c.json({ error: admission.code, message: admission.message }, admission.status, admission.headers);
    c.set('role', admission.role);
    await next();
  };
  app.use('/labs/:labId', admitted);
  app.use('/labs/:labId/*', admitted);
  memberRoutes(app, { store: d.store, now: d.now, revocations: d.revocations, closeSessionSockets: d.closeSessionSockets });

  // A lab's own routes are its slot's: the portal has admitted the request; the route table says where the lab is.
  const forward = async (c: Context<Env>): Promise<Response> => {
    const labId = c.req.param('labId') ?? '';
    const slot = await d.routes.slotOf(labId);
    if (!slot) return c.json({ error: 'not-found', message: `[lab-server] lab ${labId} does not exist (it was deleted); open a new lab from the guide` }, 404);
    return slot.serve(c.req.raw, { labId, role: c.get('role') });
  };
  app.all('/labs/:labId', forward);
  app.all('/labs/:labId/*', forward);
  return app;
}

function lowerHeaders(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => { out[k.toLowerCase()] = v; });
  return out;
}
