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

/** A GET over TLS that trusts only the test's certificate. */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', servername: 'localhost', port, path, ca: cert, headers: { host: `localhost:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

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
});
