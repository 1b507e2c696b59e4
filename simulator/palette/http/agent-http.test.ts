import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentBody, clusterSpec, k3sProfile, openKit, registerHosts, withToken, type Kit } from '../test-kit';
import { createAgentHttp } from './agent-http';

let kit: Kit;
let app: ReturnType<typeof createAgentHttp>;
let token: string;
beforeEach(async () => {
  kit = await openKit('memory');
  token = await withToken(kit.palette);
  app = createAgentHttp(kit.palette);
});
afterEach(async () => { await kit.dispose(); });

const post = async (path: string, body: unknown, raw?: string) => {
  const res = await app.request(path, { method: 'POST', body: raw ?? JSON.stringify(body), headers: { 'content-type': 'application/json' } });
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
    expect(await post('/v1/edge/hosts/register', agentBody({ token }))).toMatchObject({ status: 200, json: { status: 'registered', project: 'Default' } });
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
    const wrong = await app.request('/v1/edge/hosts/register');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('takes heartbeats for a percent-encoded ID and hands out the assignment', async () => {
    await registerHosts(kit.palette, token, 1);
    expect(await post('/v1/edge/hosts/edge%2D1/heartbeat', { hostId: 'edge-1', ip: '10.0.2.15' })).toMatchObject({ status: 200, json: { status: 'ok' } });
    await kit.palette.profiles.save(k3sProfile());
    await kit.palette.clusters.create(clusterSpec());
    const hb = await post('/v1/edge/hosts/edge-1/heartbeat', { hostId: 'edge-1', wait: 25 });
    expect(hb.status).toBe(200);
    for (const [k, v] of Object.entries(hb.json)) expect(shellField(hb.text, k), k).toBe(v);
    expect(hb.json).toMatchObject({ status: 'assigned', image: `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}` });
    expect(await post('/v1/edge/hosts/edge-1/provisioning', { hostId: 'edge-1', cluster: 'store-42', step: 'image-pulled' })).toMatchObject({ status: 200, json: { status: 'ok' } });
    expect(await post('/v1/edge/hosts/edge-1/provisioning', { hostId: 'edge-1', cluster: 'nope', step: 'image-pulled' })).toMatchObject({ status: 200, json: { status: 'refused', code: 'not-assigned' } });
  });

  it('approves by ID before or after the host asked', async () => {
    expect(await post('/v1/edge/hosts/edge-early/approve', undefined, '')).toMatchObject({ status: 200, json: { status: 'added', host: { hostId: 'edge-early', status: 'Unpaired' } } });
    await kit.palette.hosts.agentRegister(agentBody({ token, autoRegister: false }));
    expect(await post('/v1/edge/hosts/edge-1/approve', undefined, '')).toMatchObject({ status: 200, json: { status: 'registered', host: { status: 'Ready' } } });
    expect(await post('/v1/edge/hosts/bad.id/approve', undefined, '')).toMatchObject({ status: 400, json: { field: 'path' } });
    const list = await app.request('/v1/edge/hosts');
    expect(((await list.json()) as { hosts: unknown[] }).hosts).toHaveLength(2);
  });

  it('serves registry blobs with their length, and 404 / 400 for unknown or malformed digests', async () => {
    const path = `/v2/edge-lab-provider/blobs/sha256:${kit.blob.sha256}`;
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe(String(kit.blob.size));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(kit.blob.path));
    const head = await app.request(path, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(kit.blob.size));
    expect(await head.text()).toBe('');
    expect((await app.request(`/v2/edge-lab-provider/blobs/sha256:${'0'.repeat(64)}`)).status).toBe(404);
    expect((await app.request(`/v2/other/blobs/sha256:${kit.blob.sha256}`)).status).toBe(404);
    expect((await app.request('/v2/edge-lab-provider/blobs/md5:abc')).status).toBe(400);
  });
});
