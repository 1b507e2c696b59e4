import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectUid } from '../pure/palette/project-uid';
import { agentBody, keyOf, MAC, OTHER_MAC, openKit, STORES, T0, withToken, type Kit } from './test-kit';

const DAY = 86_400_000;

describe.each(STORES)('registration (%s store)', (kind) => {
  let kit: Kit;
  beforeEach(async () => { kit = await openKit(kind); });
  afterEach(async () => { await kit.dispose(); });

  it('starts with project Default only, idempotently', async () => {
    await kit.palette.ensureDefaults();
    await kit.palette.ensureDefaults();
    expect(await kit.palette.projects.list()).toEqual([{ name: 'Default', uid: projectUid('Default'), createdAt: T0 }]);
    expect(await kit.palette.tokens.list()).toEqual([]);
    expect(kit.takeTypes()).toEqual(['palette.project.created']);
  });

  it('creates tokens with unguessable values, a 30-day default expiry, and lists them with values', async () => {
    await kit.palette.ensureDefaults();
    const a = await kit.palette.tokens.create({ name: 'lab', project: 'Default' });
    kit.advance(1);
    const b = await kit.palette.tokens.create({ name: 'bare' });
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(a.token).toMatchObject({ name: 'lab', project: 'Default', expiresAt: T0 + 30 * DAY, expired: false });
    expect(a.token.value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(b.token.value).not.toBe(a.token.value);
    expect((await kit.palette.tokens.list()).map((t) => [t.name, t.value, t.project])).toEqual([['lab', a.token.value, 'Default'], ['bare', b.token.value, null]]);
    expect(await kit.palette.tokens.create({ name: 'lab' })).toMatchObject({ ok: false, reason: 'invalid', issues: [{ path: 'name', code: 'name-taken' }] });
    expect(await kit.palette.tokens.create({ name: 'x', project: 'Nope' })).toMatchObject({ ok: false, issues: [{ path: 'project', code: 'project-unknown' }] });
    expect(await kit.palette.tokens.create({ name: 'past', expiresAt: T0 - 1 })).toMatchObject({ ok: true, warnings: [{ path: 'expiresAt', code: 'token-expired' }] });
    expect(a.token.description).toBe('');
    const described = await kit.palette.tokens.create({ name: 'east', description: '  Stores of the east region ' });
    expect(described).toMatchObject({ ok: true, token: { description: 'Stores of the east region' } });
    expect((await kit.palette.tokens.list()).find((t) => t.name === 'east')?.description).toBe('Stores of the east region');
    expect(await kit.palette.tokens.create({ name: 'long', description: 'x'.repeat(501) })).toMatchObject({ ok: false, issues: [{ path: 'description', code: 'description-too-long', message: expect.stringMatching(/501 characters long; at most 500/) }] });
    expect(await kit.palette.tokens.delete('bare')).toEqual({ ok: true });
    expect(await kit.palette.tokens.delete('bare')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(kit.takeTypes().filter((t) => t.startsWith('palette.token'))).toEqual(['palette.token.created', 'palette.token.created', 'palette.token.created', 'palette.token.created', 'palette.token.deleted']);
  });

  it('registers a host with a token into its project and shows it Ready and Healthy', async () => {
    const token = await withToken(kit.palette);
    kit.takeTypes();
    expect(await kit.palette.hosts.agentRegister(agentBody({ token }))).toEqual({ status: 'registered', project: 'Default', hostKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(await kit.palette.hosts.list()).toEqual([expect.objectContaining({
      hostId: 'edge-1', status: 'Ready', health: 'Healthy', registration: 'registered', method: 'auto', tags: { region: 'east' },
      cluster: null, cpus: 2, memoryMb: 8192, os: 'Edge Lab guest', ip: '10.0.2.15', mac: MAC, arch: 'amd64', project: 'Default', lastHeartbeatAt: null,
    })]);
    expect(kit.events.at(-1)).toMatchObject({ labId: 'lab-1', type: 'palette.host.registered', payload: { hostId: 'edge-1', project: 'Default', method: 'auto' } });
  });

  it.each<[string, (token: string) => Record<string, unknown>, string, RegExp]>([
    ['no token', () => ({ token: '' }), 'token-unknown', /sent no registration token/],
    ['an unknown token', () => ({ token: 'nope' }), 'token-unknown', /does not know this registration token/],
  ])('refuses %s', async (_label, body, code, message) => {
    const token = await withToken(kit.palette);
    const r = await kit.palette.hosts.agentRegister(agentBody(body(token)));
    expect(r).toMatchObject({ status: 'refused', code, message: expect.stringMatching(message) });
    expect(JSON.stringify(r)).not.toMatch(/\\"/);
    expect(await kit.palette.hosts.list()).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const token = await withToken(kit.palette, { expiresAt: T0 + DAY });
    kit.advance(DAY);
    expect(await kit.palette.hosts.agentRegister(agentBody({ token }))).toMatchObject({ status: 'refused', code: 'token-expired', message: expect.stringMatching(/expired on 2025-06-02/) });
    expect((await kit.palette.tokens.list())[0]?.expired).toBe(true);
  });

  it('refuses a token without project unless projectName names one, and projectName overrides the token project', async () => {
    await kit.palette.ensureDefaults();
    await kit.palette.projects.create({ name: 'Retail-East' });
    const bare = await kit.palette.tokens.create({ name: 'bare' });
    const lab = await kit.palette.tokens.create({ name: 'lab', project: 'Default' });
    if (!bare.ok || !lab.ok) throw new Error('refused');
    expect(await kit.palette.hosts.agentRegister(agentBody({ token: bare.token.value }))).toMatchObject({ status: 'refused', code: 'project-missing' });
    expect(await kit.palette.hosts.agentRegister(agentBody({ token: bare.token.value, projectName: 'Retail-East' }))).toMatchObject({ status: 'registered', project: 'Retail-East', hostKey: expect.any(String) });
    expect(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-2', mac: OTHER_MAC, token: lab.token.value, projectName: 'Retail-East' }))).toMatchObject({ status: 'registered', project: 'Retail-East', hostKey: expect.any(String) });
    expect(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-3', token: lab.token.value, projectName: 'Retail-Eats' }))).toMatchObject({ status: 'refused', code: 'project-unknown', message: expect.stringMatching(/Did you mean Retail-East/) });
  });

  it('lists each project with its UID, and projectUid names a project over the token project', async () => {
    await kit.palette.ensureDefaults();
    const made = await kit.palette.projects.create({ name: 'Retail-East' });
    if (!made.ok) throw new Error('refused');
    expect(made.project.uid).toBe(projectUid('Retail-East'));
    expect((await kit.palette.projects.list()).map((p) => p.uid)).toEqual([projectUid('Default'), projectUid('Retail-East')]);
    const token = await withToken(kit.palette);
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, projectUid: made.project.uid }))).toMatchObject({ status: 'registered', project: 'Retail-East' });
    expect(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-2', mac: OTHER_MAC, token, projectUid: '0'.repeat(24) }))).toMatchObject({ status: 'refused', code: 'project-unknown', message: expect.stringMatching(/No project in Palette has the UID 0{24}/) });
  });

  it('refuses a host ID already held by another machine, and by the same machine after a reinstall', async () => {
    const token = await withToken(kit.palette);
    await kit.palette.hosts.agentRegister(agentBody({ token, installId: 'install-a' }));
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, mac: OTHER_MAC }))).toMatchObject({ status: 'refused', code: 'duplicate-host-id', message: expect.stringMatching(/Delete the old host record/) });
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, installId: 'install-b' }))).toMatchObject({ status: 'refused', code: 'duplicate-host-id' });
    // The same machine again (MAC in capitals) is the same answer as before.
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, mac: MAC.toUpperCase(), installId: 'install-a' }))).toMatchObject({ status: 'registered', project: 'Default', hostKey: expect.any(String) });
    // After the old record is deleted, the reinstalled host registers.
    expect(await kit.palette.hosts.deleteHost('edge-1')).toEqual({ ok: true });
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, installId: 'install-b' }))).toMatchObject({ status: 'registered', project: 'Default', hostKey: expect.any(String) });
  });

  it('logs a refusal once while the host retries, and again when the answer changes', async () => {
    const token = await withToken(kit.palette);
    kit.takeTypes();
    for (let i = 0; i < 3; i++) await kit.palette.hosts.agentRegister(agentBody({ token: 'wrong' }));
    await kit.palette.hosts.agentRegister(agentBody({ token: '' }));
    await kit.palette.hosts.agentRegister(agentBody({ token }));
    await kit.palette.hosts.agentRegister(agentBody({ token: 'wrong' }));
    expect(kit.takeTypes()).toEqual(['palette.host.refused', 'palette.host.refused', 'palette.host.registered', 'palette.host.refused']);
    expect(kit.events.filter((e) => e.type === 'palette.host.refused').map((e) => e.payload)).toEqual([
      { hostId: 'edge-1', code: 'token-unknown', message: expect.stringMatching(/does not know/) },
      { hostId: 'edge-1', code: 'token-unknown', message: expect.stringMatching(/sent no registration token/) },
      { hostId: 'edge-1', code: 'token-unknown', message: expect.stringMatching(/does not know/) },
    ]);
  });

  it('keeps a host with auto registration off pending until its ID is added (manual registration after the host asks)', async () => {
    const token = await withToken(kit.palette);
    kit.takeTypes();
    const first = await kit.palette.hosts.agentRegister(agentBody({ token, autoRegister: false }));
    expect(first).toMatchObject({ status: 'pending', message: expect.stringMatching(/add the ID edge-1/) });
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, autoRegister: false }))).toMatchObject({ status: 'pending' });
    expect(await kit.palette.hosts.list()).toEqual([expect.objectContaining({ hostId: 'edge-1', status: 'Unpaired', health: null, registration: 'pending' })]);
    // A pending host has no key yet: nothing but its registration is accepted.
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' })).toMatchObject({ status: 'refused', code: 'host-credential' });
    const added = await kit.palette.hosts.addHostId('edge-1', 'Default', { site: 's1' });
    expect(added).toMatchObject({ ok: true, host: { status: 'Ready', registration: 'registered', method: 'manual', tags: { site: 's1' } } });
    // Added by the admin, the host gets its key with the next answer to its registration.
    const hostKey = keyOf(await kit.palette.hosts.agentRegister(agentBody({ token, autoRegister: false })));
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' }, { hostKey })).toEqual({ status: 'ok' });
    expect(kit.takeTypes()).toEqual(['palette.host.pending', 'palette.host.added', 'palette.host.registered']);
    // Tags set in Palette survive the agent reporting its own.
    expect((await kit.palette.hosts.get('edge-1'))?.tags).toEqual({ site: 's1' });
  });

  it('registers an ID added before the host asks, into the project the admin chose (manual registration before)', async () => {
    const token = await withToken(kit.palette);
    await kit.palette.projects.create({ name: 'Retail-East' });
    kit.takeTypes();
    expect(await kit.palette.hosts.addHostId('edge-1', 'Retail-East')).toMatchObject({ ok: true, host: { status: 'Unpaired', registration: 'added', health: null } });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1' })).toMatchObject({ status: 'refused', code: 'host-unknown' });
    expect(await kit.palette.hosts.agentRegister(agentBody({ token, autoRegister: false }))).toMatchObject({ status: 'registered', project: 'Retail-East', hostKey: expect.any(String) });
    expect(await kit.palette.hosts.get('edge-1')).toMatchObject({ status: 'Ready', method: 'manual', mac: MAC, project: 'Retail-East' });
    expect(kit.takeTypes()).toEqual(['palette.host.added', 'palette.host.refused', 'palette.host.registered']);
    // Adding again changes nothing.
    expect(await kit.palette.hosts.addHostId('edge-1')).toMatchObject({ ok: true, host: { project: 'Retail-East' } });
    expect(kit.takeTypes()).toEqual([]);
  });

  it('refuses bad manual input with field paths', async () => {
    await kit.palette.ensureDefaults();
    expect(await kit.palette.hosts.addHostId('edge 1')).toMatchObject({ ok: false, reason: 'invalid', issues: [{ path: 'hostId', code: 'host-id-invalid' }] });
    expect(await kit.palette.hosts.addHostId('edge-1', 'Nope')).toMatchObject({ ok: false, issues: [{ path: 'project', code: 'project-unknown' }] });
    expect(await kit.palette.hosts.addHostId('edge-1', 'Default', { 'a b': 'c' })).toMatchObject({ ok: false, issues: [{ path: 'tags.a b' }] });
    expect(await kit.palette.hosts.deleteHost('edge-9')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(await kit.palette.hosts.setTags('edge-9', {})).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('answers a malformed agent body with a bad request naming the field', async () => {
    expect(await kit.palette.hosts.agentRegister({ hostId: 'edge-1', token: 't', autoRegister: 'yes', mac: '' })).toEqual({ error: 'bad-request', field: 'autoRegister', message: 'autoRegister: must be true or false' });
    expect(await kit.palette.hosts.agentRegister(undefined)).toMatchObject({ error: 'bad-request', message: 'the body must be a JSON object' });
    expect(await kit.palette.hosts.agentRegister(agentBody({ tags: 'a=1,a=2' }))).toMatchObject({ field: 'tags', message: expect.stringMatching(/appears twice/) });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-2' })).toMatchObject({ error: 'bad-request', field: 'hostId' });
    expect(await kit.palette.hosts.agentHeartbeat('edge-1', { hostId: 'edge-1', wait: 31 })).toMatchObject({ error: 'bad-request', field: 'wait' });
    expect(await kit.palette.hosts.agentHeartbeat('bad/id', {})).toMatchObject({ error: 'bad-request', field: 'path' });
  });
});
