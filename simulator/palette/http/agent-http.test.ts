import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentBody, clusterSpec, k3sProfile, keyOf, openKit, registerHosts, withToken, type Kit } from '../test-kit';
import { createAgentHttp } from './agent-http';

const NAMES = ['api.palette.lab', 'registry.lab'];
let kit: Kit;
let app: ReturnType<typeof createAgentHttp>;
let token: string;
beforeEach(async () => {
  kit = await openKit('memory');
  token = await withToken(kit.palette);
  app = createAgentHttp(kit.palette, { endpointNames: NAMES });
});
afterEach(async () => { await kit.dispose(); });

/** As busybox wget in a guest sends it: Host is the endpoint name, no Origin. */
const request = (path: string, init: RequestInit & { key?: string; headers?: Record<string, string> } = {}) => {
  const { key, headers, ...rest } = init;
  return app.request(path, { ...rest, headers: { host: 'api.palette.lab', ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}), ...headers } });
};

const post = async (path: string, body: unknown, raw?: string, o: { key?: string; headers?: Record<string, string> } = {}) => {
  const res = await request(path, { method: 'POST', body: raw ?? JSON.stringify(body), key: o.key, headers: { 'content-type': 'application/json', ...o.headers } });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
};

/** The agent's `field` function (sed on the raw reply): the value of `"name":"…"`. */
function shellField(reply: string, name: string): string {
  const m = new RegExp(`.*"${name}":"((?:[^"\\\\]|\\\\.)*)".*`).exec(reply);
  return m ? (m[1] ?? '').replace(/\\"/g, '"') : '';
}

describe('agent endpoint', () => {
  it('registers with 200 and refuses with 200 and a status, readable by the agent shell parser', async () => {
    const ok = await post('/v1/edge/hosts/register', agentBody({ token }));
    expect(ok).toMatchObject({ status: 200, json: { status: 'registered', project: 'Default' } });
    expect(shellField(ok.text, 'hostKey')).toBe(keyOf(ok.json));
    const refused = await post('/v1/edge/hosts/register', agentBody({ hostId: 'edge-2', token: 'wrong"\\' }));
    expect(refused.status).toBe(200);
    expect(shellField(refused.text, 'status')).toBe('refused');
    expect(shellField(refused.text, 'code')).toBe('token-unknown');
    expect(shellField(refused.text, 'message')).toMatch(/^Palette does not know this registration token/);
  });

  it('answers requests the agent would never send with 400 naming the field', async () => {
    expect(await post('/v1/edge/hosts/register', { ...agentBody(), cpus: 1.5 })).toMatchObject({ status: 400, json: { error: 'bad-request', field: 'cpus', message: 'cpus: must be a whole number' } });
    expect(await post('/v1/edge/hosts/register', undefined, 'not json')).toMatchObject({ status: 400, json: { error: 'bad-request', message: expect.stringMatching(/not valid JSON/) } });
    expect(await post('/v1/edge/hosts/edge-1/heartbeat', { hostId: 'edge-2' })).toMatchObject({ status: 400, json: { field: 'hostId' } });
    const big = await post('/v1/edge/hosts/register', undefined, JSON.stringify({ pad: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    const wrong = await request('/v1/edge/hosts/register');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('takes heartbeats for a percent-encoded ID and hands out the assignment, with the host\'s key', async () => {
    const { 'edge-1': key } = await registerHosts(kit.palette, token, 1);
    expect(await post('/v1/edge/hosts/edge%2D1/heartbeat', { hostId: 'edge-1', ip: '10.0.2.15' }, undefined, { key })).toMatchObject({ status: 200, json: { status: 'ok' } });
    await kit.palette.profiles.save(k3sProfile());
    await kit.palette.clusters.create(clusterSpec());
    const hb = await post('/v1/edge/hosts/edge-1/heartbeat', { hostId: 'edge-1', wait: 25 }, undefined, { key });
    expect(hb.status).toBe(200);
    for (const [k, v] of Object.entries(hb.json)) expect(shellField(hb.text, k), k).toBe(v);
    expect(hb.json).toMatchObject({ status: 'assigned', image: `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}` });
    expect(await post('/v1/edge/hosts/edge-1/provisioning', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' }, undefined, { key })).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await post('/v1/edge/hosts/edge-1/provisioning', { hostId: 'edge-1', cluster: 'nope', step: 'image-pulled' }, undefined, { key })).toMatchObject({ status: 200, json: { status: 'refused', code: 'not-assigned' } });
  });

  it('refuses heartbeats and reports without the key, with another host\'s or a wrong one, as host-credential the agent reads', async () => {
    const keys = await registerHosts(kit.palette, token, 2);
    await kit.palette.profiles.save(k3sProfile());
    await kit.palette.clusters.create(clusterSpec());
    const forged: Array<[string, Record<string, string>]> = [
      ['no key', {}],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['another scheme', { authorization: `Basic ${keys['edge-1']}` }],
      ['edge-2\'s key', { authorization: `Bearer ${keys['edge-2']}` }],
      ['a wrong key', { authorization: `Bearer ${keys['edge-1']!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}` }],
    ];
    for (const [label, headers] of forged) {
      const hb = await post('/v1/edge/hosts/edge-1/heartbeat', { hostId: 'edge-1', ip: '10.6.6.6' }, undefined, { headers });
      expect(hb, label).toMatchObject({ status: 200, json: { status: 'refused', code: 'host-credential' } });
      expect(shellField(hb.text, 'code'), label).toBe('host-credential');
      const rep = await post('/v1/edge/hosts/edge-1/provisioning', { hostId: 'edge-1', cluster: 'store-42', step: 'failed', reason: 'forged' }, undefined, { headers });
      expect(rep, label).toMatchObject({ status: 200, json: { status: 'refused', code: 'host-credential' } });
    }
    expect((await kit.palette.hosts.get('edge-1'))?.ip).toBe('10.0.2.15');
    expect((await kit.palette.clusters.get('store-42'))?.nodes[0]).toMatchObject({ step: null, failure: null });
    // Registering again rotates the key: the old one stops working, the new one works.
    const again = await post('/v1/edge/hosts/register', agentBody({ token, mac: '52:54:00:a0:00:01' }));
    const fresh = keyOf(again.json);
    expect(fresh).not.toBe(keys['edge-1']);
    expect(await post('/v1/edge/hosts/edge-1/heartbeat', { hostId: 'edge-1' }, undefined, { key: keys['edge-1'] })).toMatchObject({ json: { code: 'host-credential' } });
    expect(await post('/v1/edge/hosts/edge-1/heartbeat', { hostId: 'edge-1' }, undefined, { key: fresh })).toMatchObject({ status: 200, json: { status: 'assigned' } });
  });

  it('has none of the people\'s actions: no host list, no approval, no health page, whatever the method', async () => {
    const { 'edge-1': key } = await registerHosts(kit.palette, token, 1);
    await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-waits', token, autoRegister: false, mac: '52:54:00:a0:00:09' }));
    const paths = ['/v1/edge/hosts', '/v1/edge/hosts/edge-waits/approve', '/v1/edge/hosts/edge-early/approve', '/v1/edge/hosts/edge-1',
      '/v1/edgehosts', '/v1/edgehosts/edge-waits', '/v1/tokens', '/v1/profiles', '/v1/clusters', '/v1/projects', '/healthz', '/v2/', '/v2/_catalog'];
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await request(path, { method, key, ...(method === 'GET' ? {} : { body: JSON.stringify({ hostId: 'edge-waits', name: 'x' }), headers: { 'content-type': 'application/json' } }) });
        expect([404, 405], `${method} ${path}`).toContain(res.status);
      }
    }
    expect(await kit.palette.hosts.list()).toEqual([
      expect.objectContaining({ hostId: 'edge-1', registration: 'registered' }),
      expect.objectContaining({ hostId: 'edge-waits', registration: 'pending' }),
    ]);
    expect((await kit.palette.tokens.list()).map((t) => t.name)).toEqual(['lab']);
  });

  it('refuses, unread, anything a browser could send: an Origin or Sec-Fetch-Site header, or a Host that is not the lab\'s endpoint', async () => {
    const { 'edge-1': key } = await registerHosts(kit.palette, token, 1);
    const heartbeat = { hostId: 'edge-1' };
    const refusals: Array<[string, Record<string, string>]> = [
      ['an Origin', { origin: 'https://evil.example' }],
      ['Origin null', { origin: 'null' }],
      ['a same-site Origin', { origin: 'http://api.palette.lab' }],
      ['Sec-Fetch-Site', { 'sec-fetch-site': 'cross-site' }],
      ['a foreign Host', { host: 'evil.example' }],
      ['loopback as Host (DNS rebinding)', { host: '127.0.0.1:4100' }],
      ['localhost as Host', { host: 'localhost' }],
      ['a name that only ends like the endpoint', { host: 'x.api.palette.lab' }],
      ['a Host with a path', { host: 'api.palette.lab/x' }],
    ];
    for (const [label, headers] of refusals) {
      const r = await post('/v1/edge/hosts/edge-1/heartbeat', heartbeat, undefined, { key, headers });
      expect(r, label).toMatchObject({ status: 403, json: { error: 'forbidden', message: expect.stringMatching(/^\[palette\] the agent endpoint of lab lab-1 answers only the lab's edge agents/) } });
      expect((await post('/v1/edge/hosts/register', agentBody({ hostId: 'edge-new', token }), undefined, { headers })).status, label).toBe(403);
    }
    expect(await kit.palette.hosts.get('edge-new')).toBeUndefined();
    // What guests send: either endpoint name, any case, with or without a port.
    for (const host of ['api.palette.lab', 'registry.lab', 'API.Palette.Lab', 'api.palette.lab:80', 'registry.lab:8080']) {
      expect(await post('/v1/edge/hosts/edge-1/heartbeat', heartbeat, undefined, { key, headers: { host } }), host).toMatchObject({ status: 200, json: { status: 'ok' } });
    }
  });

  it('serves a damaged copy while the registry drill is on: the same size and digest header, bytes that fail the digest', async () => {
    const keys = await registerHosts(kit.palette, token, 1);
    const path = `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}`;
    const whole = readFileSync(kit.blob.path);
    const fetchBlob = async () => {
      const res = await request(path, { key: keys['edge-1'] });
      return { res, bytes: Buffer.from(await res.arrayBuffer()) };
    };
    expect((await fetchBlob()).bytes.equals(whole)).toBe(true);
    expect(await kit.palette.registry.damage('edge-lab-provider')).toMatchObject({ ok: true });
    const damaged = await fetchBlob();
    expect(damaged.res.status).toBe(200);
    expect(damaged.res.headers.get('content-length')).toBe(String(whole.length));
    expect(damaged.res.headers.get('docker-content-digest')).toBe(`sha256:${kit.blob.sha256}`);
    expect(damaged.bytes.length).toBe(whole.length);
    expect(createHash('sha256').update(damaged.bytes).digest('hex')).not.toBe(kit.blob.sha256);
    // One byte differs, the one in the middle.
    const differ = [...whole.keys()].filter((i) => whole[i] !== damaged.bytes[i]);
    expect(differ).toEqual([Math.floor(whole.length / 2)]);
    expect(await kit.palette.registry.pushAgain('edge-lab-provider')).toMatchObject({ ok: true });
    expect((await fetchBlob()).bytes.equals(whole)).toBe(true);
  });

  it('serves registry blobs to registered hosts only', async () => {
    const keys = await registerHosts(kit.palette, token, 1);
    const other = keyOf(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-2', token, mac: '52:54:00:a0:00:02' })));
    const path = `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}`;
    for (const [label, key] of [['no key', undefined], ['a wrong key', 'x'.repeat(43)], ['an empty key', '']] as const) {
      const res = await request(path, { key });
      expect(res.status, label).toBe(403);
      expect(await res.json(), label).toMatchObject({ error: 'forbidden', code: 'host-credential' });
      expect((await request(path, { method: 'HEAD', key })).status, label).toBe(403);
    }
    // A deleted host's key stops working; another registered host's works.
    expect((await request(path, { key: other })).status).toBe(200);
    expect(await kit.palette.hosts.deleteHost('edge-2')).toEqual({ ok: true });
    expect((await request(path, { key: other })).status).toBe(403);
    expect((await request(path, { key: keys['edge-1'] })).status).toBe(200);
  });

  it('serves registry blobs with their length, and 404 / 400 for unknown or malformed digests', async () => {
    const { 'edge-1': key } = await registerHosts(kit.palette, token, 1);
    const path = `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}`;
    const res = await request(path, { key });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe(String(kit.blob.size));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(kit.blob.path));
    const head = await request(path, { method: 'HEAD', key });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(kit.blob.size));
    expect(await head.text()).toBe('');
    expect((await request(`/v2/edge-lab-provider/blobs/sha256:${'0'.repeat(64)}`, { key })).status).toBe(404);
    expect((await request(`/v2/other/blobs/sha256:${kit.blob.sha256}`, { key })).status).toBe(404);
    expect((await request('/v2/edge-lab-provider/blobs/md5:abc', { key })).status).toBe(400);
  });
});
