// The HTTP contract (pure/protocol/http-routes.ts) held against a real lab server (fake VMs, real
// HTTP and SQLite): every route the server answers is in the contract and every route of the
// contract is answered; each route, called as the page calls it, answers its contract's status
// with a body its answer schema accepts, and a refusal with the one refusal body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createPaletteHttp } from '../palette/http/page-http';
import type { Palette } from '../palette/palette';
import { LAB_ROUTES, PALETTE_ROUTES, readAnswer, refusalBodySchema, routePath, TEXT_ANSWER, type RouteContract } from '../pure/protocol';
import { servedRoutes } from '../http/served-routes';
import { startFakeLabServer } from '../testing/fake-lab-server';
import type { LabServer } from './lab-server';

const OPERATOR = 'contract-operator-key';
let server: LabServer;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close } = await startFakeLabServer({ operatorSecret: OPERATOR, prepareCheckpoints: false }));
});
afterAll(async () => {
  await close?.();
});

const PALETTE_BASE = '/labs/:labId/palette';
const key = (method: string, path: string): string => `${method} ${path}`;

interface Call { params?: Record<string, string>; body?: unknown; bearer?: string; palette?: boolean }

/** Calls `route` as the page does and returns what arrived, the answer read against the route's schema. */
async function call(route: RouteContract, o: Call = {}): Promise<{ status: number; body: unknown }> {
  const path = routePath(o.palette ? `${PALETTE_BASE}${route.path}` : route.path, o.params);
  const headers: Record<string, string> = { origin: new URL(server.url).origin };
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method: route.method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
  const body: unknown = route.answer === TEXT_ANSWER && res.ok ? await res.text() : await res.json().catch(() => undefined);
  return { status: res.status, body };
}

/** The call must succeed as its contract says; returns the parsed answer. */
async function expectAnswer<R extends RouteContract>(route: R, o: Call = {}): Promise<R['answer'] extends z.ZodType ? z.infer<R['answer']> : string> {
  const arrived = await call(route, o);
  const what = `${route.method} ${route.path}`;
  if (route.answer === TEXT_ANSWER) {
    expect(arrived.status, what).toBe(route.status);
    expect(typeof arrived.body, what).toBe('string');
    return arrived.body as never;
  }
  const outcome = readAnswer(arrived, route.answer, what);
  expect(outcome, `${what} answered ${arrived.status} ${JSON.stringify(arrived.body).slice(0, 400)}`).toMatchObject({ ok: true, status: route.status });
  return (outcome as { value: unknown }).value as never;
}

describe('the HTTP contract', () => {
  it('lists exactly the routes the lab server and its Palette answer', () => {
    const contract = [...Object.values(LAB_ROUTES), ...Object.values(PALETTE_ROUTES).map((r) => ({ ...r, path: `${PALETTE_BASE}${r.path}` }))].map((r) => key(r.method, r.path));
    const palette = servedRoutes(createPaletteHttp({} as Palette)).map((r) => key(r.method, `${PALETTE_BASE}${r.path}`));
    const served = [...server.httpRoutes.map((r) => key(r.method, r.path)), ...palette];
    expect(new Set(contract).size, 'a route listed twice in the contract').toBe(contract.length);
    expect(served.filter((r) => !contract.includes(r)), 'answered by the server but missing from pure/protocol/http-routes.ts').toEqual([]);
    expect(contract.filter((r) => !served.includes(r)), 'in the contract but answered by no route').toEqual([]);
  });

  it('answers every lab and Palette route with the contract\'s status and shape', async () => {
    await expectAnswer(LAB_ROUTES.health);
    const { scenarios } = await expectAnswer(LAB_ROUTES.scenarios);
    expect(scenarios.map((s) => s.name)).toContain('single-node');

    const solo = await expectAnswer(LAB_ROUTES.openLab, { body: { scenario: 'single-node' } });
    const lab = { labId: solo.labId };
    const renewed = await expectAnswer(LAB_ROUTES.renewSession, { params: lab, body: { secret: solo.sessionSecret } });
    const auth = { params: lab, bearer: renewed.token };
    expect((await expectAnswer(LAB_ROUTES.lab, auth)).hosts).toEqual(['edge-host-1']);
    expect((await expectAnswer(LAB_ROUTES.view, auth)).view.hosts['edge-host-1']).toBeDefined();
    expect(await expectAnswer(LAB_ROUTES.place, auth)).toEqual({ state: 'active', position: null });
    expect((await expectAnswer(LAB_ROUTES.events, auth)).events.length).toBeGreaterThan(0);
    await expectAnswer(LAB_ROUTES.command, { ...auth, body: { target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_ON' } });
    expect(await expectAnswer(LAB_ROUTES.console, { ...auth, params: { ...lab, vm: 'edge-host-1' } })).toEqual(expect.any(String));
    const { device } = await expectAnswer(LAB_ROUTES.addLanDevice, { ...auth, body: { ip: '10.77.0.100' } });
    const timeServer = { ip: '10.77.0.123', mac: '0e:a1:0a:4d:00:7b', on: true };
    expect(await expectAnswer(LAB_ROUTES.lan, auth)).toEqual({ cidr: '10.77.0.0/24', devices: [device], timeServer });
    expect(await expectAnswer(LAB_ROUTES.setTimeServer, { ...auth, body: { on: false } })).toEqual({ timeServer: { ...timeServer, on: false } });
    expect((await expectAnswer(LAB_ROUTES.lan, auth)).timeServer.on).toBe(false);
    expect(await expectAnswer(LAB_ROUTES.setTimeServer, { ...auth, body: { on: true } })).toEqual({ timeServer });
    const badOn = await call(LAB_ROUTES.setTimeServer, { ...auth, body: { on: 'yes' } });
    expect(badOn.status).toBe(400);
    expect(JSON.stringify(badOn.body)).toMatch(/on must be true or false/);
    expect(await expectAnswer(LAB_ROUTES.removeLanDevice, { ...auth, params: { ...lab, ip: '10.77.0.100' } })).toEqual({ removed: '10.77.0.100' });
    const badIp = await call(LAB_ROUTES.addLanDevice, { ...auth, body: { ip: '10.77.0.11' } });
    expect(badIp.status).toBe(422);
    expect(badIp.body).toMatchObject({ error: 'invalid', field: 'ip', message: expect.stringMatching(/edge host's own address/) });
    expect((await call(LAB_ROUTES.removeLanDevice, { ...auth, params: { ...lab, ip: '10.77.0.100' } })).status).toBe(404);

    // The Palette, as the guide's parts call it.
    const p = { ...auth, palette: true };
    expect((await expectAnswer(PALETTE_ROUTES.projects, p)).projects.length).toBeGreaterThan(0);
    const { token } = await expectAnswer(PALETTE_ROUTES.createToken, { ...p, body: { name: 'contract-token', expiresInDays: 30 } });
    expect((await expectAnswer(PALETTE_ROUTES.tokens, p)).tokens.map((t) => t.name)).toContain(token.name);
    expect(await expectAnswer(PALETTE_ROUTES.tokenValue, { ...p, params: { ...lab, name: token.name } })).toEqual({ name: token.name, value: token.value });
    await expectAnswer(PALETTE_ROUTES.deleteToken, { ...p, params: { ...lab, name: token.name } });
    await expectAnswer(PALETTE_ROUTES.catalog, p);
    const [image] = (await expectAnswer(PALETTE_ROUTES.registry, p)).images;
    expect(image).toMatchObject({ damaged: false });
    const repository = { ...lab, repository: image!.repository };
    expect((await expectAnswer(PALETTE_ROUTES.damageRegistryImage, { ...p, params: repository, body: {} })).image.damaged).toBe(true);
    expect((await expectAnswer(PALETTE_ROUTES.pushRegistryImage, { ...p, params: repository, body: {} })).image.damaged).toBe(false);
    await expectAnswer(PALETTE_ROUTES.profiles, p);
    await expectAnswer(PALETTE_ROUTES.edgeHosts, p);
    const { hosts } = await expectAnswer(PALETTE_ROUTES.addEdgeHosts, { ...p, body: { hostIds: ['contract-host-1'] } });
    expect(hosts.map((h) => h.hostId)).toEqual(['contract-host-1']);
    await expectAnswer(PALETTE_ROUTES.edgeHost, { ...p, params: { ...lab, id: 'contract-host-1' } });
    await expectAnswer(PALETTE_ROUTES.tagEdgeHost, { ...p, params: { ...lab, id: 'contract-host-1' }, body: { tags: { site: 'contract' } } });
    await expectAnswer(PALETTE_ROUTES.deleteEdgeHost, { ...p, params: { ...lab, id: 'contract-host-1' } });
    await expectAnswer(PALETTE_ROUTES.clusters, p);

    // A shared lab: the trainer's doors, and a member joining with an invite.
    const shared = await expectAnswer(LAB_ROUTES.openLab, { body: { scenario: 'single-node', shared: true } });
    const trainer = { params: { labId: shared.labId }, bearer: shared.token };
    const fresh = await expectAnswer(LAB_ROUTES.invite, { ...trainer, params: { labId: shared.labId, role: 'it-ops' } });
    const member = await expectAnswer(LAB_ROUTES.joinLab, { params: { labId: shared.labId }, body: { invite: fresh.invite } });
    expect(member.role).toBe('it-ops');
    const { members } = await expectAnswer(LAB_ROUTES.members, trainer);
    expect(members.map((m) => m.role)).toEqual(['it-ops']);
    await expectAnswer(LAB_ROUTES.removeMember, { ...trainer, params: { labId: shared.labId, memberId: members[0]!.memberId } });

    // A class: opened with the operator key, joined with its code, watched and closed by its trainer.
    const cls = await expectAnswer(LAB_ROUTES.openClass, { bearer: OPERATOR, body: { scenario: 'single-node', warm: 0 } });
    const asTrainer = { params: { classId: cls.classId }, bearer: cls.trainerSecret };
    const learner = await expectAnswer(LAB_ROUTES.joinClass, { params: { classId: cls.classId }, body: { code: cls.joinCode, learner: 'Ada' } });
    expect((await expectAnswer(LAB_ROUTES.classDashboard, asTrainer)).labs.map((l) => l.labId)).toContain(learner.labId);
    await expectAnswer(LAB_ROUTES.setWarm, { ...asTrainer, body: { count: 0 } });
    await expectAnswer(LAB_ROUTES.peekConsole, { ...asTrainer, params: { classId: cls.classId, labId: learner.labId, vm: 'edge-host-1' } });
    const hostOfLearner = { ...asTrainer, params: { classId: cls.classId, labId: learner.labId, vm: 'edge-host-1' } };
    expect((await expectAnswer(LAB_ROUTES.drillClassHost, { ...hostOfLearner, body: { drill: 'unplug-cable' } })).drill).toBe('unplug-cable');
    await expectAnswer(LAB_ROUTES.drillClassHost, { ...hostOfLearner, body: { drill: 'plug-cable' } });
    const walk = await expectAnswer(LAB_ROUTES.openWalkthrough, { ...asTrainer, body: {} });
    expect(Object.keys(walk.invites).sort()).toEqual(['app-owner', 'it-ops', 'site-technician', 'tenant-admin']);
    await expectAnswer(LAB_ROUTES.closeClass, asTrainer);
  });

  it('answers a refusal with the one refusal body: a code, a message, the field when one is at fault', async () => {
    const refusals = [
      await call(LAB_ROUTES.openLab, { body: { scenario: 7 } }),
      await call(LAB_ROUTES.renewSession, { params: { labId: 'lab-nope' }, body: { secret: 'x' } }),
      await call(LAB_ROUTES.openClass, { body: { scenario: 'single-node' } }),
      await call(LAB_ROUTES.view, { params: { labId: 'lab-nope' } }),
      await call(LAB_ROUTES.classDashboard, { params: { classId: 'nope' }, bearer: 'wrong' }),
    ];
    for (const r of refusals) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(refusalBodySchema.safeParse(r.body).success, JSON.stringify(r.body)).toBe(true);
    }
    expect(refusals[0]!.body).toMatchObject({ error: 'bad-request', field: 'scenario' });
  });
});
