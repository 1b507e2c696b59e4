import { request, Agent } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from './main';

// Real HTTP on 127.0.0.1 with a free port; every server is closed after its test.
const servers: LabServer[] = [];
const start = async (opts: Parameters<typeof startLabServer>[0] = {}): Promise<LabServer> => {
  const s = await startLabServer({ port: 0, ...opts });
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const agentBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  hostId: 'edge-store-1',
  token: 'lab-token-1',
  projectName: '',
  autoRegister: true,
  hostName: 'store-1',
  tags: 'region=east',
  ip: '10.0.2.15',
  mac: '52:54:00:a0:00:01',
  arch: 'amd64',
  cpus: 1,
  memoryMb: 481,
  os: 'Edge Lab guest',
  ...over,
});

async function call(s: LabServer, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

describe('startLabServer', () => {
  it('listens on 127.0.0.1, reports its URL and port, and answers /healthz', async () => {
    const s = await start();
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    const r = await call(s, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json).toEqual({ ok: true });
  });

  it('registers a host; the host list shows it; its heartbeat is recorded', async () => {
    let now = 1_000;
    const s = await start({ now: () => now });
    expect(await call(s, 'POST', '/v1/edge/hosts/register', agentBody())).toMatchObject({ status: 200, json: { status: 'registered', project: 'Default' } });
    now = 2_000;
    expect(await call(s, 'POST', '/v1/edge/hosts/edge-store-1/heartbeat', { hostId: 'edge-store-1', ip: '10.0.2.15' })).toMatchObject({ status: 200, json: { status: 'ok' } });
    const list = await call(s, 'GET', '/v1/edge/hosts');
    expect(list.status).toBe(200);
    expect(list.json.hosts).toEqual([
      expect.objectContaining({ hostId: 'edge-store-1', state: 'registered', project: 'Default', tags: { region: 'east' }, registeredAt: 1_000, lastHeartbeatAt: 2_000 }),
    ]);
  });

  it('manual registration: pending until approved by ID, then registered', async () => {
    const s = await start();
    const body = agentBody({ hostId: 'edge-manual', autoRegister: false });
    expect((await call(s, 'POST', '/v1/edge/hosts/register', body)).json).toEqual({ status: 'pending' });
    expect((await call(s, 'POST', '/v1/edge/hosts/register', body)).json).toEqual({ status: 'pending' });
    expect((await call(s, 'GET', '/v1/edge/hosts')).json.hosts).toEqual([expect.objectContaining({ hostId: 'edge-manual', state: 'pending' })]);

    const approved = await call(s, 'POST', '/v1/edge/hosts/edge-manual/approve');
    expect(approved.status).toBe(200);
    expect(approved.json).toMatchObject({ status: 'registered', host: { hostId: 'edge-manual', state: 'registered' } });
    expect((await call(s, 'POST', '/v1/edge/hosts/register', body)).json).toEqual({ status: 'registered', project: 'Default' });
    expect((await call(s, 'POST', '/v1/edge/hosts/edge-nobody/approve')).status).toBe(404);
  });

  it('answers refusals with 200 and a status, as the agent needs', async () => {
    const s = await start({ tokens: [{ token: 'shop-token', project: 'Shops' }] });
    expect(await call(s, 'POST', '/v1/edge/hosts/register', agentBody())).toMatchObject({ status: 200, json: { status: 'refused', code: 'token-unknown' } });
    expect(await call(s, 'POST', '/v1/edge/hosts/register', agentBody({ token: 'shop-token' }))).toMatchObject({ status: 200, json: { status: 'registered', project: 'Shops' } });
    expect(await call(s, 'POST', '/v1/edge/hosts/register', agentBody({ token: 'shop-token', mac: '52:54:00:a0:00:02' }))).toMatchObject({
      status: 200,
      json: { status: 'refused', code: 'duplicate-host-id' },
    });
  });

  it('answers 400 to bad JSON and to a malformed body, naming the field', async () => {
    const s = await start();
    const bad = await call(s, 'POST', '/v1/edge/hosts/register', '{"hostId": ');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'bad-request', message: expect.stringMatching(/not valid JSON/) });
    expect(await call(s, 'POST', '/v1/edge/hosts/register', agentBody({ cpus: 'two' }))).toMatchObject({ status: 400, json: { error: 'bad-request', field: 'cpus' } });
    expect(await call(s, 'POST', '/v1/edge/hosts/edge-store-1/heartbeat', 'nope')).toMatchObject({ status: 400, json: { error: 'bad-request' } });
    expect((await call(s, 'GET', '/v1/edge/hosts')).json).toEqual({ hosts: [] });
  });

  it('answers 404 to unknown paths, 405 to wrong methods and 413 to huge bodies', async () => {
    const s = await start();
    expect(await call(s, 'GET', '/v1/nothing')).toMatchObject({ status: 404, json: { error: 'not-found' } });
    const wrong = await call(s, 'GET', '/v1/edge/hosts/register');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await call(s, 'POST', '/v1/edge/hosts')).status).toBe(405);
    expect((await call(s, 'POST', '/v1/edge/hosts/register', `"${'x'.repeat(100_000)}"`)).status).toBe(413);
    expect((await call(s, 'POST', '/v1/edge/hosts/bad%zz/heartbeat', {})).json).toMatchObject({ error: 'bad-request', field: 'path' });
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to bind to %s', async (host) => {
    await expect(startLabServer({ host, port: 0 })).rejects.toThrow(/^\[lab-server\] refusing to listen on .*loopback address \(127\.0\.0\.1, ::1, localhost\)/);
  });

  it('rejects an invalid port and a port in use with a [lab-server] error', async () => {
    await expect(startLabServer({ port: 70_000 })).rejects.toThrow(/^\[lab-server\] invalid port 70000/);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startLabServer({ port })).rejects.toThrow(new RegExp(`^\\[lab-server\\] cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('close() drops keep-alive connections, resolves promptly and can be called again', async () => {
    const s = await startLabServer({ port: 0 });
    const agent = new Agent({ keepAlive: true });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${s.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      const started = Date.now();
      await s.close();
      expect(Date.now() - started).toBeLessThan(1_000);
      await s.close();
      await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });
});
