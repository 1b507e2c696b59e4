// The lab server's doors, with a fake VM driver (no QEMU): who gets in, what a lab answers, and
// what bad input gets back. Real VMs drive the same server in simulator/scenarios/*.vm.test.ts.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { singleNode } from '../pure/scenarios/single-node';
import { createLab, LabClient } from '../scenarios/lab-client';
import type { LabServer } from './lab-server';
import { startFakeLabServer } from '../testing/fake-lab-server';

let server: LabServer;

let closeServer: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ server, close: closeServer } = await startFakeLabServer({ allowedOrigins: ['http://127.0.0.1:3000'] }));
});
afterAll(async () => {
  await closeServer?.();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url, ...headers }, body: JSON.stringify(body) });

/** A request exactly as given (no URL normalisation, any Host), over one fresh connection. */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers, setHost: false, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    // The server may answer and close before a refused body is sent whole.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('lab server', () => {
  it('answers health and lists its scenarios', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    const { scenarios } = (await (await fetch(`${server.url}/scenarios`)).json()) as { scenarios: { name: string }[] };
    expect(scenarios.map((s) => s.name)).toContain('single-node');
  });

  it('opens a lab with a token and a session secret, and serves its view', async () => {
    const lab = await createLab(server.url, 'single-node');
    expect(lab).toMatchObject({ labId: expect.stringMatching(/^lab-[a-z0-9]{8,}$/), role: 'solo', token: expect.any(String), sessionSecret: expect.any(String) });
    const c = new LabClient(server.url, lab);
    const { body } = await c.http('GET', '/view');
    expect(body.view).toMatchObject({ state: 'modelProfile', hosts: { 'edge-host-1': { state: 'poweredOff' } } });
  });

  it('refuses unknown scenarios and roles with the field and a fix', async () => {
    const r1 = await post('/labs', { scenario: 'single-nod' });
    expect(r1.status).toBe(404);
    expect(await r1.json()).toMatchObject({ message: expect.stringMatching(/did you mean "single-node"/) });
    const r2 = await post('/labs', { scenario: 'single-node', role: 'king' });
    expect(r2.status).toBe(400);
    expect(await r2.json()).toMatchObject({ field: 'role' });
    const r3 = await fetch(`${server.url}/labs`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body: '{"scenario":' });
    expect(r3.status).toBe(400);
    expect(await r3.json()).toMatchObject({ message: expect.stringMatching(/not valid JSON/) });
    for (const body of ['null', '[]', '42', '"x"']) {
      const r = await fetch(`${server.url}/labs`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body });
      expect(r.status, body).toBe(400);
      expect(await r.json()).toMatchObject({ message: expect.stringMatching(/must be a JSON object/) });
    }
  });

  it('refuses changes without Origin or JSON, a foreign Host, an oversized body and a path in another spelling', async () => {
    const noOrigin = await fetch(`${server.url}/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenario":"single-node"}' });
    expect(noOrigin.status).toBe(403);
    expect(await noOrigin.json()).toMatchObject({ error: 'missing-origin' });
    const form = await fetch(`${server.url}/labs`, { method: 'POST', headers: { origin: server.url, 'content-type': 'text/plain' }, body: '{"scenario":"single-node"}' });
    expect(form.status).toBe(415);
    const huge = await rawRequest(server.url, 'POST', '/labs', { host: new URL(server.url).host, origin: server.url, 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) }, '{}');
    expect(huge.status).toBe(413);
    const rebinding = await rawRequest(server.url, 'GET', '/healthz', { host: 'evil.example:4100' });
    expect(rebinding.status).toBe(421);
    expect(rebinding.body).toMatch(/bad-host/);
    const lab = await createLab(server.url, 'single-node');
    for (const spelling of ['/labs/%6cab/view', `/labs/${lab.labId}/%76iew`, `/labs/${lab.labId}//view`, `/labs/${lab.labId}/x/../view`, `/labs/${lab.labId}/./view`, `/labs/${lab.labId}/view/`]) {
      const r = await rawRequest(server.url, 'GET', spelling, { host: new URL(server.url).host, authorization: `Bearer ${lab.token}` });
      expect(r.status, spelling).toBe(400);
      expect(r.body).toMatch(/non-canonical-path/);
    }
    const chunked = await rawRequest(server.url, 'POST', '/labs', { host: new URL(server.url).host, origin: server.url, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, 'x'.repeat(2 * 1024 * 1024));
    expect(chunked.status).toBe(413);
  });

  it('keeps every lab to its own token, and refuses foreign Origins', async () => {
    const a = await createLab(server.url, 'single-node');
    const b = await createLab(server.url, 'single-node');
    const asB = await fetch(`${server.url}/labs/${a.labId}/view`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(asB.status).toBe(403);
    expect(await asB.json()).toMatchObject({ error: 'wrong-lab' });
    const none = await fetch(`${server.url}/labs/${a.labId}/view`);
    expect(none.status).toBe(401);
    const foreign = await fetch(`${server.url}/labs/${a.labId}/view`, { headers: { authorization: `Bearer ${a.token}`, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: 'foreign-origin' });
    const site = await fetch(`${server.url}/labs/${a.labId}/view`, { headers: { authorization: `Bearer ${a.token}`, origin: 'http://127.0.0.1:3000' } });
    expect(site.status).toBe(200);
    expect(site.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/labs/${a.labId}/socket?token=${encodeURIComponent(b.token)}`);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
  });

  it('trades the session secret for a fresh token, and nothing else for one', async () => {
    const lab = await createLab(server.url, 'single-node');
    const ok = await post(`/labs/${lab.labId}/session`, { secret: lab.sessionSecret });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ labId: lab.labId, token: expect.any(String) });
    const bad = await post(`/labs/${lab.labId}/session`, { secret: 'guess' });
    expect(bad.status).toBe(403);
  });

  it('refuses invalid user data with the line and builds nothing; builds a site user-data stick, listed apart from the installers', async () => {
    const lab = await createLab(server.url, 'single-node');
    const c = new LabClient(server.url, lab);
    const r = await c.http('POST', '/installers', { userData: '#cloud-config\nstylus:\n  site:\n    edgeHostToken: t\n    paletteEndpint: x\n' });
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([expect.objectContaining({ line: 5, column: 5, path: 'stylus.site.paletteEndpint', hint: 'did you mean `paletteEndpoint`?' })]);
    expect((await c.http('GET', '/installers')).body).toEqual({ installers: [] });
    // Site user data (one lab for both: the server allows 10 new labs a minute per address).
    const built = await c.http('POST', '/site-sticks', { userData: '#cloud-config\nstylus:\n  site:\n    tags: { store: "42" }\n' });
    expect(built.status).toBe(201);
    expect(built.body).toMatchObject({ id: expect.stringMatching(/^site-[0-9a-f]{12}$/), files: { 'user-data': expect.any(String), 'user-data.env': expect.any(String) } });
    expect(built.body).not.toHaveProperty('userData');
    expect((await c.http('GET', '/site-sticks')).body).toEqual({ siteSticks: [expect.objectContaining({ id: built.body.id })] });
    expect((await c.http('GET', '/installers')).body).toEqual({ installers: [] });
    // As a stranger would: a null body, no token, no Origin, a percent-encoded path: 4xx, nothing built.
    expect((await c.http('POST', '/site-sticks', null)).status).toBe(400);
    expect((await post(`/labs/${lab.labId}/site-sticks`, { userData: '#cloud-config\n' })).status).toBe(401);
    const noOrigin = await fetch(`${server.url}/labs/${lab.labId}/site-sticks`, { method: 'POST', headers: { authorization: `Bearer ${lab.token}`, 'content-type': 'application/json' }, body: '{"userData":"#cloud-config\\n"}' });
    expect(noOrigin.status).toBe(403);
    const encoded = (await c.http('POST', '/site%2Dsticks', { userData: '#cloud-config\n' })).status;
    expect(encoded >= 400 && encoded < 500).toBe(true);
    expect((await c.http('GET', '/site-sticks')).body.siteSticks).toHaveLength(1);
    const bad = await c.http('POST', '/site-sticks', { userData: '#cloud-config\nstages:\n  boot: []\n' });
    expect(bad.status).toBe(422);
    expect(bad.body.issues).toEqual([expect.objectContaining({ line: 2, path: 'stages', message: expect.stringMatching(/Edge Lab runs only the stages of the installer's user data/) })]);
  });

  it('refuses a command the host cannot take now, over HTTP and over the socket', async () => {
    const lab = await createLab(server.url, 'single-node');
    const c = new LabClient(server.url, lab);
    const r = await c.http('POST', '/commands', { target: { kind: 'host', hostId: 'edge-host-1' }, name: 'RESET' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ ok: false, code: 'not-allowed' });
    await c.connect();
    await expect(c.command({ kind: 'host', hostId: 'edge-host-1' }, 'INSERT_USB')).rejects.toThrow(/needs args.image/);
    c.close();
  });

  it('proxies the lab\'s own simulated Palette, and the lab follows it', async () => {
    const lab = await createLab(server.url, 'single-node');
    const c = new LabClient(server.url, lab);
    await c.connect();
    const saved = await c.http('POST', '/palette/v1/profiles', singleNode.profile);
    expect(saved.status).toBe(201);
    await c.waitForView((v) => v.phases[0]?.status === 'done', 5_000, 'the profile step');
    const other = await createLab(server.url, 'single-node');
    const theirs = await new LabClient(server.url, other).http('GET', '/palette/v1/profiles');
    expect(JSON.stringify(theirs.body)).not.toContain(singleNode.profile.name);
    // The lab-only token value call, tried as a stranger would: only this lab's own token reads it.
    const made = await c.http('POST', '/palette/v1/tokens', { name: 'own', project: 'Default' });
    expect(made.status).toBe(201);
    expect(await c.http('GET', '/palette/v1/tokens/own/value')).toMatchObject({ status: 200, body: { name: 'own', value: made.body.token.value } });
    const valuePath = `${server.url}/labs/${lab.labId}/palette/v1/tokens/own/value`;
    for (const headers of [{}, { authorization: `Bearer ${other.token}` }] as Record<string, string>[]) {
      const res = await fetch(valuePath, { headers });
      expect([401, 403]).toContain(res.status);
      expect(await res.text()).not.toContain(made.body.token.value);
    }
    expect((await new LabClient(server.url, other).http('GET', '/palette/v1/tokens/own/value')).status).toBe(404);
    const encoded = await c.http('GET', '/palette/v1/tokens/own%2Fvalue');
    expect(encoded.status >= 400 && encoded.status < 500).toBe(true);
    expect(JSON.stringify(encoded.body)).not.toContain(made.body.token.value);
    c.close();
  });

  it('RESTART puts the lab back at its start: Palette emptied (the registry whole), charts fresh (drill checks too), a pulled cable back in', async () => {
    const lab = await createLab(server.url, 'single-node');
    const c = new LabClient(server.url, lab);
    await c.connect();
    await c.call('POST', '/palette/v1/profiles', singleNode.profile, [201], 'profile');
    await c.waitForView((v) => v.phases[0]?.status === 'done', 5_000, 'the profile step');
    const cableOut = () => c.view?.hosts['edge-host-1']?.data.cableUnplugged === true;
    await c.command({ kind: 'host', hostId: 'edge-host-1' }, 'UNPLUG_CABLE');
    await c.waitForView(cableOut, 5_000, 'the cable out');
    expect((await server.labs.peek(lab.labId))?.vms.get('edge-host-1')?.cablePlugged).toBe(false);
    // The cable drill's Check my work names what is still broken, and every page sees the answer.
    expect(await c.checkDrill('cable')).toEqual({ passed: false, message: expect.stringMatching(/^edge-host-1's network cable is still out/) });
    expect(c.view?.data.drillChecks?.cable?.passed).toBe(false);
    await expect(c.command({ kind: 'lab' }, 'CHECK_DRILL', { drill: 'cabel' })).rejects.toThrow(/CHECK_DRILL needs args.drill, one of cable, stick, small-disk, duplicate-id, expired-token, checksum, vip-clash, clock \(got "cabel"\)/);
    // As a stranger would, over HTTP: no drill at all, a null args, another lab's kind of name.
    for (const body of [{ target: { kind: 'lab' }, name: 'CHECK_DRILL' }, { target: { kind: 'lab' }, name: 'CHECK_DRILL', args: null }, { target: { kind: 'lab' }, name: 'CHECK_DRILL', args: { drill: '../cable' } }]) {
      const r = await c.http('POST', '/commands', body);
      expect(r.status >= 400 && r.status < 500, `${JSON.stringify(body)} → ${r.status}`).toBe(true);
    }
    // The registry drill's damage too.
    const [image] = (await c.call('GET', '/palette/v1/registry', undefined, [200], 'the registry')).images;
    await c.call('POST', `/palette/v1/registry/${image.repository}/damage`, {}, [200], 'damaging the image');
    // And the VIP clash drill's machine on the LAN.
    await c.call('POST', '/lan/devices', { ip: '10.77.0.100' }, [201], 'a machine on the VIP');
    expect((await c.call('GET', '/lan', undefined, [200], 'the LAN')).devices).toHaveLength(1);
    await c.command({ kind: 'lab' }, 'RESTART');
    await c.waitForView((v) => c.events.some((e) => e.type === 'lab.reset') && v.state === 'modelProfile' && !cableOut(), 5_000, 'the reset');
    expect((await c.call('GET', '/palette/v1/registry', undefined, [200], 'the registry')).images[0]).toMatchObject({ repository: image.repository, damaged: false });
    expect(JSON.stringify((await c.http('GET', '/palette/v1/profiles')).body)).not.toContain(singleNode.profile.name);
    expect(c.view?.phases.map((p) => p.status)).toEqual(['active', 'pending', 'pending', 'pending']);
    expect(c.view?.data.drillChecks).toEqual({});
    expect((await c.call('GET', '/lan', undefined, [200], 'the LAN')).devices).toEqual([]);
    // The box and the chart agree: the cable is in, and can be pulled again.
    expect((await server.labs.peek(lab.labId))?.vms.get('edge-host-1')?.cablePlugged).toBe(true);
    expect(c.view?.hosts['edge-host-1']?.allowed).toContain('UNPLUG_CABLE');
    c.close();
  });

});
