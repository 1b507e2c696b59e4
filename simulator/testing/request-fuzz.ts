// Generated requests for the lab server, and the rule each answer must keep (issue 11): every
// route and command, under arbitrary spellings of its path, arbitrary JSON, and arbitrary Origin,
// Host and Content-Type headers, from every role. Used by simulator/server/request-fuzz.test.ts
// (the property) and by the benchmark fuzz_cases_per_s. The rule for each answer:
//   - never a 5xx;
//   - a 2xx only for a request the same route in its canonical form, by a role allowed to take
//     it, from an allowed Origin with JSON, would be served for: never for another spelling of the
//     path, a foreign Host, a change without Origin or JSON, or a role the permissions refuse.
import { ACTING_ROLES, LAB_ROLES } from '../pure/roles/vocabulary';
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { HOST_COMMANDS } from '../pure/protocol';
import { mayAct, rolesFor, type LabAction } from '../pure/roles/permissions';
import { singleNode } from '../pure/scenarios/single-node';
import type { LabServer } from '../server/lab-server';
import { startFakeLabServer } from './fake-lab-server';

const SITE_ORIGIN = 'http://127.0.0.1:3000';
const ROLES = LAB_ROLES;
type Role = (typeof ROLES)[number];

let server: LabServer;
let host: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
/** Each role's lab and token; `foreign` is a lab none of them holds. */
const seats = {} as Record<Role, { labId: string; token: string }>;
let foreignLab = '';

async function post(path: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', origin: server.url, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`setup: POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/**
 * Starts the lab server under test (fake VMs, real HTTP and SQLite) with a solo lab and a shared lab
 * with one member per role. One target per process: the generators read its labs.
 */
export async function startFuzzTarget(): Promise<{ url: string; close: () => Promise<void> }> {
  const started = await startFakeLabServer({ prepareCheckpoints: false });
  server = started.server;
  host = new URL(server.url).host;
  const solo = await post('/labs', { scenario: 'single-node' });
  seats.solo = { labId: solo.labId, token: solo.token };
  const shared = await post('/labs', { scenario: 'single-node', shared: true });
  seats.trainer = { labId: shared.labId, token: shared.token };
  for (const role of ACTING_ROLES) {
    const joined = await post(`/labs/${shared.labId}/join`, { invite: shared.invites[role] });
    seats[role] = { labId: shared.labId, token: joined.token };
  }
  foreignLab = (await post('/labs', { scenario: 'single-node' })).labId;
  return { url: server.url, close: async () => { agent.destroy(); await started.close(); } };
}

// ---------------------------------------------------------------- the routes and their oracle

/** A route: how to build its canonical path and body, and what the permissions say of it. */
interface Route {
  method: string;
  /** Literal segments and `:param`s; params are filled from the case's lab and names. */
  path: string;
  /** A body the route would take (or undefined for none). */
  body?: (names: Names) => unknown;
  /** The action the role check guards, if any; `open` = no lab token needed. */
  action?: (body: unknown) => LabAction | 'open' | 'never-open' | 'host-command' | 'trainer-only';
}

interface Names { lab: string; name: string; hostId: string; vm: string; version: string }

const palette = (method: string, rest: string, body?: Route['body']): Route => ({
  method, path: `/labs/:lab/palette/v1${rest}`, ...(body ? { body } : {}),
  action: () => ({ kind: 'palette', method, path: rest.replace(/:name|:hostId|:version/g, 'x') }),
});

const ROUTES: Route[] = [
  { method: 'GET', path: '/healthz', action: () => 'open' },
  { method: 'GET', path: '/scenarios', action: () => 'open' },
  { method: 'POST', path: '/labs', body: () => ({ scenario: 'single-node' }), action: () => 'open' },
  // Opening classes needs the operator's credential, which no generated request carries.
  { method: 'POST', path: '/classes', body: () => ({ scenario: 'single-node', warm: 50 }), action: () => 'never-open' },
  { method: 'GET', path: '/classes/:name', action: () => 'never-open' },
  { method: 'DELETE', path: '/classes/:name', action: () => 'never-open' },
  { method: 'GET', path: '/labs/:lab/members', action: () => 'trainer-only' },
  { method: 'POST', path: '/labs/:lab/invites/:role', action: () => 'trainer-only' },
  { method: 'DELETE', path: '/labs/:lab/members/:name', action: () => 'trainer-only' },
  { method: 'POST', path: '/labs/:lab/join', body: () => ({ invite: 'not-an-invite' }), action: () => 'never-open' },
  { method: 'POST', path: '/labs/:lab/session', body: () => ({ secret: 'not-a-secret' }), action: () => 'never-open' },
  { method: 'GET', path: '/labs/:lab' },
  { method: 'GET', path: '/labs/:lab/view' },
  { method: 'GET', path: '/labs/:lab/place' },
  { method: 'GET', path: '/labs/:lab/events' },
  { method: 'GET', path: '/labs/:lab/installers' },
  { method: 'GET', path: '/labs/:lab/hosts/:vm/console' },
  { method: 'POST', path: '/labs/:lab/installers', body: () => ({ userData: singleNode.userData }), action: () => ({ kind: 'build-installer' }) },
  { method: 'GET', path: '/labs/:lab/site-sticks' },
  { method: 'POST', path: '/labs/:lab/site-sticks', body: () => ({ userData: '#cloud-config\nstylus:\n  site:\n    tags: { store: "42" }\n' }), action: () => ({ kind: 'build-site-stick' }) },
  { method: 'GET', path: '/labs/:lab/lan' },
  { method: 'POST', path: '/labs/:lab/lan/devices', body: () => ({ ip: '10.77.0.100' }), action: () => ({ kind: 'lan' }) },
  { method: 'DELETE', path: '/labs/:lab/lan/devices/:name', action: () => ({ kind: 'lan' }) },
  { method: 'POST', path: '/labs/:lab/lan/time-server', body: () => ({ on: true }), action: () => ({ kind: 'lan' }) },
  { method: 'POST', path: '/labs/:lab/jump', body: () => ({ phase: 'not-a-phase' }), action: () => ({ kind: 'lab', name: 'JUMP' }) },
  {
    method: 'POST', path: '/labs/:lab/commands',
    body: (n) => ({ target: { kind: 'host', hostId: n.vm }, name: 'POWER_ON' }),
    action: (b) => {
      const t = (b as { target?: { kind?: unknown } } | null)?.target?.kind;
      const name = (b as { name?: unknown } | null)?.name;
      return t === 'lab' ? { kind: 'lab', name: String(name) } : 'host-command';
    },
  },
  palette('GET', '/catalog'),
  palette('GET', '/projects'),
  palette('POST', '/projects', () => ({ name: 'Fuzz' })),
  palette('GET', '/tokens'),
  palette('POST', '/tokens', (n) => ({ name: n.name })),
  palette('DELETE', '/tokens/:name'),
  palette('GET', '/profiles'),
  palette('POST', '/profiles', () => singleNode.profile),
  palette('GET', '/profiles/:name'),
  palette('DELETE', '/profiles/:name'),
  palette('GET', '/profiles/:name/:version'),
  palette('DELETE', '/profiles/:name/:version'),
  palette('GET', '/edgehosts'),
  palette('POST', '/edgehosts', (n) => ({ hostIds: [n.hostId] })),
  palette('GET', '/edgehosts/:hostId'),
  palette('DELETE', '/edgehosts/:hostId'),
  palette('PUT', '/edgehosts/:hostId/tags', () => ({ tags: { site: 'fuzz' } })),
  palette('GET', '/clusters'),
  palette('POST', '/clusters', () => ({ name: 'fuzz', profile: singleNode.profile.name })),
  palette('GET', '/clusters/:name'),
  palette('DELETE', '/clusters/:name'),
];

/** Whether a role may take this route with this body, as the permissions module says. */
function permitted(route: Route, role: Role | 'none', body: unknown): boolean {
  const action = route.action?.(body);
  if (action === 'open') return true;
  if (action === 'never-open') return false;
  if (role === 'none') return false;
  if (action === undefined) return true;
  if (action === 'trainer-only') return role === 'trainer';
  if (action === 'host-command') return ['solo', 'trainer', 'it-ops', 'site-technician'].includes(role);
  if (action.kind === 'lab') {
    const allowed = rolesFor(action);
    return role === 'solo' || role === 'trainer' || (Array.isArray(allowed) && allowed.includes(role)) || allowed === 'anyone';
  }
  return mayAct(role, action).ok;
}

// ---------------------------------------------------------------- generated requests

type Mutation =
  | { kind: 'encode'; at: number; upper: boolean }
  | { kind: 'double-slash'; at: number }
  | { kind: 'dot'; at: number }
  | { kind: 'dot-dot'; at: number }
  | { kind: 'case'; at: number }
  | { kind: 'trailing-slash' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('encode' as const), at: fc.nat(), upper: fc.boolean() }),
  fc.record({ kind: fc.constant('double-slash' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dot' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dot-dot' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('case' as const), at: fc.nat() }),
  fc.constant({ kind: 'trailing-slash' as const }),
);

/** Applies one mutation to a canonical path; the literal segments are the ones whose case changes. */
function mutate(path: string, m: Mutation, literals: readonly number[]): string {
  const segs = path.split('/');
  const slashes = [...path].flatMap((ch, i) => (ch === '/' ? [i] : []));
  switch (m.kind) {
    case 'encode': {
      const i = m.at % path.length;
      const hex = path.charCodeAt(i).toString(16).padStart(2, '0');
      return `${path.slice(0, i)}%${m.upper ? hex.toUpperCase() : hex.toLowerCase()}${path.slice(i + 1)}`;
    }
    case 'double-slash': { const i = slashes[m.at % slashes.length]!; return `${path.slice(0, i)}/${path.slice(i)}`; }
    case 'dot': { const i = slashes[m.at % slashes.length]!; return `${path.slice(0, i)}/.${path.slice(i)}`; }
    case 'dot-dot': { const i = slashes[m.at % slashes.length]!; return `${path.slice(0, i)}/zz/..${path.slice(i)}`; }
    case 'trailing-slash': return `${path}/`;
    case 'case': {
      if (literals.length === 0) return path;
      const s = literals[m.at % literals.length]!;
      const seg = segs[s];
      // An earlier mutation may have merged segments; then there is nothing to flip here.
      if (seg === undefined) return path;
      const flipped = seg.toUpperCase() === seg ? seg.toLowerCase() : seg.toUpperCase();
      return flipped === seg ? path : [...segs.slice(0, s), flipped, ...segs.slice(s + 1)].join('/');
    }
  }
}

const deepJson = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const bodyArb = (route: Route): fc.Arbitrary<{ kind: 'route' } | { kind: 'raw'; text: string } | { kind: 'none' }> => fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'route' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'raw' as const, text: JSON.stringify(v) ?? 'null' })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('null', '[]', '{}', '1e999999', '-0', '"x"', 'true', '{"a":', '\u0000', deepJson(3000), `{"scenario":"single-node","x":${'9'.repeat(400)}}`)
      .map((text) => ({ kind: 'raw' as const, text })),
  },
  // The route's own body with one field replaced by anything.
  {
    weight: 2,
    arbitrary: fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map(([k, v]) => {
      const base = route.body?.({ lab: 'x', name: 'fuzz', hostId: 'edge-fuzz', vm: 'edge-host-1', version: '1.0.0' });
      const obj = typeof base === 'object' && base !== null ? { ...(base as object) } as Record<string, unknown> : {};
      const keys = Object.keys(obj);
      obj[keys.length > 0 && k.length % 2 === 0 ? keys[k.length % keys.length]! : k] = v;
      return { kind: 'raw' as const, text: JSON.stringify(obj) };
    }),
  },
);

export interface Case {
  route: Route;
  role: Role | 'none';
  token: 'own' | 'none' | 'garbage' | 'other-lab';
  labOf: 'own' | 'foreign';
  names: { name: string; hostId: string; vm: string; version: string; className: string; role: string };
  mutations: Mutation[];
  body: { kind: 'route' } | { kind: 'raw'; text: string } | { kind: 'none' };
  origin: 'server' | 'site' | 'none' | 'foreign' | 'null' | 'two';
  contentType: 'json' | 'json-charset' | 'JSON' | 'text' | 'form' | 'none';
  hostHeader: 'right' | 'localhost' | 'foreign' | 'ip-other-port';
  command?: { target: 'host' | 'lab' | 'other-host'; name: string };
}

export const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...ROUTES).chain((route) => fc.record({
  route: fc.constant(route),
  role: fc.constantFrom<Role | 'none'>(...ROLES, 'none'),
  token: fc.constantFrom<Case['token']>('own', 'own', 'own', 'own', 'none', 'garbage', 'other-lab'),
  labOf: fc.constantFrom<Case['labOf']>('own', 'own', 'own', 'foreign'),
  names: fc.record({
    name: fc.constantFrom('edge-lab-token', 'fuzz', 'Retail-East', singleNode.profile.name, 'x'),
    hostId: fc.constantFrom('edge-host-1', 'edge-fuzz', 'edge-0123456789abcdef'),
    vm: fc.constantFrom('edge-host-1', 'edge-host-2', 'nope'),
    version: fc.constantFrom('1.0.0', singleNode.profile.version, '9'),
    className: fc.constantFrom('class-abc', 'x'),
    role: fc.constantFrom('app-owner', 'tenant-admin', 'king'),
  }),
  mutations: fc.oneof({ weight: 3, arbitrary: fc.constant([] as Mutation[]) }, { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
  body: bodyArb(route),
  origin: fc.constantFrom<Case['origin']>('server', 'server', 'site', 'none', 'foreign', 'null', 'two'),
  contentType: fc.constantFrom<Case['contentType']>('json', 'json', 'json-charset', 'JSON', 'text', 'form', 'none'),
  hostHeader: fc.constantFrom<Case['hostHeader']>('right', 'right', 'right', 'localhost', 'foreign', 'ip-other-port'),
  command: fc.record({
    target: fc.constantFrom<'host' | 'lab' | 'other-host'>('host', 'lab', 'other-host'),
    // RESTART and JUMP are left to their own tests: a generated one would restart the shared lab under the others.
    name: fc.constantFrom(...HOST_COMMANDS, 'CHECK', 'HAND_OFF', 'NOT_A_COMMAND', 'power_on'),
  }),
}));

interface Sent { method: string; path: string; canonical: string; headers: Record<string, string | string[]>; body?: string; parsedBody: unknown }

function build(c: Case): Sent {
  const seat = c.role === 'none' ? seats.solo : seats[c.role];
  const lab = c.labOf === 'own' ? seat.labId : foreignLab;
  const canonical = c.route.path
    .replace(':lab', lab).replace(':name', c.names.name).replace(':hostId', c.names.hostId)
    .replace(':vm', c.names.vm).replace(':role', c.names.role).replace(':version', c.names.version).replace(/\/classes\/:name/, `/classes/${c.names.className}`);
  const segs = c.route.path.split('/');
  const literals = segs.flatMap((s, i) => (s !== '' && !s.startsWith(':') ? [i] : []));
  let path = canonical;
  for (const m of c.mutations) path = mutate(path, m, literals);

  let parsedBody: unknown;
  let body: string | undefined;
  if (c.body.kind === 'route' && c.route.body) {
    parsedBody = c.route.body({ lab, ...c.names });
    if (c.route.path.endsWith('/commands') && c.command) {
      const target = c.command.target === 'lab' ? { kind: 'lab' } : { kind: 'host', hostId: c.command.target === 'host' ? 'edge-host-1' : 'edge-host-9' };
      parsedBody = { target, name: c.command.name, ...(c.command.name === 'INSERT_USB' ? { args: { image: 'nope' } } : {}) };
    }
    body = JSON.stringify(parsedBody);
  } else if (c.body.kind === 'raw') {
    body = c.body.text;
    try { parsedBody = JSON.parse(body); } catch { parsedBody = undefined; }
  }

  const headers: Record<string, string | string[]> = {};
  const port = new URL(server.url).port;
  headers.host = { right: host, localhost: `localhost:${port}`, foreign: 'evil.example', 'ip-other-port': '127.0.0.1:1' }[c.hostHeader];
  const origin = { server: server.url, site: SITE_ORIGIN, none: undefined, foreign: 'http://evil.example', null: 'null', two: [server.url, 'http://evil.example'] }[c.origin];
  if (origin !== undefined) headers.origin = origin;
  const type = { json: 'application/json', 'json-charset': 'application/json; charset=utf-8', JSON: 'APPLICATION/JSON', text: 'text/plain', form: 'application/x-www-form-urlencoded', none: undefined }[c.contentType];
  if (type !== undefined) headers['content-type'] = type;
  const token = c.role === 'none' ? undefined : { own: seat.token, none: undefined, garbage: 'v1.garbage.token', 'other-lab': seats.solo.labId === seat.labId ? seats.trainer.token : seats.solo.token }[c.token];
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return { method: c.route.method, path, canonical, headers, ...(body !== undefined ? { body } : {}), parsedBody };
}

/** What the server must refuse whatever the route: the one rule each header or spelling breaks. */
function mustRefuse(c: Case, s: Sent): string | null {
  if (s.path !== s.canonical) return 'the path is not in its canonical spelling';
  if (c.hostHeader === 'foreign' || c.hostHeader === 'ip-other-port') return 'the Host is not this server';
  const changing = s.method !== 'GET';
  if (changing && !['server', 'site'].includes(c.origin)) return 'a change without an allowed Origin';
  if (changing && s.body !== undefined && s.body !== '' && !['json', 'json-charset', 'JSON'].includes(c.contentType)) return 'a body that is not declared JSON';
  const needsToken = c.route.path.startsWith('/labs/:lab') && !/\/(join|session)$/.test(c.route.path);
  if (needsToken && (c.role === 'none' || c.token !== 'own')) return 'no valid token for this lab';
  if (needsToken && c.labOf === 'foreign') return "the token is for another lab";
  if (!permitted(c.route, c.role, s.parsedBody)) return `role ${c.role} may not take ${c.route.method} ${c.route.path}`;
  return null;
}

function send(s: Sent): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const headers = { ...s.headers, ...(s.body !== undefined ? { 'content-length': String(Buffer.byteLength(s.body)) } : {}) };
    const req = httpRequest({ host: hostname, port, method: s.method, path: s.path, headers, setHost: false, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(s.body);
  });
}

/** Sends one generated request; the answer, and the rule it broke (null when it kept them all). */
export async function tryCase(c: Case): Promise<{ status: number; problem: string | null }> {
  const s = build(c);
  const r = await send(s);
  const where = `${s.method} ${s.path} (role ${c.role}, origin ${c.origin}, host ${c.hostHeader}, type ${c.contentType}) → ${r.status} ${r.body.slice(0, 300)}`;
  if (r.status >= 500) return { status: r.status, problem: `a 5xx: ${where}` };
  const rule = r.status >= 200 && r.status < 300 ? mustRefuse(c, s) : null;
  return { status: r.status, problem: rule ? `served although ${rule}: ${where}` : null };
}
