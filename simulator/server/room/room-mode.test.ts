// A room-mode lab server (fake VMs): one port serving the site's pages with the lab's meta tags and
// security headers, the API under /api and the sockets under /api/labs/<id>/socket; Host and Origin
// from the public URL; no lab of one's own without the operator key; the secret doors rate-limited.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabServer } from '../lab-server';
import { startFakeLabServer } from '../../testing/fake-lab-server';
import { DOOR_ATTEMPTS_PER_MINUTE } from '../door-limits';
import { PROTOCOL_VERSION } from '../../pure/protocol';

const PUBLIC = 'http://lab.room.test:8080';
const HOST = 'lab.room.test:8080';
const THEME_SCRIPT = '!function(){document.documentElement.dataset.theme="light"}()';

let server: LabServer;
let close: (() => Promise<void>) | undefined;
let siteDir = '';
let clock = Date.now();

beforeAll(async () => {
  siteDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-site-'));
  await mkdir(join(siteDir, 'model-cluster-profile'), { recursive: true });
  await mkdir(join(siteDir, 'assets', 'js'), { recursive: true });
  const page = (title: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><script src="/assets/js/main.js" defer></script></head><body><script>${THEME_SCRIPT}</script></body></html>`;
  await writeFile(join(siteDir, 'index.html'), page('Home'));
  await writeFile(join(siteDir, 'model-cluster-profile', 'index.html'), page('Model'));
  await writeFile(join(siteDir, '404.html'), page('Not found'));
  await writeFile(join(siteDir, 'assets', 'js', 'main.js'), 'console.log(1)');
  ({ server, close } = await startFakeLabServer({ host: '127.0.0.1', now: () => clock, room: { publicUrl: PUBLIC, siteDir } }));
});
afterAll(async () => {
  await close?.();
  await rm(siteDir, { recursive: true, force: true });
});

/** A request as a browser on another machine sends it: to this port, with the public Host. */
function roomRequest(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { port } = new URL(server.url);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port, method, path, setHost: false, agent: false,
      headers: { host: HOST, ...(text !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}), ...headers },
    }, (res) => {
      let got = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { got += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: got }));
    });
    req.on('error', reject);
    if (text !== undefined) req.write(text);
    req.end();
  });
}

describe('room mode', () => {
  it('serves pages with the lab meta tags and a CSP that allows exactly their inline scripts', async () => {
    const r = await roomRequest('GET', '/model-cluster-profile');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<meta name="edge-lab:api" content="/api">');
    expect(r.body).toContain(`<meta name="edge-lab:public-url" content="${PUBLIC}">`);
    const hash = createHash('sha256').update(THEME_SCRIPT).digest('base64');
    expect(r.headers['content-security-policy']).toBe(`default-src 'self'; script-src 'self' 'sha256-${hash}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`);
    expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
    const missing = await roomRequest('GET', '/no-such-guide');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<title>Not found</title>');
    const asset = await roomRequest('GET', '/assets/js/main.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await roomRequest('GET', '/assets/../../etc/passwd')).status).toBe(404);
    expect((await roomRequest('POST', '/model-cluster-profile', { origin: PUBLIC }, {})).status).toBe(405);
  });

  it('answers the API under /api only, with the security headers, on the public Host and Origin', async () => {
    const health = await roomRequest('GET', '/api/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ ok: true });
    expect(health.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    expect((await roomRequest('GET', '/healthz')).status).toBe(404); // a page path, not the API
    expect((await roomRequest('GET', '/api/healthz', { host: 'evil.example:8080' })).status).toBe(421);
    const foreign = await roomRequest('POST', '/api/classes', { origin: 'http://127.0.0.1:3000' }, { scenario: 'single-node' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: 'foreign-origin' });
  });

  it('opens no lab of one\'s own without the operator key, and does with it', async () => {
    const refused = await roomRequest('POST', '/api/labs', { origin: PUBLIC }, { scenario: 'single-node' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'solo-labs-off', message: expect.stringMatching(/link your trainer hands out.*--allow-solo-labs/) });
    const made = await roomRequest('POST', '/api/labs', { origin: PUBLIC, authorization: `Bearer ${server.operator.secret}` }, { scenario: 'single-node' });
    expect(made.status).toBe(201);
    const { labId, token } = JSON.parse(made.body) as { labId: string; token: string };

    // Its socket is under /api too, on the public Host and Origin.
    const { port } = new URL(server.url);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/labs/${labId}/socket?token=${encodeURIComponent(token)}`, { headers: { host: HOST, origin: PUBLIC } });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION })));
    const first = await new Promise<string>((resolve, reject) => { ws.once('message', (m) => resolve(String(m))); ws.once('error', reject); });
    expect(JSON.parse(first)).toMatchObject({ type: 'welcome' });
    ws.close();
    const outside = new WebSocket(`ws://127.0.0.1:${port}/labs/${labId}/socket?token=${encodeURIComponent(token)}`, { headers: { host: HOST, origin: PUBLIC } });
    const status = await new Promise<number>((resolve) => { outside.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)); outside.once('error', () => resolve(-1)); });
    expect(status).toBe(400);
  });

  it('rate-limits the secret doors per client address (behind a proxy on this machine, per forwarded address), then lets it in again', async () => {
    const tryJoin = (address: string) => roomRequest('POST', '/api/labs/lab-nope/join', { origin: PUBLIC, 'x-forwarded-for': `203.0.113.9, ${address}` }, { invite: 'guess' });
    for (let i = 0; i < DOOR_ATTEMPTS_PER_MINUTE; i++) expect((await tryJoin('198.51.100.7')).status).toBe(404);
    const limited = await tryJoin('198.51.100.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toMatchObject({ error: 'too-many-attempts', message: expect.stringMatching(/at most 30 a minute\. Wait \d+ s/) });
    expect((await tryJoin('198.51.100.8')).status).toBe(404); // another learner is not held back
    clock += 61_000;
    expect((await tryJoin('198.51.100.7')).status).toBe(404);
  });
});
