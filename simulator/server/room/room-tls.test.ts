// Room mode serving HTTPS itself from a given certificate and key (no proxy in front): pages and
// the API answer over TLS on the public port, and the machine's own clients get a loopback port.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../lab-server';
import { startFakeLabServer } from '../../testing/fake-lab-server';

let dir = '';
let cert: Buffer;
let server: LabServer;
let close: (() => Promise<void>) | undefined;
let port = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-room-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  cert = await readFile(join(dir, 'cert.pem'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>Home</title></head><body></body></html>');
  port = await new Promise<number>((resolve) => { const p = createServer(); p.listen({ host: '127.0.0.1', port: 0 }, () => { const a = p.address() as { port: number }; p.close(() => resolve(a.port)); }); });
  ({ server, close } = await startFakeLabServer({
    host: '127.0.0.1', port, room: { publicUrl: `https://localhost:${port}`, siteDir: dir, tls: { cert, key: await readFile(join(dir, 'key.pem')) } },
  }));
});
afterAll(async () => {
  await close?.();
  await rm(dir, { recursive: true, force: true });
});

/** A request over TLS that trusts only the test's certificate, as a page of the room's origin sends it. */
function call(method: string, path: string, o: { json?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `localhost:${port}`, ...(o.json === undefined ? {} : { 'content-type': 'application/json', origin: `https://localhost:${port}` }), ...o.headers };
    const req = request({ host: '127.0.0.1', servername: 'localhost', port, path, method, ca: cert, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(o.json === undefined ? undefined : JSON.stringify(o.json));
  });
}
const get = (path: string) => call('GET', path);

describe('room mode over TLS of its own', () => {
  it('serves pages and the API over HTTPS, and gives this machine\'s clients a plain loopback port', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="edge-lab:public-url" content="https://localhost:${port}">`);
    expect(JSON.parse((await get('/api/healthz')).body)).toEqual({ ok: true });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(server.url).not.toContain(`:${port}/`);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  });

  it('keeps a session\'s secret in a Secure, HttpOnly, SameSite=Strict cookie for its renewal door only, never in the answer', async () => {
    const opened = await call('POST', '/api/labs', { json: { scenario: 'single-node' }, headers: { authorization: `Bearer ${server.operator.secret}` } });
    expect(opened.status).toBe(201);
    const lab = JSON.parse(opened.body) as { labId: string; sessionSecret: string | null; token: string };
    expect(lab.sessionSecret).toBeNull();
    expect(opened.setCookie).toHaveLength(1);
    const cookie = opened.setCookie[0]!;
    const value = /^edge-lab-session=([^;]+)/.exec(cookie)?.[1];
    expect(value).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const attributes = cookie.split(';').slice(1).map((a) => a.trim());
    expect(attributes).toEqual(expect.arrayContaining([`Path=/api/labs/${lab.labId}/session`, 'HttpOnly', 'Secure', 'SameSite=Strict']));
    expect(opened.body).not.toContain(value!);

    // The renewal door takes the cookie when the body names no secret; without it, nothing.
    const renewed = await call('POST', `/api/labs/${lab.labId}/session`, { json: {}, headers: { cookie: `edge-lab-session=${value}` } });
    expect(renewed.status).toBe(200);
    expect(JSON.parse(renewed.body)).toMatchObject({ labId: lab.labId, role: 'solo', token: expect.any(String), sessionCookie: true });
    expect((await call('POST', `/api/labs/${lab.labId}/session`, { json: {} })).status).toBe(403);
    expect((await call('POST', `/api/labs/${lab.labId}/session`, { json: {}, headers: { cookie: 'edge-lab-session=guess' } })).status).toBe(403);
  });

  it('hands the secret in the answer to this machine\'s own clients on plain HTTP, where a Secure cookie would never come back', async () => {
    const res = await fetch(`${server.url}/labs`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(server.url).origin, authorization: `Bearer ${server.operator.secret}` }, body: JSON.stringify({ scenario: 'single-node' }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { sessionSecret: unknown }).sessionSecret).toEqual(expect.any(String));
  });
});
