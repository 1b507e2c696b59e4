import { describe, expect, it } from 'vitest';
import { projectUid } from './project-uid';
import { consoleSafe, decideRegistration, isOtherMachine, type KnownHost, type RegistrationInput, type RegistrationToken } from './registration';

const NOW = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const TOKENS: RegistrationToken[] = [
  { name: 'lab-token', value: 'tok-lab', defaultProject: 'Default', expiresAt: NOW + 30 * DAY },
  { name: 'bare-token', value: 'tok-bare', expiresAt: NOW + DAY },
  { name: 'old-token', value: 'tok-old', defaultProject: 'Default', expiresAt: Date.UTC(2025, 0, 31) },
  { name: 'orphan-token', value: 'tok-orphan', defaultProject: 'Retired', expiresAt: NOW + DAY },
];
const MAC = '52:54:00:12:34:56';
const host = (over: Partial<KnownHost> = {}): KnownHost => ({ hostId: 'edge-1', project: 'Default', state: 'registered', machine: { mac: MAC }, ...over });
const input = (over: Partial<RegistrationInput> = {}): RegistrationInput => ({
  hostId: 'edge-1', token: 'tok-lab', autoRegister: true, machine: { mac: MAC }, now: NOW,
  tokens: TOKENS, projects: ['Default', 'Retail-East'], hosts: [], ...over,
});

describe('decideRegistration: accepted', () => {
  it.each<[string, Partial<RegistrationInput>, object]>([
    ['a new host with a token into its default project', {}, { status: 'registered', project: 'Default', record: 'create' }],
    ['projectName overriding the token project', { projectName: 'Retail-East' }, { status: 'registered', project: 'Retail-East', record: 'create' }],
    ['projectUid naming a project (in upper case too)', { projectUid: projectUid('Retail-East').toUpperCase() }, { status: 'registered', project: 'Retail-East', record: 'create' }],
    ['projectUid winning over projectName', { projectUid: projectUid('Default'), projectName: 'Retail-East' }, { status: 'registered', project: 'Default' }],
    ['a blank projectName meaning the token project', { projectName: '  ' }, { status: 'registered', project: 'Default', record: 'create' }],
    ['a token without project when projectName is set', { token: 'tok-bare', projectName: 'Retail-East' }, { status: 'registered', project: 'Retail-East' }],
    ['the same machine again (MAC in another case), keeping its project', { projectName: 'Retail-East', machine: { mac: MAC.toUpperCase() }, hosts: [host()] }, { status: 'registered', project: 'Default', record: 'keep' }],
    ['an ID an admin added by hand, claimed by the first machine', { autoRegister: false, hosts: [host({ state: 'added', project: 'Retail-East', machine: {} })] }, { status: 'registered', project: 'Retail-East', record: 'register' }],
    ['a pending host that now asks for auto registration', { hosts: [host({ state: 'pending' })] }, { status: 'registered', record: 'register' }],
    ['a host whose identity is unknown on one side', { machine: { mac: '' }, hosts: [host()] }, { status: 'registered', record: 'keep' }],
    ['a token one millisecond before it expires', { now: NOW + 30 * DAY - 1 }, { status: 'registered' }],
  ])('%s', (_label, over, expected) => {
    expect(decideRegistration(input(over))).toMatchObject(expected);
  });

  it('leaves a host with auto registration off pending until an admin adds its ID', () => {
    const first = decideRegistration(input({ autoRegister: false }));
    expect(first).toMatchObject({ status: 'pending', project: 'Default', record: 'create' });
    expect(first.status === 'pending' && first.consoleMessage).toMatch(/Add Edge Hosts and add the ID edge-1/);
    expect(first.status === 'pending' && first.uiMessage).toMatch(/Add Edge Hosts in project Default/);
    expect(decideRegistration(input({ autoRegister: false, hosts: [host({ state: 'pending' })] }))).toMatchObject({ status: 'pending', record: 'keep' });
    expect(decideRegistration(input({ autoRegister: false, hosts: [host({ state: 'registered' })] }))).toMatchObject({ status: 'registered', record: 'keep' });
  });
});

type Refusal = [label: string, over: Partial<RegistrationInput>, code: string, console: RegExp, ui: RegExp];
const REFUSALS: Refusal[] = [
  ['an empty token', { token: '' }, 'token-unknown', /sent no registration token\. Set stylus\.site\.edgeHostToken/, /without a registration token\. Create one in Tenant Settings > Registration Tokens/],
  ['a token Palette never issued', { token: 'tok-typo' }, 'token-unknown', /does not know this registration token\. Check stylus\.site\.edgeHostToken/, /never issued\. Copy the value/],
  ['a token matched by name instead of value', { token: 'lab-token' }, 'token-unknown', /Check stylus\.site\.edgeHostToken/, /never issued/],
  ['an expired token', { token: 'tok-old' }, 'token-expired', /old-token expired on 2025-01-31\. Ask a tenant admin for a new token/, /expired on 2025-01-31\. Create a new token/],
  ['a token at its expiry instant', { now: NOW + 30 * DAY }, 'token-expired', /expired on 2025-07-01/, /update stylus\.site\.edgeHostToken/],
  ['a token without project and no projectName', { token: 'tok-bare' }, 'project-missing', /bare-token has no default project.*Set stylus\.site\.projectName/, /Give the token a default project/],
  ['a projectName that does not exist', { projectName: 'retail-east' }, 'project-unknown', /Project retail-east .* does not exist in Palette\. Did you mean Retail-East\? Correct projectName/, /create the project/],
  ['a projectUid no project has', { projectUid: '0123456789abcdef01234567' }, 'project-unknown', /UID 0123456789abcdef01234567 from stylus\.site\.projectUid\. Copy the UID from Tenant Settings > Projects/, /Tenant Settings > Projects shows each project's UID/],
  ['a token whose default project is gone', { token: 'tok-orphan' }, 'project-unknown', /default project Retired .* no longer exists/, /Edit the token's default project/],
  ['the ID of a host registered from another MAC', { hosts: [host({ machine: { mac: 'aa:bb:cc:dd:ee:ff' } })] }, 'duplicate-host-id', /Host ID edge-1 already belongs to another machine.*Delete the old host record in Palette \(Clusters > Edge Hosts\)/, /\(MAC aa:bb:cc:dd:ee:ff\).*delete the old record in Clusters > Edge Hosts/],
  ['the ID of a pending host from another machine', { hosts: [host({ state: 'pending', machine: { mac: 'aa:bb:cc:dd:ee:ff' } })] }, 'duplicate-host-id', /Delete the old host record/, /reinstalled or replaced/],
  ['the same machine after a reinstall (new install ID)', { machine: { mac: MAC, installId: 'i-2' }, hosts: [host({ machine: { mac: MAC, installId: 'i-1' } })] }, 'duplicate-host-id', /before a reinstall/, /If the host was reinstalled/],
  ['another device UUID with no MAC known', { machine: { deviceUuid: 'B' }, hosts: [host({ machine: { deviceUuid: 'A' } })] }, 'duplicate-host-id', /another machine/, /different machine/],
];

describe('decideRegistration: refused', () => {
  it.each(REFUSALS)('%s', (_label, over, code, consoleText, uiText) => {
    const d = decideRegistration(input(over));
    expect(d).toEqual({ status: 'refused', code, consoleMessage: expect.stringMatching(consoleText), uiMessage: expect.stringMatching(uiText) });
    if (d.status !== 'refused') return;
    expect(d.consoleMessage).not.toMatch(/["\\\n]/);
  });

  it('checks in order: token, expiry, project, then duplicate ID', () => {
    const dup = [host({ machine: { mac: 'aa:bb:cc:dd:ee:ff' } })];
    expect(decideRegistration(input({ token: 'nope', hosts: dup }))).toMatchObject({ code: 'token-unknown' });
    expect(decideRegistration(input({ token: 'tok-old', hosts: dup }))).toMatchObject({ code: 'token-expired' });
    expect(decideRegistration(input({ token: 'tok-bare', hosts: dup }))).toMatchObject({ code: 'project-missing' });
  });

  it('never lets user-supplied text break the console line', () => {
    const d = decideRegistration(input({ projectName: 'a"b\\c\nd' }));
    expect(d.status === 'refused' && d.consoleMessage).toBe("Project a'b/c d from stylus.site.projectName does not exist in Palette. Correct projectName in the user data.");
  });
});

describe('helpers', () => {
  it('consoleSafe replaces quotes, backslashes and control characters', () => {
    expect(consoleSafe('say "hi"\\now\r\n\tok')).toBe("say 'hi'/now ok");
  });

  it.each<[object, object, boolean]>([
    [{ mac: MAC }, { mac: MAC.toUpperCase() }, false],
    [{ mac: MAC }, { mac: 'aa:bb:cc:dd:ee:ff' }, true],
    [{ mac: MAC, deviceUuid: 'x' }, { mac: MAC, deviceUuid: 'y' }, true],
    [{ mac: MAC }, { deviceUuid: 'y' }, false],
    [{}, {}, false],
  ])('isOtherMachine(%j, %j) is %s', (a, b, other) => {
    expect(isOtherMachine(a, b)).toBe(other);
  });
});
