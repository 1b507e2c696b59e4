// The shipped Caddyfile (simulator/server/room/Caddyfile), run by the real `caddy` (Debian's) in
// front of a room-mode lab server (fake VMs), as README's "Run a class" has a trainer run them,
// only on free high ports of this test's own: Caddy's HTTPS and redirect ports from the
// Caddyfile's environment settings, its admin endpoint off, its data (its certificate authority)
// and config in a temp directory. Clients trust only that authority's root certificate. Pages, the
// API, its refusals and its WebSockets must come through as the lab server answers them directly,
// and a learner on another computer (a network namespace of the test's own) must be counted by
// the lab server's rate limits under their own address, from Caddy's X-Forwarded-For.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabServer } from '../lab-server';
import { startFakeLabServer } from '../../testing/fake-lab-server';
import { createTestNetns } from '../../testing/netns';
import { DOOR_ATTEMPTS_PER_MINUTE } from '../door-limits';
import { PROTOCOL_VERSION } from '../../pure/protocol';

const CADDYFILE = fileURLToPath(new URL('./Caddyfile', import.meta.url));
const NAME = 'lab.caddy-room.test';
const THEME_SCRIPT = '!function(){document.documentElement.dataset.theme="light"}()';
const INSTALL_CADDY = 'Install Debian\'s caddy package (as root: apt-get install caddy); `npm test` installs it with the other test prerequisites (simulator/setup/bootstrap.sh)';

let dir = '';
let caddy: ChildProcess | undefined;
let caddyLog = '';
let server: LabServer;
let closeServer: (() => Promise<void>) | undefined;
let httpsPort = 0;
let httpPort = 0;
let publicUrl = '';
let host = '';
let rootCa: Buffer;
const clock = Date.now();
const killOnExit = (): void => { caddy?.kill('SIGKILL'); };

beforeAll(async () => {
  const version = spawnSync('caddy', ['version'], { encoding: 'utf8' });
  if (version.error) {
    throw new Error(`[caddy-proxy.test] cannot run \`caddy\` (${(version.error as NodeJS.ErrnoException).code ?? version.error.message}): this test runs the shipped Caddyfile with the real Caddy. ${INSTALL_CADDY}.`);
  }
  dir = await mkdtemp(join(tmpdir(), 'edge-lab-caddy-proxy-'));
  const site = join(dir, 'site');
  await mkdir(join(site, 'model-cluster-profile'), { recursive: true });
  // Long enough (> 1 KiB) that the page is sent compressed to a client that accepts gzip.
  const page = (title: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><script>${THEME_SCRIPT}</script>${'<p>Model a cluster profile.</p>'.repeat(80)}</body></html>`;
  await writeFile(join(site, 'index.html'), page('Home'));
  await writeFile(join(site, 'model-cluster-profile', 'index.html'), page('Model'));
  await writeFile(join(site, '404.html'), page('Not found'));

  // Caddy listens on every interface, as in a class: its ports must be free on all of them
  // (HTTP/3 takes the HTTPS port over UDP too).
  httpsPort = await freePort(true);
  httpPort = await freePort(false);
  host = `${NAME}:${httpsPort}`;
  publicUrl = `https://${host}`;
  ({ server, close: closeServer } = await startFakeLabServer({ host: '127.0.0.1', now: () => clock, room: { publicUrl, siteDir: site } }));

  for (const d of ['home', 'data', 'config']) await mkdir(join(dir, d));
  process.once('exit', killOnExit);
  caddy = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // Caddy keeps its certificate authority in $XDG_DATA_HOME/caddy, its autosaved config in $XDG_CONFIG_HOME/caddy.
      HOME: join(dir, 'home'), XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'),
      EDGE_LAB_HOST: host, EDGE_LAB_UPSTREAM_PORT: String(server.port), EDGE_LAB_HTTP_PORT: String(httpPort), EDGE_LAB_CADDY_ADMIN: 'off',
    },
  });
  const keep = (d: Buffer): void => { caddyLog = (caddyLog + d.toString('utf8')).slice(-8000); };
  caddy.stdout?.on('data', keep);
  caddy.stderr?.on('data', keep);
  const exited = new Promise<never>((_resolve, reject) => {
    caddy!.once('exit', (code, signal) => reject(new Error(`[caddy-proxy.test] caddy exited (${signal ?? `code ${code}`}) before serving the room:\n${caddyLog}`)));
  });
  exited.catch(() => undefined);
  await Promise.race([exited, caddyServing()]);
}, 30_000);

afterAll(async () => {
  const problems: string[] = [];
  if (caddy) {
    const gone = await stop(caddy);
    if (!gone) problems.push(`caddy (pid ${caddy.pid}) did not exit after SIGTERM and SIGKILL`);
  }
  process.off('exit', killOnExit);
  await closeServer?.().catch((err: unknown) => problems.push(`closing the lab server: ${String(err)}`));
  if (dir) await rm(dir, { recursive: true, force: true });
  if (problems.length) throw new Error(`[caddy-proxy.test] ${problems.join('; ')}`);
});

/** Resolves once Caddy has made its certificate authority and answers the room's health check over HTTPS. */
async function caddyServing(): Promise<void> {
  const rootFile = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      rootCa = await readFile(rootFile);
      const r = await viaCaddy('GET', '/api/healthz');
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`[caddy-proxy.test] Caddy did not serve https://${host}/api/healthz within 20 s (last: ${last}); its log:\n${caddyLog}`);
}

async function stop(p: ChildProcess): Promise<boolean> {
  if (p.exitCode !== null || p.signalCode !== null) return true;
  const exited = new Promise<boolean>((resolve) => p.once('exit', () => resolve(true)));
  const within = (ms: number): Promise<boolean> => Promise.race([exited, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
  p.kill('SIGTERM');
  if (await within(5_000)) return true;
  p.kill('SIGKILL');
  return within(5_000);
}

/** A port free now on every interface (over TCP, and over UDP too when `udp`). */
async function freePort(udp: boolean): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen({ port: 0 }, () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    if (!udp) return port;
    const free = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind({ port }, () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('[caddy-proxy.test] no free port');
}

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; text: string }

/** A request through Caddy, as a browser on this machine sends it to the public URL: SNI and Host the room's name, trusting only Caddy's root. */
function viaCaddy(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  return send(httpsRequest, { port: httpsPort, servername: NAME, ca: rootCa }, method, path, headers, body);
}

/** The same request straight to the lab server's port (what Caddy forwards to). */
function direct(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  return send(httpRequest, { port: server.port }, method, path, headers, body);
}

function send(
  request: typeof httpRequest, where: Record<string, unknown>, method: string, path: string, headers: Record<string, string>, body?: unknown,
): Promise<Answer> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', ...where, method, path, agent: false, setHost: false,
      headers: { host, ...(text !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => { const b = Buffer.concat(chunks); resolve({ status: res.statusCode ?? 0, headers: res.headers, body: b, text: b.toString('utf8') }); });
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(text);
  });
}

let labMade: Promise<{ labId: string; token: string }> | undefined;
/** A lab of the room, opened once through Caddy with the operator key. */
function lab(): Promise<{ labId: string; token: string }> {
  labMade ??= (async () => {
    const r = await viaCaddy('POST', '/api/labs', { origin: publicUrl, authorization: `Bearer ${server.operator.secret}` }, { scenario: 'single-node' });
    expect(r.status).toBe(201);
    return JSON.parse(r.text) as { labId: string; token: string };
  })();
  return labMade;
}

/** Opens a lab socket and resolves with its first message, or with the status of a refused upgrade. */
function socket(url: string, o: WebSocket.ClientOptions): Promise<{ first: string } | { refused: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: 10_000, ...o });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION })));
    ws.once('message', (m) => { resolve({ first: String(m) }); ws.close(); });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ refused: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}

describe('Caddy (the shipped Caddyfile) in front of a room', () => {
  it('serves pages over HTTPS with a certificate from its own authority, and the lab server\'s security headers', async () => {
    const r = await viaCaddy('GET', '/model-cluster-profile');
    expect(r.status).toBe(200);
    expect(r.headers.server).toBe('Caddy');
    expect(r.text).toContain('<title>Model</title>');
    expect(r.text).toContain(`<meta name="edge-lab:public-url" content="${publicUrl}">`);
    expect(r.text).toContain('<meta name="edge-lab:api" content="/api">');
    const hash = createHash('sha256').update(THEME_SCRIPT).digest('base64');
    expect(r.headers['content-security-policy']).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(r.headers['content-security-policy']).toBe((await direct('GET', '/model-cluster-profile')).headers['content-security-policy']);
    expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });

    // A browser asks for gzip: the page arrives compressed and whole.
    const zipped = await viaCaddy('GET', '/model-cluster-profile', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(r.text);

    const missing = await viaCaddy('GET', '/no-such-guide');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<title>Not found</title>');
  });

  it('redirects http:// on its HTTP port to the public https:// URL', async () => {
    const r = await send(httpRequest, { port: httpPort }, 'GET', '/class?x=1', { host: NAME });
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe(`${publicUrl}/class?x=1`);
  });

  it('answers /api/healthz, and passes the API\'s refusals through as the lab server gives them', async () => {
    const health = await viaCaddy('GET', '/api/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ ok: true });
    expect(health.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });

    const noKey = await viaCaddy('POST', '/api/classes', { origin: publicUrl }, { scenario: 'single-node' });
    expect(noKey.status).toBe(401);
    expect(noKey.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(noKey.text)).toMatchObject({ error: 'no-operator', message: expect.stringContaining('operator key') });
    expect(noKey.headers['x-content-type-options']).toBe('nosniff');

    const foreign = await viaCaddy('POST', '/api/classes', { origin: 'https://evil.example' }, { scenario: 'single-node' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.text)).toMatchObject({ error: 'foreign-origin' });
  });

  it('compresses the API\'s answers for a client that accepts gzip (the lab server does not)', async () => {
    const { labId, token } = await lab();
    const asked = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };
    const straight = await direct('GET', `/api/labs/${labId}/view`, asked);
    expect(straight.status).toBe(200);
    expect(straight.headers['content-encoding']).toBeUndefined();
    expect(straight.body.length).toBeGreaterThan(512); // Caddy compresses answers from 512 bytes
    const zipped = await viaCaddy('GET', `/api/labs/${labId}/view`, asked);
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(straight.text));
  });

  it('carries a lab\'s WebSocket under /api, and refuses the ones the lab server refuses, with its status', async () => {
    const { labId, token } = await lab();
    const tls = { ca: rootCa, servername: NAME };
    const wss = (path: string): string => `wss://127.0.0.1:${httpsPort}${path}`;
    const ws = (path: string): string => `ws://127.0.0.1:${server.port}${path}`;

    const opened = await socket(wss(`/api/labs/${labId}/socket?token=${encodeURIComponent(token)}`), { ...tls, headers: { host, origin: publicUrl } });
    expect('first' in opened && JSON.parse(opened.first)).toMatchObject({ type: 'welcome' });

    const refusals: Array<[string, string, string, number]> = [
      ['a forged token', `/api/labs/${labId}/socket?token=forged`, publicUrl, 401],
      ['another site\'s page', `/api/labs/${labId}/socket?token=${encodeURIComponent(token)}`, 'https://evil.example', 403],
      ['a socket outside /api', `/labs/${labId}/socket?token=${encodeURIComponent(token)}`, publicUrl, 400],
    ];
    for (const [what, path, origin, status] of refusals) {
      const through = await socket(wss(path), { ...tls, headers: { host, origin } });
      const straight = await socket(ws(path), { headers: { host, origin } });
      expect(straight, what).toMatchObject({ refused: status });
      expect(through, what).toEqual(straight);
    }
  });

  it('has the lab server count a learner on another computer under their own address, from Caddy\'s X-Forwarded-For', async (ctx) => {
    const made = await createTestNetns();
    if (!made.ok) return ctx.skip(made.reason);
    const netns = made.netns;
    try {
      // The learner guesses at an invite from the namespace, over the veth link, as from a classroom
      // computer; each attempt claims another address in X-Forwarded-For, which Caddy must drop.
      const attempts = Array.from({ length: DOOR_ATTEMPTS_PER_MINUTE + 1 }, (_v, i) => ({
        method: 'POST', path: '/api/labs/lab-nope/join', body: JSON.stringify({ invite: 'guess' }),
        headers: { host, origin: publicUrl, 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
      }));
      const statuses = await learner(netns.name, { address: netns.hostAddress, port: httpsPort, servername: NAME, ca: rootCa.toString('utf8'), requests: attempts });
      expect(statuses).toEqual([...Array<number>(DOOR_ATTEMPTS_PER_MINUTE).fill(404), 429]);
      // Caddy reaches the lab server from 127.0.0.1 for everyone: another learner (this machine) still gets in.
      const other = await viaCaddy('POST', '/api/labs/lab-nope/join', { origin: publicUrl }, { invite: 'guess' });
      expect(other.status).toBe(404);
      const again = await learner(netns.name, { address: netns.hostAddress, port: httpsPort, servername: NAME, ca: rootCa.toString('utf8'), requests: attempts.slice(0, 1) });
      expect(again).toEqual([429]);
    } finally {
      await netns.remove();
    }
  }, 30_000);
});

interface LearnerRequests {
  address: string;
  port: number;
  servername: string;
  ca: string;
  requests: Array<{ method: string; path: string; body: string; headers: Record<string, string> }>;
}

/** Node, inside the namespace, sends the requests one after another over HTTPS; resolves with their statuses. */
async function learner(netns: string, o: LearnerRequests): Promise<number[]> {
  const script = `
    import { request } from 'node:https';
    const o = JSON.parse(process.argv[1]);
    const one = (r) => new Promise((resolve, reject) => {
      const req = request({ host: o.address, port: o.port, servername: o.servername, ca: o.ca, method: r.method, path: r.path, headers: r.headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(r.body);
    });
    const out = [];
    for (const r of o.requests) out.push(await one(r));
    process.stdout.write(JSON.stringify(out));
  `;
  const { stdout } = await promisify(execFile)('ip', ['netns', 'exec', netns, process.execPath, '--input-type=module', '-e', script, JSON.stringify(o)], { timeout: 20_000 });
  return JSON.parse(stdout) as number[];
}
