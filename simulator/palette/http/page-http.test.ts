import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROVISIONING_STEPS } from '../../pure/machines/provisioning';
import { clusterSpec, k3sProfile, openKit, registerHosts, withToken, type Kit } from '../test-kit';
import type { Palette } from '../types';
import { createPaletteHttp } from './page-http';

let kit: Kit;
let app: ReturnType<typeof createPaletteHttp>;
beforeEach(async () => {
  kit = await openKit('memory');
  await kit.palette.ensureDefaults();
  app = createPaletteHttp(kit.palette);
});
afterEach(async () => { await kit.dispose(); });

const call = async (method: string, path: string, body?: unknown, raw?: string) => {
  const res = await app.request(path, {
    method,
    ...(body !== undefined || raw !== undefined ? { body: raw ?? JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? (JSON.parse(text) as Record<string, any>) : undefined };
};

describe('page API', () => {
  it('lists and creates projects; validation failures are 422 with issues at their paths', async () => {
    expect((await call('GET', '/v1/projects')).json).toEqual({ projects: [{ name: 'Default', uid: expect.stringMatching(/^[0-9a-f]{24}$/), createdAt: expect.any(Number) }] });
    expect(await call('POST', '/v1/projects', { name: 'Retail-East' })).toMatchObject({ status: 201, json: { project: { name: 'Retail-East' } } });
    const bad = await call('POST', '/v1/projects', { name: 'retail east!' });
    expect(bad).toMatchObject({ status: 422, json: { error: 'invalid', issues: [{ path: 'name', code: 'name-invalid', message: expect.any(String), hint: expect.any(String) }] } });
  });

  it('answers bad JSON with 400 naming the problem, unknown paths with 404 and wrong methods with 405 and Allow', async () => {
    const bad = await call('POST', '/v1/tokens', undefined, '{"name":');
    expect(bad).toMatchObject({ status: 400, json: { error: 'bad-request', message: expect.stringMatching(/^the body is not valid JSON \(/) } });
    expect(await call('GET', '/v1/nope')).toMatchObject({ status: 404, json: { error: 'not-found', message: 'no such endpoint: GET /v1/nope' } });
    const wrong = await call('PATCH', '/v1/tokens');
    expect(wrong).toMatchObject({ status: 405, json: { error: 'method-not-allowed' } });
    expect(wrong.headers.get('allow')).toBe('GET, POST, HEAD');
    expect((await call('DELETE', '/v1/clusters')).headers.get('allow')).toBe('GET, POST, HEAD');
    const big = await call('POST', '/v1/profiles', undefined, JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }));
    expect(big).toMatchObject({ status: 413, json: { error: 'bad-request' } });
  });

  it('creates, lists and deletes tokens', async () => {
    const made = await call('POST', '/v1/tokens', { name: 'lab', project: 'Default' });
    expect(made).toMatchObject({ status: 201, json: { token: { name: 'lab', project: 'Default', value: expect.stringMatching(/^.{32}$/) }, warnings: [] } });
    // The list shows no value (Palette shows it once, at creation), only its last four characters.
    const { value, ...rest } = made.json?.token as { value: string };
    const listed = (await call('GET', '/v1/tokens')).json?.tokens;
    expect(listed).toEqual([{ ...rest, valueEnd: value.slice(-4) }]);
    expect(JSON.stringify(listed)).not.toContain(value);
    // The lab's own helpers read it again by name.
    expect(await call('GET', '/v1/tokens/lab/value')).toMatchObject({ status: 200, json: { name: 'lab', value } });
    expect(await call('GET', '/v1/tokens/nope/value')).toMatchObject({ status: 404, json: { error: 'not-found', issues: [{ path: 'name', message: 'there is no registration token named nope' }] } });
    expect(await call('POST', '/v1/tokens', { name: 'x', expiresAt: 'soon' })).toMatchObject({ status: 422, json: { issues: [{ path: 'expiresAt' }] } });
    expect(await call('DELETE', '/v1/tokens/lab')).toMatchObject({ status: 200, json: { deleted: 'lab' } });
    expect(await call('DELETE', '/v1/tokens/lab')).toMatchObject({ status: 404, json: { error: 'not-found' } });
  });

  it('saves and reads profiles by name and version; in-use changes are 409', async () => {
    expect(await call('POST', '/v1/profiles', k3sProfile())).toMatchObject({ status: 201, json: { profile: { name: 'edge-k3s-lab', version: '1.0.0' } } });
    await call('POST', '/v1/profiles', k3sProfile({ version: '1.1.0' }));
    expect((await call('GET', '/v1/profiles')).json?.profiles).toHaveLength(2);
    expect((await call('GET', '/v1/profiles/edge-k3s-lab')).json?.profile.version).toBe('1.1.0');
    expect((await call('GET', '/v1/profiles/edge-k3s-lab/1.0.0')).json?.profile.version).toBe('1.0.0');
    expect((await call('GET', '/v1/profiles/edge-k3s-lab/9.0.0')).status).toBe(404);
    expect(await call('POST', '/v1/profiles', { ...k3sProfile(), layers: [] })).toMatchObject({ status: 422, json: { issues: [{ path: 'layers', code: 'layer-missing' }, { path: 'layers' }, { path: 'layers' }] } });
    const token = await withToken(kit.palette);
    await registerHosts(kit.palette, token, 1);
    await call('POST', '/v1/clusters', clusterSpec());
    expect(await call('DELETE', '/v1/profiles/edge-k3s-lab/1.0.0')).toMatchObject({ status: 409, json: { error: 'conflict', issues: [{ code: 'profile-in-use' }] } });
    expect(await call('DELETE', '/v1/profiles/edge-k3s-lab/1.1.0')).toMatchObject({ status: 200, json: { deleted: ['1.1.0'] } });
  });

  it('adds edge hosts by ID, sets tags, deletes them', async () => {
    expect(await call('POST', '/v1/edgehosts', { hostIds: ['edge-a', 'edge b'] })).toMatchObject({ status: 422, json: { issues: [{ path: 'hostIds[1]', code: 'host-id-invalid' }] } });
    expect(await call('GET', '/v1/edgehosts')).toMatchObject({ json: { hosts: [] } });
    const added = await call('POST', '/v1/edgehosts', { hostIds: ['edge-a', 'edge-b'], tags: { site: 's1' } });
    expect(added).toMatchObject({ status: 201, json: { hosts: [{ hostId: 'edge-a', status: 'Unpaired', tags: { site: 's1' } }, { hostId: 'edge-b' }] } });
    expect(await call('PUT', '/v1/edgehosts/edge-a/tags', { tags: { site: 's2' } })).toMatchObject({ status: 200, json: { host: { tags: { site: 's2' } } } });
    expect(await call('PUT', '/v1/edgehosts/edge-a/tags', { tags: ['x'] })).toMatchObject({ status: 422 });
    expect((await call('GET', '/v1/edgehosts/edge-a')).json?.host.hostId).toBe('edge-a');
    expect(await call('DELETE', '/v1/edgehosts/edge-a')).toMatchObject({ status: 200 });
    expect(await call('DELETE', '/v1/edgehosts/edge-a')).toMatchObject({ status: 404 });
  });

  it('creates a cluster (422 with issues on the wizard fields), shows it with its events, and deletes it', async () => {
    const token = await withToken(kit.palette);
    await registerHosts(kit.palette, token, 1);
    await call('POST', '/v1/profiles', k3sProfile());
    const bad = await call('POST', '/v1/clusters', clusterSpec({ vip: '10.77.0.11', controlPlanePool: { hosts: [{ hostId: 'edge-9' }], allowWorkerCapability: true } }));
    expect(bad.status).toBe(422);
    expect(bad.json?.issues.map((i: { path: string }) => i.path)).toEqual(['controlPlanePool.hosts[0].hostId']);
    expect(await call('POST', '/v1/clusters', clusterSpec())).toMatchObject({ status: 201, json: { cluster: { name: 'store-42', status: 'Provisioning' }, warnings: [] } });
    expect((await call('GET', '/v1/clusters')).json?.clusters).toHaveLength(1);
    expect(await call('GET', '/v1/clusters/store-42')).toMatchObject({ status: 200, json: { cluster: { name: 'store-42', events: [{ severity: 'info' }, { severity: 'info' }] } } });
    expect(await call('DELETE', '/v1/edgehosts/edge-1')).toMatchObject({ status: 409, json: { error: 'conflict' } });
    expect(await call('DELETE', '/v1/clusters/store-42')).toMatchObject({ status: 200 });
    // Deleting until its host has reset; the host's record may be deleted meanwhile, which ends it.
    expect(await call('GET', '/v1/clusters/store-42')).toMatchObject({ status: 200, json: { cluster: { status: 'Deleting' } } });
    expect(await call('DELETE', '/v1/edgehosts/edge-1')).toMatchObject({ status: 200 });
    expect(await call('GET', '/v1/clusters/store-42')).toMatchObject({ status: 404 });
  });

  it('edits a Running cluster\'s node pools: add and remove a worker (200 with the cluster), refusals as 409/404/422 with issues', async () => {
    const token = await withToken(kit.palette);
    const keys = await registerHosts(kit.palette, token, 2);
    await call('POST', '/v1/profiles', k3sProfile());
    await call('POST', '/v1/clusters', clusterSpec());
    expect(await call('POST', '/v1/clusters/store-42/workers', { hostId: 'edge-2' })).toMatchObject({ status: 409, json: { error: 'conflict', issues: [{ code: 'cluster-not-running' }] } });
    for (const step of PROVISIONING_STEPS) await kit.palette.hosts.agentProvisioning('edge-1', { hostId: 'edge-1', cluster: 'store-42', step }, { hostKey: keys['edge-1'] });
    expect(await call('POST', '/v1/clusters/store-42/workers', { hostId: 'edge-2' })).toMatchObject({ status: 200, json: { cluster: { nodes: [{ hostId: 'edge-1' }, { hostId: 'edge-2', role: 'worker' }] } } });
    expect(await call('POST', '/v1/clusters/store-42/workers', {})).toMatchObject({ status: 422, json: { issues: [{ path: 'hostId' }] } });
    expect(await call('POST', '/v1/clusters/store-42/workers', { hostId: 'edge-7' })).toMatchObject({ status: 404, json: { issues: [{ code: 'host-unknown' }] } });
    expect(await call('DELETE', '/v1/clusters/store-42/workers/edge-1')).toMatchObject({ status: 409, json: { issues: [{ code: 'last-control-plane' }] } });
    expect(await call('POST', '/v1/clusters/store-42/control-plane/replace', { hostId: 'edge-1', replacement: 'edge-2' })).toMatchObject({ status: 409, json: { issues: [{ code: 'last-control-plane' }] } });
    expect(await call('DELETE', '/v1/clusters/store-42/workers/edge-2')).toMatchObject({ status: 200, json: { cluster: { nodes: [{ hostId: 'edge-1' }] } } });
    expect(await call('GET', '/v1/clusters/store-42/workers')).toMatchObject({ status: 405 });
  });

  it('serves the catalog with each provider image marked available or not', async () => {
    const { json } = await call('GET', '/v1/catalog');
    expect(json?.packs.length).toBeGreaterThan(10);
    expect(json?.providerImages.filter((i: { available: boolean }) => !i.available).map((i: { name: string }) => i.name)).toEqual([
      'registry.lab/edge-lab-provider-opensuse:k3s-1.32.4-v4.7.16-lab',
      // The image broken on purpose (the upgrade's fallback drill) has no blob in this test's registry.
      'registry.lab/edge-lab-provider-broken:k3s-1.33.1-v4.7.16-lab',
    ]);
  });

  it('never sends a stack trace', async () => {
    const broken = { ...kit.palette, projects: { ...kit.palette.projects, list: () => Promise.reject(new Error('boom at /secret/path.ts:1')) } } as Palette;
    const log = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const res = await createPaletteHttp(broken).request('/v1/projects');
    const text = await res.text();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^\[palette\] internal error on GET \/v1\/projects: Error: boom/));
    log.mockRestore();
    expect(res.status).toBe(500);
    expect(text).not.toMatch(/boom|secret|at /);
  });
});
