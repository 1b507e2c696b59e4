import { describe, it, expect } from 'vitest';
import { validateUserData } from './validate';

// Lines 1–5 of every case unless a case writes its own; the case's lines start at line 6.
const HEAD = ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com', '    edgeHostToken: tok'];
const site = (...lines: string[]): string[] => [...HEAD, ...lines];

type Case = [label: string, lines: string[], line: number, column: number, path: string, message: RegExp, hint?: RegExp];

const CASES: Case[] = [
  ['misspelled edgeHostToken at line 5',
    ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com', '    edgeHostTokn: tok'],
    5, 5, 'stylus.site.edgeHostTokn', /unknown key `edgeHostTokn`/, /did you mean `edgeHostToken`\?/],
  ['unknown top-level stylys', ['#cloud-config', 'stylus: { managementMode: local }', 'stylys:', '  debug: true'],
    3, 1, 'stylys', /unknown key `stylys`/, /did you mean `stylus`\?/],
  ['site key one level too high', ['#cloud-config', 'stylus:', '  managementMode: local', '  paletteEndpoint: api.spectrocloud.com'],
    4, 3, 'stylus.paletteEndpoint', /unknown key `paletteEndpoint`/, /belongs under `stylus.site`/],
  ['unknown key with no close match', site('    color: blue'), 6, 5, 'stylus.site.color', /unknown key `color`/, /valid keys here: paletteEndpoint, edgeHostToken/],
  ['missing paletteEndpoint', ['#cloud-config', 'stylus:', '  site:', '    edgeHostToken: tok'],
    3, 3, 'stylus.site.paletteEndpoint', /required in central management mode/, /paletteEndpoint: api\.spectrocloud\.com.*managementMode: local/],
  ['missing edgeHostToken', ['#cloud-config', 'stylus:', '  managementMode: central', '  site:', '    paletteEndpoint: api.spectrocloud.com'],
    4, 3, 'stylus.site.edgeHostToken', /required in central management mode; every registration method needs it/, /Registration Tokens/],
  ['https:// endpoint', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: https://api.spectrocloud.com/', '    edgeHostToken: tok'],
    4, 22, 'stylus.site.paletteEndpoint', /without a scheme/, /host name only: `paletteEndpoint: api\.spectrocloud\.com`/],
  ['endpoint with a path', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com/v1', '    edgeHostToken: tok'],
    4, 22, 'stylus.site.paletteEndpoint', /without a path/, /`paletteEndpoint: api\.spectrocloud\.com`/],
  ['endpoint with a bad port', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: "palette.local:99999"', '    edgeHostToken: tok'],
    4, 22, 'stylus.site.paletteEndpoint', /port `99999`/, /palette\.local:443/],
  ['endpoint with an underscore', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: my_palette', '    edgeHostToken: tok'],
    4, 22, 'stylus.site.paletteEndpoint', /`my_palette` is not a valid host name/, /letters, digits/],
  ['empty token', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com', '    edgeHostToken: ""'],
    5, 20, 'stylus.site.edgeHostToken', /is empty/, /registration token/],
  ['token from a block scalar (trailing newline)', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com', '    edgeHostToken: |', '      abc'],
    5, 20, 'stylus.site.edgeHostToken', /whitespace or a line break/, /on one line/],
  ['token without a value', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com', '    edgeHostToken:'],
    5, 5, 'stylus.site.edgeHostToken', /has no value; expected text/, /give it a value/],
  ['numeric token', ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.spectrocloud.com', '    edgeHostToken: 12345'],
    5, 20, 'stylus.site.edgeHostToken', /YAML reads `12345` as a number/, /edgeHostToken: "12345"/],
  ['name with /', site('    name: "store/1"'), 6, 11, 'stylus.site.name', /the character `\/`/, /name: store-1/],
  ['name with a space', site('    name: store one'), 6, 11, 'stylus.site.name', /contains a space/, /name: store-one/],
  ['name with a dot', site('    name: edge.store'), 6, 11, 'stylus.site.name', /the character `\.`/, /name: edge-store/],
  ['name with a quote', site(`    name: "it's"`), 6, 11, 'stylus.site.name', /the character `'`/, /name: it-s/],
  ['name over 128 characters', site(`    name: ${'a'.repeat(129)}`), 6, 11, 'stylus.site.name', /129 characters long; host IDs are limited to 128/, /shorten/],
  ['empty name', site('    name: ""'), 6, 11, 'stylus.site.name', /is empty/, /device UID/],
  ['prefix with _', site('    prefix: my_edge'), 6, 13, 'stylus.site.prefix', /the character `_`; a prefix may only use letters, digits and `-`/, /prefix: my-edge/],
  ['number tag value', site('    tags:', '      region: east', '      store: 0042'),
    8, 14, 'stylus.site.tags.store', /YAML reads `0042` as a number \(42\)/, /quote the value: `store: "0042"`/],
  ['boolean tag value in a flow map', site('    tags: { pos: true }'),
    6, 18, 'stylus.site.tags.pos', /YAML reads `true` as a boolean/, /`pos: "true"`/],
  ['tag key with =', site('    tags: { "a=b": c }'), 6, 13, 'stylus.site.tags.a=b', /may not contain `=` or `,`/],
  ['tag value with ,', site('    tags: { zone: "a,b" }'), 6, 19, 'stylus.site.tags.zone', /may not contain `,`/, /separate tags/],
  ['quoted boolean', site('    disableAutoRegister: "true"'), 6, 26, 'stylus.site.disableAutoRegister', /not the text `true`/, /without quotes/],
  ['deviceUIDPaths not a list', site('    deviceUIDPaths: /etc/machine-id'), 6, 21, 'stylus.site.deviceUIDPaths', /must be a list, not text/, /starting with `- `/],
  ['deviceUIDPaths entry without name', site('    deviceUIDPaths:', '      - regex: ".*"'), 7, 9, 'stylus.site.deviceUIDPaths[0].name', /is required/, /add `name: …`/],
  ['registrationURL without scheme', site('    registrationURL: reg.example.com'), 6, 22, 'stylus.site.registrationURL', /full URL/, /https:\/\//],
  ['site user without a name', site('    users:', '      - passwd: x'), 7, 9, 'stylus.site.users[0].name', /is required/],
  ['site user with a bad name', site('    users: [{ name: "ops team" }]'), 6, 21, 'stylus.site.users[0].name', /not a valid user name/],
  ['managementMode with capital', ['#cloud-config', 'stylus:', '  managementMode: Local'],
    3, 19, 'stylus.managementMode', /must be one of `central`, `local`, not `Local`/, /did you mean `local`\?/],
  ['localUI port out of range', site('  localUI: { port: 70000 }'), 6, 20, 'stylus.localUI.port', /at most 65535/],
  ['stylus without a value', ['#cloud-config', 'stylus:'], 2, 1, 'stylus', /has no value; expected a mapping of keys/],
];

const NET = (iface: string): string[] => site('    network:', '      interfaces:', `        ${iface}`);
const NET_CASES: Case[] = [
  ['static without ipAddress', NET('eth0: { type: static, gateway: 10.0.0.1 }'),
    8, 9, 'stylus.site.network.interfaces.eth0.ipAddress', /static interface needs `ipAddress`/, /type: dhcp/],
  ['bad ipAddress', NET('eth0: { type: static, ipAddress: 10.0.0.300/24 }'),
    8, 42, 'stylus.site.network.interfaces.eth0.ipAddress', /`10\.0\.0\.300\/24` is not an IPv4 address/, /192\.168\.1\.10\/24/],
  ['bad mask', NET('eth0: { type: static, ipAddress: 10.0.0.5, mask: 255.0.255.0 }'),
    8, 58, 'stylus.site.network.interfaces.eth0.mask', /not a valid netmask/, /255\.255\.255\.0/],
  ['mask disagreeing with CIDR', NET('eth0: { type: static, ipAddress: 10.0.0.5/24, mask: 255.255.0.0 }'),
    8, 61, 'stylus.site.network.interfaces.eth0.mask', /\/16 mask but ipAddress says \/24/, /agree/],
  ['bad gateway', NET('eth0: { type: static, ipAddress: 10.0.0.5/24, gateway: gw.local }'),
    8, 64, 'stylus.site.network.interfaces.eth0.gateway', /`gw\.local` is not an IPv4 address/],
  ['bad type', NET('eth0: { type: Static, ipAddress: 10.0.0.5/24 }'),
    8, 23, 'stylus.site.network.interfaces.eth0.type', /must be one of `dhcp`, `static`/, /did you mean `static`\?/],
  ['missing type', NET('eth0: { ipAddress: 10.0.0.5/24 }'),
    8, 9, 'stylus.site.network.interfaces.eth0.type', /is required/, /add `type: dhcp` or `type: static`/],
  ['NIC name with a space', NET('"eth 0": { type: dhcp }'),
    8, 9, 'stylus.site.network.interfaces.eth 0', /not a valid interface name/, /eth0/],
  ['unknown interface key', NET('eth0: { type: dhcp, dns: 1.1.1.1 }'),
    8, 29, 'stylus.site.network.interfaces.eth0.dns', /unknown key `dns`/, /valid keys here: type, ipAddress, mask, gateway, nameserver/],
];

describe('validateUserData: stylus and stylus.site', () => {
  it.each([...CASES, ...NET_CASES])('%s', (_label, lines, line, column, path, message, hint) => {
    const r = validateUserData(`${lines.join('\n')}\n`, { file: 'site.yaml' });
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'site.yaml', line, column, path });
    expect(issues[0]?.message).toMatch(message);
    if (hint) expect(issues[0]?.hint).toMatch(hint);
  });
});
