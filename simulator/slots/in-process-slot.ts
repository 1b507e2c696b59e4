/**
 * The lab slot of one machine: this process's labs (LabManager), their checkpoints and their
 * sockets, behind the LabSlot interface. Its HTTP routes are a lab's own (the view, the log, commands,
 * installers, consoles, the Palette page API), answered for a request the portal has admitted:
 * the role it admitted decides what the lab lets it change.
 */
import type { TrainerDrill } from '../pure/drills/trainer-drills';
import { storeRefusal } from '../http/store-refusal';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono } from 'hono';
import { CheckpointError } from '../checkpoints/errors';
import type { CheckpointPhase, PhaseCheckpoints } from '../checkpoints/phase-checkpoints';
import { bodyAs, jsonBody, parseJsonObject } from '../http/json-bodies';
import { servedRoutes, type ServedRoute } from '../http/served-routes';
import { LabError } from '../labs/errors';
import { LabQueuedError, type LabManager } from '../labs/lab-manager';
import type { LabSpace } from '../labs/lab-space';
import type { InstallerRecord } from '../labs/lab-installers';
import { COMMAND_BODY_SHAPE, LAB_ROUTES, type LabRole } from '../pure/protocol';
import { viewForRole } from '../pure/roles/may';
import { mayAct } from '../pure/roles/permissions';
import type { LabStore } from '../store/types';
import { jumpReply } from './jump-reply';
import type { Admitted, ConsolePeek, DrillOutcome, LabSlot, LabStatus, SlotHealth } from './lab-slot';

export interface InProcessSlotDeps {
  labs: LabManager;
  checkpoints: PhaseCheckpoints;
  store: LabStore;
  /** The socket server's upgrade handler for this process's labs. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

type Env = { Bindings: Admitted; Variables: { space: LabSpace; role: LabRole } };

export class InProcessSlot implements LabSlot {
  readonly address = 'local';
  private readonly app: Hono<Env>;

  constructor(private readonly d: InProcessSlotDeps) {
    this.app = labRoutes(d);
  }

  async provision(o: { scenario: string; role: LabRole }): Promise<{ labId: string; position: number | null }> {
    try {
      const space = await this.d.labs.create(o);
      return { labId: space.labId, position: null };
    } catch (err) {
      if (err instanceof LabQueuedError) return { labId: err.labId, position: err.position };
      throw err;
    }
  }

  async open(labId: string): Promise<number | null> {
    try {
      await this.d.labs.get(labId);
      return null;
    } catch (err) {
      if (err instanceof LabQueuedError) return err.position;
      throw err;
    }
  }

  async warm(labId: string): Promise<boolean> {
    try {
      await this.d.labs.get(labId, { ahead: true });
    } catch (err) {
      if (err instanceof LabQueuedError || err instanceof LabError) return false;
      throw err;
    }
    this.d.labs.pin(labId);
    return true;
  }

  async claim(labId: string): Promise<void> { this.d.labs.unpin(labId); }

  async status(labId: string): Promise<LabStatus> {
    const place = await this.d.labs.placeOf(labId);
    const space = place.state === 'active' ? await this.d.labs.peek(labId) : undefined;
    return {
      place,
      lastActivityAt: this.d.labs.lastUsedAt(labId),
      open: space ? { view: space.runtime.view().view, power: Object.fromEntries([...space.vms].map(([name, h]) => [name, h.power])) } : null,
    };
  }

  async peekConsole(labId: string, host: string): Promise<ConsolePeek> {
    const space = await this.d.labs.peek(labId);
    if (!space) return { kind: 'not-running' };
    const vm = space.vms.get(host);
    return vm ? { kind: 'text', text: vm.console.text() } : { kind: 'unknown-host' };
  }

  async drill(labId: string, host: string, command: TrainerDrill['command']): Promise<DrillOutcome> {
    const space = await this.d.labs.peek(labId);
    if (!space) return { kind: 'not-running' };
    if (!space.vms.has(host)) return { kind: 'unknown-host' };
    const r = await space.channel().command({ target: { kind: 'host', hostId: host }, name: command, role: 'solo' });
    return r.ok ? { kind: 'done' } : { kind: 'refused', code: r.code, message: r.message };
  }

  release(labId: string): Promise<boolean> { return this.d.labs.delete(labId); }
  restore(labId: string, phase: CheckpointPhase) { return this.d.checkpoints.jump(labId, phase); }
  checkpoint(scenario: string): void { this.d.checkpoints.prepare(scenario); }
  async list(): Promise<string[]> { return (await this.d.store.listLabs()).map((l) => l.id); }

  async health(): Promise<SlotHealth> {
    const { places } = this.d.labs;
    return {
      ok: true, runningHosts: await this.d.labs.runningHosts(), maxRunningHosts: places.limit, warmBudget: places.aheadLimit, queued: places.queued,
      labs: (await this.d.store.listLabs()).length,
    };
  }

  /** The lab routes this slot answers (the Palette's below `/labs/:labId/palette` not included). */
  get httpRoutes(): ServedRoute[] {
    return servedRoutes(this.app);
  }

  serve(req: Request, admitted: Admitted): Promise<Response> {
    return Promise.resolve(this.app.fetch(req, admitted));
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.d.upgrade(req, socket, head);
  }
}

function labRoutes(d: InProcessSlotDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.onError((err, c) => {
    if (err instanceof LabError) return c.json({ error: err.code, message: err.message }, err.code === 'unknown-scenario' ? 404 : 409);
    if (err instanceof CheckpointError) return c.json({ error: `checkpoint-${err.code}`, message: err.message }, 409);
    const refusal = storeRefusal(err);
    if (refusal) return c.json(refusal.body, refusal.status, refusal.headers);
    process.stderr.write(`[lab-slot] internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}\n`);
    return c.json({ error: 'internal', message: '[lab-server] the lab server failed on this request; see its log' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not-found', message: `[lab-server] no such endpoint: ${c.req.method} ${c.req.path}` }, 404));
  // The lab, opened (or woken) for the request; where it is can be asked without opening it.
  const open = async (c: import('hono').Context<Env>, next: () => Promise<void>): Promise<Response | void> => {
    c.set('role', c.env.role);
    if (c.req.path.endsWith('/place')) return next();
    let space: LabSpace | undefined;
    try {
      space = await d.labs.get(c.env.labId);
    } catch (err) {
      if (!(err instanceof LabQueuedError)) throw err;
      return c.json({ error: 'queued', position: err.position, message: err.message }, 503, { 'Retry-After': '3' });
    }
    if (!space) return c.json({ error: 'not-found', message: `[lab-server] lab ${c.env.labId} does not exist (it was deleted); open a new lab from the guide` }, 404);
    c.set('space', space);
    await next();
  };
  app.use('/labs/:labId', open);
  app.use('/labs/:labId/*', open);

  app.get('/labs/:labId', async (c) => {
    const s = c.get('space');
    return c.json({
      labId: s.labId, scenario: s.scenario.name, role: s.role, hosts: [...s.vms.keys()],
      installers: (await s.installers()).map(({ path: _p, userData: _u, ...rest }) => rest),
    });
  });
  app.get('/labs/:labId/view', (c) => {
    const { seq, view } = c.get('space').runtime.view();
    return c.json({ seq, view: viewForRole(view, c.get('role')) });
  });
  app.get('/labs/:labId/place', async (c) => c.json(await d.labs.placeOf(c.req.param('labId'))));
  app.post('/labs/:labId/jump', async (c) => {
    const may = mayAct(c.get('role'), { kind: 'lab', name: 'JUMP' });
    if (!may.ok) return c.json({ error: may.code, message: may.message, allowed: may.allowed }, 403);
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    return jumpReply(c, { restore: (labId, phase) => d.checkpoints.jump(labId, phase) }, c.get('space').labId, (body.value as { phase?: unknown }).phase);
  });
  app.get('/labs/:labId/events', async (c) => {
    const since = Number(c.req.query('since') ?? '0');
    if (!Number.isInteger(since) || since < 0) return c.json({ error: 'bad-request', field: 'since', message: '[lab-server] since: a log position, a whole number ≥ 0' }, 400);
    const events = await d.store.eventsSince(c.get('space').labId, since, 1000);
    return c.json({ events: events.map((e) => ({ seq: e.seq, at: e.at, type: e.type, ...(e.payload as object) })) });
  });
  app.post('/labs/:labId/commands', async (c) => {
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const asked = bodyAs(c, body.value, LAB_ROUTES.command.body, COMMAND_BODY_SHAPE);
    if (!asked.ok) return asked.response;
    const { target, name, args } = asked.value;
    const result = await c.get('space').channel().command({ target, name, role: c.get('role'), ...(args ? { args } : {}) });
    return c.json(result, result.ok ? 200 : 409);
  });
  // Building a stick: an Edge Installer, or a site user-data stick (CIDATA). Same doors, same answers.
  const stickBuilds = [
    { path: 'installers', action: 'build-installer', route: LAB_ROUTES.buildInstaller, what: 'user data', build: (space: LabSpace, text: string) => space.buildInstaller(text) },
    { path: 'site-sticks', action: 'build-site-stick', route: LAB_ROUTES.buildSiteStick, what: 'site user data', build: (space: LabSpace, text: string) => space.buildSiteStick(text) },
  ] as const;
  for (const s of stickBuilds) {
    app.post(`/labs/:labId/${s.path}`, async (c) => {
      const may = mayAct(c.get('role'), { kind: s.action });
      if (!may.ok) return c.json({ error: may.code, message: may.message, allowed: may.allowed }, 403);
      const body = await jsonBody(c);
      if (!body.ok) return body.response;
      const asked = bodyAs(c, body.value, s.route.body);
      if (!asked.ok) return asked.response;
      const low = d.labs.diskLow();
      if (low) return c.json({ error: 'disk-low', message: `${low.message} Nothing was built.` }, 507);
      const r = await s.build(c.get('space'), asked.value.userData);
      if (!r.ok) return c.json({ error: 'invalid', message: `[lab-server] the ${s.what} is not valid; nothing was built`, issues: r.issues }, 422);
      const { userData: _u, kind: _k, ...rest } = r.installer;
      return c.json({ ...rest, warnings: r.warnings }, 201);
    });
  }
  const listed = ({ path: _p, userData: _u, kind: _k, ...rest }: InstallerRecord & { path: string }) => rest;
  app.get('/labs/:labId/installers', async (c) => c.json({ installers: (await c.get('space').installers()).map(listed) }));
  app.get('/labs/:labId/site-sticks', async (c) => c.json({ siteSticks: (await c.get('space').siteSticks()).map(listed) }));
  app.get('/labs/:labId/hosts/:vm/console', (c) => {
    const vm = c.get('space').vms.get(c.req.param('vm'));
    if (!vm) return c.json({ error: 'unknown-host', message: `[lab-server] this lab has no host ${c.req.param('vm')}` }, 404);
    return c.text(vm.console.text());
  });
  app.get('/labs/:labId/lan', async (c) => {
    const lan = c.get('space').lan;
    return c.json({ cidr: c.get('space').scenario.lan.cidr, devices: await lan.devices(), timeServer: await lan.timeServer() });
  });
  app.post('/labs/:labId/lan/time-server', async (c) => {
    const may = mayAct(c.get('role'), { kind: 'lan' });
    if (!may.ok) return c.json({ error: may.code, message: may.message, allowed: may.allowed }, 403);
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const asked = bodyAs(c, body.value, LAB_ROUTES.setTimeServer.body);
    if (!asked.ok) return asked.response;
    return c.json({ timeServer: await c.get('space').lan.setTimeServer(asked.value.on) });
  });
  app.post('/labs/:labId/lan/devices', async (c) => {
    const may = mayAct(c.get('role'), { kind: 'lan' });
    if (!may.ok) return c.json({ error: may.code, message: may.message, allowed: may.allowed }, 403);
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const asked = bodyAs(c, body.value, LAB_ROUTES.addLanDevice.body);
    if (!asked.ok) return asked.response;
    const r = await c.get('space').lan.add(asked.value.ip);
    if (!r.ok) return c.json({ error: r.code, field: 'ip', message: r.message }, r.code === 'conflict' ? 409 : 422);
    return c.json({ device: r.device }, 201);
  });
  app.delete('/labs/:labId/lan/devices/:ip', async (c) => {
    const may = mayAct(c.get('role'), { kind: 'lan' });
    if (!may.ok) return c.json({ error: may.code, message: may.message, allowed: may.allowed }, 403);
    const ip = c.req.param('ip');
    if (!(await c.get('space').lan.remove(ip))) return c.json({ error: 'not-found', message: `[lab] no device on the lab LAN uses ${ip}; GET /labs/<lab>/lan lists them` }, 404);
    return c.json({ removed: ip });
  });
  // The request guard has made sure the path is spelled one way only, so the role check below and
  // the Palette app route on the very same path.
  app.all('/labs/:labId/palette/*', async (c) => {
    const url = new URL(c.req.url);
    url.pathname = url.pathname.replace(/^\/labs\/[^/]+\/palette/, '');
    url.searchParams.delete('token');
    const below = url.pathname.startsWith('/v1/') ? url.pathname.slice('/v1'.length) : url.pathname;
    const may = mayAct(c.get('role'), { kind: 'palette', method: c.req.method, path: below });
    if (!may.ok) return c.json({ error: may.code, message: may.message, allowed: may.allowed }, may.code === 'unknown-resource' ? 404 : 403);
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return c.get('space').paletteHttp.fetch(new Request(url, c.req.raw));
    // Palette's bodies are JSON objects; anything else stops here with a reason.
    const text = await c.req.text();
    if (text.trim() !== '') {
      const body = parseJsonObject(text);
      if (!body.ok) return c.json({ error: 'bad-request', message: body.message }, 400);
    }
    return c.get('space').paletteHttp.fetch(new Request(url, { method: c.req.method, headers: c.req.raw.headers, ...(text === '' ? {} : { body: text }) }));
  });
  return app;
}
