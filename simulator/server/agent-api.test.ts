import { beforeEach, describe, expect, it } from 'vitest';
import { createAgentApi, DEFAULT_TOKENS, parseJsonBody, plain, type AgentApi, type RegistrationToken } from './agent-api';
import { createInMemoryHostRegistry, type HostRegistry } from './host-registry';

const MAC = '52:54:00:a0:00:01';
const OTHER_MAC = '52:54:00:a0:00:02';

/** A body exactly as the guest agent builds it. */
const agentBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  hostId: 'edge-6b1f0c2e8d4a4c1e9f3b2a7d5e6c8b90',
  token: 'lab-token-1',
  projectName: '',
  autoRegister: true,
  hostName: 'localhost',
  tags: 'region=east,rack=r1',
  ip: '10.0.2.15',
  mac: MAC,
  arch: 'amd64',
  cpus: 1,
  memoryMb: 481,
  os: 'Edge Lab guest',
  ...over,
});

/** The agent's `field` function (sed on the raw reply): the value of the last `"name":"…"`. */
function shellField(reply: string, name: string): string {
  const m = new RegExp(`.*"${name}":"((?:[^"\\\\]|\\\\.)*)".*`).exec(reply);
  return m ? (m[1] ?? '').replace(/\\"/g, '"') : '';
}

let clock: number;
let registry: HostRegistry;
let api: AgentApi;
const make = (tokens?: readonly RegistrationToken[]): AgentApi => createAgentApi({ registry, now: () => clock, tokens });

beforeEach(() => {
  clock = 1_000;
  registry = createInMemoryHostRegistry();
  api = make();
});

describe('register: tokens and projects', () => {
  it('registers a host with the default token into the token project, and records what it reported', () => {
    expect(DEFAULT_TOKENS).toEqual([{ token: 'lab-token-1', project: 'Default' }]);
    expect(api.register(agentBody())).toEqual({ status: 200, body: { status: 'registered', project: 'Default' } });
    expect(registry.list()).toEqual([
      {
        hostId: 'edge-6b1f0c2e8d4a4c1e9f3b2a7d5e6c8b90',
        state: 'registered',
        project: 'Default',
        autoRegister: true,
        hostName: 'localhost',
        tags: { region: 'east', rack: 'r1' },
        ip: '10.0.2.15',
        mac: MAC,
        arch: 'amd64',
        cpus: 1,
        memoryMb: 481,
        os: 'Edge Lab guest',
        firstSeenAt: 1_000,
        lastSeenAt: 1_000,
        registeredAt: 1_000,
        lastHeartbeatAt: null,
      },
    ]);
  });

  it('lets projectName override the token project; a blank projectName does not', () => {
    expect(api.register(agentBody({ hostId: 'h1', projectName: 'Retail' })).body).toEqual({ status: 'registered', project: 'Retail' });
    expect(api.register(agentBody({ hostId: 'h2', projectName: '   ' })).body).toEqual({ status: 'registered', project: 'Default' });
  });

  it('refuses an unknown token with token-unknown, pointing at stylus.site.edgeHostToken, and stores nothing', () => {
    const r = api.register(agentBody({ token: 'tok-typo' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'refused', code: 'token-unknown' });
    expect((r.body as { message: string }).message).toContain('stylus.site.edgeHostToken');
    expect((r.body as { message: string }).message).not.toContain('tok-typo');
    expect(registry.list()).toEqual([]);
  });

  it('refuses an empty token with token-unknown and says that no token was sent', () => {
    const r = api.register(agentBody({ token: '' }));
    expect(r.body).toMatchObject({ status: 'refused', code: 'token-unknown' });
    expect((r.body as { message: string }).message).toMatch(/no registration token.*stylus\.site\.edgeHostToken/);
  });

  it('uses the configured tokens instead of the default one', () => {
    api = make([{ token: 'shop-token', project: 'Shops' }, { token: 'bare-token' }]);
    expect(api.register(agentBody({ hostId: 'a' })).body).toMatchObject({ status: 'refused', code: 'token-unknown' });
    expect(api.register(agentBody({ hostId: 'b', token: 'shop-token' })).body).toEqual({ status: 'registered', project: 'Shops' });
    expect(api.register(agentBody({ hostId: 'c', token: 'bare-token', projectName: 'Lab' })).body).toEqual({ status: 'registered', project: 'Lab' });
  });

  it('refuses with project-missing when neither the token nor projectName names a project', () => {
    api = make([{ token: 'bare-token' }]);
    const r = api.register(agentBody({ token: 'bare-token' }));
    expect(r.body).toMatchObject({ status: 'refused', code: 'project-missing' });
    expect((r.body as { message: string }).message).toContain('stylus.site.projectName');
    expect(registry.list()).toEqual([]);
  });

  it.each([
    ['no tokens', []],
    ['an empty token', [{ token: '' }]],
    ['a token with whitespace', [{ token: 'a b' }]],
    ['a blank project', [{ token: 't', project: ' ' }]],
    ['the same token twice', [{ token: 't' }, { token: 't', project: 'P' }]],
  ])('rejects a token configuration with %s', (_label, tokens) => {
    expect(() => make(tokens)).toThrow(/^\[lab-server\] /);
  });
});

describe('register: manual registration', () => {
  it('keeps an autoRegister:false host pending, however often it asks, until approve(hostId)', () => {
    const body = agentBody({ autoRegister: false });
    expect(api.register(body)).toEqual({ status: 200, body: { status: 'pending' } });
    clock = 3_000;
    expect(api.register(body)).toEqual({ status: 200, body: { status: 'pending' } });
    expect(registry.list()).toHaveLength(1);
    expect(registry.list()[0]).toMatchObject({ state: 'pending', registeredAt: null, lastSeenAt: 3_000 });

    clock = 5_000;
    const approved = api.approve(body.hostId as string);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'registered', host: { hostId: body.hostId, state: 'registered', registeredAt: 5_000 } });

    clock = 7_000;
    expect(api.register(body)).toEqual({ status: 200, body: { status: 'registered', project: 'Default' } });
    expect(registry.list()[0]).toMatchObject({ registeredAt: 5_000, lastSeenAt: 7_000 });
  });

  it('approving an already registered host is harmless', () => {
    api.register(agentBody({ hostId: 'h1' }));
    const r = api.approve('h1');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'registered', host: { registeredAt: 1_000 } });
  });

  it('answers 404 for approving an ID no host has sent, and 400 for an invalid ID', () => {
    expect(api.approve('edge-nobody')).toMatchObject({ status: 404, body: { error: 'not-found' } });
    expect(api.approve('a/b')).toMatchObject({ status: 400, body: { error: 'bad-request', field: 'path' } });
    expect(registry.list()).toEqual([]);
  });

  it('a pending host that now asks for automatic registration is registered', () => {
    api.register(agentBody({ autoRegister: false, projectName: 'Old' }));
    clock = 2_000;
    expect(api.register(agentBody({ autoRegister: true, projectName: 'New' })).body).toEqual({ status: 'registered', project: 'New' });
    expect(registry.list()[0]).toMatchObject({ state: 'registered', registeredAt: 2_000, autoRegister: true });
  });
});

describe('register: host IDs and MAC addresses', () => {
  it('is idempotent for the same machine: same answer, one record, registration kept, reported facts refreshed', () => {
    const first = api.register(agentBody());
    clock = 9_000;
    const again = api.register(agentBody({ ip: '10.0.2.16', projectName: 'Elsewhere', mac: MAC.toUpperCase() }));
    expect(again).toEqual(first);
    const [host, ...rest] = registry.list();
    expect(rest).toEqual([]);
    expect(host).toMatchObject({ project: 'Default', registeredAt: 1_000, firstSeenAt: 1_000, lastSeenAt: 9_000, ip: '10.0.2.16', mac: MAC });
  });

  it('refuses the same host ID from another MAC with duplicate-host-id and leaves the old record alone', () => {
    api.register(agentBody());
    clock = 2_000;
    const r = api.register(agentBody({ mac: OTHER_MAC, ip: '10.0.2.99' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'refused', code: 'duplicate-host-id' });
    const message = (r.body as { message: string }).message;
    expect(message).toContain('edge-6b1f0c2e8d4a4c1e9f3b2a7d5e6c8b90');
    expect(message).toMatch(/Delete the old host record in Palette/);
    expect(registry.list()).toEqual([expect.objectContaining({ mac: MAC, ip: '10.0.2.15', lastSeenAt: 1_000 })]);
  });

  it('also refuses another MAC for a host ID that is only pending', () => {
    api.register(agentBody({ autoRegister: false }));
    expect(api.register(agentBody({ mac: OTHER_MAC })).body).toMatchObject({ status: 'refused', code: 'duplicate-host-id' });
  });

  it('accepts an empty MAC and IP (an agent that could not read them)', () => {
    expect(api.register(agentBody({ mac: '', ip: '' })).body).toEqual({ status: 'registered', project: 'Default' });
    expect(registry.list()[0]).toMatchObject({ mac: '', ip: '' });
  });

  it('accepts a body with only the required fields, and ignores fields it does not know', () => {
    const r = api.register({ hostId: 'edge-min', token: 'lab-token-1', autoRegister: true, mac: MAC, future: { x: 1 } });
    expect(r.body).toEqual({ status: 'registered', project: 'Default' });
    expect(registry.list()[0]).toMatchObject({ hostName: '', tags: {}, ip: '', cpus: 0, memoryMb: 0, os: '' });
    expect(registry.list()[0]).not.toHaveProperty('future');
  });

  it('parses tags whose values contain = and accepts an empty tag list', () => {
    api.register(agentBody({ hostId: 'h1', tags: 'k=a=b,empty=' }));
    api.register(agentBody({ hostId: 'h2', tags: '' }));
    expect(registry.list().map((h) => h.tags)).toEqual([{ k: 'a=b', empty: '' }, {}]);
  });
});

describe('refusals fit the agent shell parser', () => {
  it('never puts a double quote or backslash in a message, and the agent reads status, code and message back', () => {
    api = make([{ token: 'bare' }, ...DEFAULT_TOKENS]);
    const odd = 'edge-back\\slash';
    api.register(agentBody({ hostId: odd }));
    const refusals = [
      api.register(agentBody({ token: 'nope' })),
      api.register(agentBody({ token: '' })),
      api.register(agentBody({ token: 'bare' })),
      api.register(agentBody({ hostId: odd, mac: OTHER_MAC })),
      api.heartbeat('edge-gone', { hostId: 'edge-gone', ip: '' }),
    ];
    expect(refusals.map((r) => (r.body as { code: string }).code)).toEqual(['token-unknown', 'token-unknown', 'project-missing', 'duplicate-host-id', 'host-unknown']);
    for (const r of refusals) {
      const body = r.body as { status: string; code: string; message: string };
      expect(r.status).toBe(200);
      expect(body.message).not.toMatch(/["\\\n]/);
      const wire = JSON.stringify(body);
      expect(shellField(wire, 'status')).toBe('refused');
      expect(shellField(wire, 'code')).toBe(body.code);
      expect(shellField(wire, 'message')).toBe(body.message);
    }
  });

  it('the agent reads status and project from a registration', () => {
    const wire = JSON.stringify(api.register(agentBody({ projectName: 'Store "7"' })).body);
    expect(shellField(wire, 'status')).toBe('registered');
    expect(shellField(wire, 'project')).toBe('Store "7"');
  });

  it('plain() replaces quotes, backslashes and control characters', () => {
    expect(plain('a "b" c\\d\ne\tf')).toBe("a 'b' c/d e f");
  });
});

describe('register: malformed bodies are 400 with the field named', () => {
  it.each([
    ['hostId missing', { hostId: undefined }, 'hostId', /is required/],
    ['hostId empty', { hostId: '' }, 'hostId', /must not be empty/],
    ['hostId too long', { hostId: 'x'.repeat(129) }, 'hostId', /at most 128/],
    ['hostId with a slash', { hostId: 'edge/1' }, 'hostId', /'\/'/],
    ['hostId with a space', { hostId: 'edge 1' }, 'hostId', /whitespace/],
    ['hostId a number', { hostId: 7 }, 'hostId', /must be a string/],
    ['token missing', { token: undefined }, 'token', /is required/],
    ['token a number', { token: 123 }, 'token', /must be a string/],
    ['autoRegister a string', { autoRegister: 'true' }, 'autoRegister', /true or false/],
    ['autoRegister missing', { autoRegister: undefined }, 'autoRegister', /is required/],
    ['mac missing', { mac: undefined }, 'mac', /is required/],
    ['mac malformed', { mac: '52-54-00-a0-00-01' }, 'mac', /MAC address/],
    ['ip malformed', { ip: '10.0.2' }, 'ip', /IPv4 or IPv6/],
    ['cpus negative', { cpus: -1 }, 'cpus', /negative/],
    ['cpus fractional', { cpus: 1.5 }, 'cpus', /whole number/],
    ['memoryMb a string', { memoryMb: '512' }, 'memoryMb', /must be a number/],
    ['hostName a number', { hostName: 1 }, 'hostName', /must be a string/],
    ['projectName null', { projectName: null }, 'projectName', /must be a string/],
    ['tags without =', { tags: 'region' }, 'tags', /key=value/],
    ['tags with an empty key', { tags: '=east' }, 'tags', /key=value/],
    ['tags with an empty item', { tags: 'a=1,,b=2' }, 'tags', /item 2/],
    ['tags with a repeated key', { tags: 'a=1,a=2' }, 'tags', /appears twice/],
    ['tags an object', { tags: { region: 'east' } }, 'tags', /must be a string/],
  ])('%s', (_label, over, field, message) => {
    const body = agentBody(over);
    for (const k of Object.keys(over)) if ((over as Record<string, unknown>)[k] === undefined) delete body[k];
    const r = api.register(body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad-request', field });
    expect((r.body as { message: string }).message).toMatch(new RegExp(`^${field}: `));
    expect((r.body as { message: string }).message).toMatch(message);
    expect(registry.list()).toEqual([]);
  });

  it.each([
    ['missing', undefined, /required/],
    ['null', null, /JSON object/],
    ['an array', [agentBody()], /JSON object/],
    ['a string', 'hostId=x', /JSON object/],
  ])('a body that is %s is 400 without a field', (_label, body, message) => {
    const r = api.register(body);
    expect(r.status).toBe(400);
    expect(r.body).not.toHaveProperty('field');
    expect((r.body as { message: string }).message).toMatch(message);
  });
});

describe('heartbeat', () => {
  it('records a heartbeat of a registered host: new IP, lastHeartbeatAt', () => {
    api.register(agentBody({ hostId: 'h1' }));
    clock = 11_000;
    expect(api.heartbeat('h1', { hostId: 'h1', ip: '10.0.2.20' })).toEqual({ status: 200, body: { status: 'ok' } });
    expect(registry.list()[0]).toMatchObject({ ip: '10.0.2.20', lastHeartbeatAt: 11_000, lastSeenAt: 11_000 });
  });

  it('answers pending for a host that is not registered yet, and refuses an unknown host', () => {
    api.register(agentBody({ hostId: 'h1', autoRegister: false }));
    expect(api.heartbeat('h1', { hostId: 'h1', ip: '' }).body).toEqual({ status: 'pending' });
    expect(registry.list()[0]).toMatchObject({ lastHeartbeatAt: null });
    expect(api.heartbeat('h2', { hostId: 'h2', ip: '' })).toMatchObject({ status: 200, body: { status: 'refused', code: 'host-unknown' } });
  });

  it.each([
    ['a body for another host', 'h1', { hostId: 'h2', ip: '' }, 'hostId'],
    ['a malformed IP', 'h1', { hostId: 'h1', ip: 'nope' }, 'ip'],
    ['no hostId', 'h1', { ip: '10.0.2.15' }, 'hostId'],
    ['an invalid ID in the path', 'h#1', { hostId: 'h#1', ip: '' }, 'path'],
  ])('is 400 for %s', (_label, pathId, body, field) => {
    api.register(agentBody({ hostId: 'h1' }));
    const r = api.heartbeat(pathId, body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad-request', field });
    expect(registry.list()[0]).toMatchObject({ lastHeartbeatAt: null });
  });

  it('is 400 without a body', () => {
    expect(api.heartbeat('h1', undefined)).toMatchObject({ status: 400, body: { error: 'bad-request' } });
  });
});

describe('list and parseJsonBody', () => {
  it('lists hosts in the order they first registered, as copies', () => {
    api.register(agentBody({ hostId: 'b' }));
    api.register(agentBody({ hostId: 'a', autoRegister: false }));
    const listed = api.list();
    expect(listed.status).toBe(200);
    expect(listed.body.hosts.map((h) => [h.hostId, h.state])).toEqual([['b', 'registered'], ['a', 'pending']]);
    const first = listed.body.hosts[0];
    if (!first) throw new Error('no host');
    first.state = 'pending';
    first.tags.region = 'changed';
    expect(registry.list()[0]).toMatchObject({ state: 'registered', tags: { region: 'east' } });
  });

  it('parses JSON, treats an empty body as missing and answers 400 to anything else', () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBody(' \n')).toEqual({ ok: true, value: undefined });
    const bad = parseJsonBody('{"hostId":');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.response).toMatchObject({ status: 400, body: { error: 'bad-request', message: expect.stringMatching(/not valid JSON/) } });
  });
});
