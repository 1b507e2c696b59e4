import { describe, it, expect } from 'vitest';
import { compileAgentEnv, nicEnvId, shellQuote } from './compile';
import type { UserData } from './schema';
import { validateUserData } from './validate';

/** Parses the env file the way `.` would for single-quoted values: KEY → value. */
function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=((?:'[^']*'|\\')*)$/.exec(line);
    if (!m) throw new Error(`not a single-quoted assignment: ${line}`);
    out[m[1]!] = m[2]!.replace(/'([^']*)'|\\'/g, (_all, inner: string | undefined) => inner ?? "'");
  }
  return out;
}

function compile(yaml: string): Record<string, string> {
  const r = validateUserData(`#cloud-config\n${yaml}`);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return parseEnv(compileAgentEnv(r.userData));
}

describe('shellQuote', () => {
  it.each([
    ['plain', `'plain'`],
    ['', `''`],
    [`it's`, `'it'\\''s'`],
    [`$(rm -rf /) \`x\` "q" \\n`, `'$(rm -rf /) \`x\` "q" \\n'`],
  ])('%j → %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});

describe('compileAgentEnv', () => {
  it('quotes a token containing a single quote so the shell reads it back unchanged', () => {
    const text = compileAgentEnv({ stylus: { site: { paletteEndpoint: 'p.example.com', edgeHostToken: `a'b''c` } } } as UserData);
    expect(text).toContain(`EDGE_TOKEN='a'\\''b'\\'''\\''c'\n`);
    expect(parseEnv(text).EDGE_TOKEN).toBe(`a'b''c`);
  });

  it('writes every key with defaults for a minimal file', () => {
    const env = compile('stylus: { managementMode: local }\n');
    expect(env).toEqual({
      EDGE_MANAGEMENT_MODE: 'local', EDGE_ENDPOINT: '', EDGE_TOKEN: '', EDGE_PROJECT: '', EDGE_PROJECT_UID: '', EDGE_NAME: '',
      EDGE_PREFIX: 'edge', EDGE_HOSTNAME: '', EDGE_DEVICE_UID_PATH: '/sys/class/dmi/id/product_uuid',
      EDGE_AUTO_REGISTER: 'true', EDGE_TAGS: '', EDGE_TAGS_FILE: '', EDGE_TAGS_FILE_DELIMITER: '=', EDGE_TAGS_FILE_SEPARATOR: '',
      EDGE_VIP_SKIP: 'false', EDGE_NAMESERVER: '', EDGE_DISABLE_TUI: 'false', EDGE_REGISTRATION_URL: '', EDGE_INSTALL_REBOOT: 'false', EDGE_INSTALL_POWEROFF: 'false',
      EDGE_USERS: 'kairos', EDGE_IFACES: '',
    });
  });

  it('carries projectUid, tagsFromFile, vip.skip, the nameserver and registrationURL', () => {
    const env = compile([
      'stylus:', '  vip: { skip: true }', '  disableTui: true', '  site:', '    paletteEndpoint: p.lab', '    edgeHostToken: t',
      '    projectUid: 0123456789ABCDEF01234567', '    network: { nameserver: 10.77.0.1 }', '    registrationURL: https://reg.lab/app?site=9',
      '    tagsFromFile: { fileName: /etc/os-release, separator: "\\n" }', '',
    ].join('\n'));
    expect(env).toMatchObject({
      EDGE_PROJECT_UID: '0123456789abcdef01234567', EDGE_VIP_SKIP: 'true', EDGE_DISABLE_TUI: 'true', EDGE_NAMESERVER: '10.77.0.1',
      EDGE_TAGS_FILE: '/etc/os-release', EDGE_TAGS_FILE_DELIMITER: '=', EDGE_TAGS_FILE_SEPARATOR: '',
      EDGE_REGISTRATION_URL: 'https://reg.lab/app?site=9',
    });
    expect(compile('stylus: { managementMode: local, site: { tagsFromFile: { fileName: /t, delimiter: ":", separator: ";" } } }\n'))
      .toMatchObject({ EDGE_TAGS_FILE_DELIMITER: ':', EDGE_TAGS_FILE_SEPARATOR: ';' });
  });

  it('starts with one comment line and ends with a newline', () => {
    const text = compileAgentEnv({});
    expect(text.split('\n')[0]).toMatch(/^# /);
    expect(text.endsWith("'\n")).toBe(true);
    expect(parseEnv(text).EDGE_MANAGEMENT_MODE).toBe('central');
  });

  it('flattens site, install, users and interfaces', () => {
    const env = compile([
      'stylus:',
      '  site:',
      '    paletteEndpoint: api.spectrocloud.com',
      '    edgeHostToken: tok',
      '    projectName: retail-east',
      '    name: edge-store0042-node1',
      '    prefix: shop',
      '    disableAutoRegister: true',
      '    deviceUIDPaths: [{ name: /etc/machine-id }, { name: /sys/class/dmi/id/product_serial }]',
      '    tags: { region: east, store: "0042" }',
      '    users: [{ name: ops }, { name: kairos }]',
      '    network:',
      '      interfaces:',
      '        eth0: { type: static, ipAddress: 10.20.1.11/24, gateway: 10.20.1.1, nameserver: 10.20.1.2 }',
      '        enp0s3.100: { type: static, ipAddress: 192.168.5.2, mask: 255.255.0.0 }',
      '        eth-2: { type: dhcp }',
      'install: { reboot: true }',
      'stages:',
      '  initramfs:',
      '    - users: { admin: {}, ops: {} }',
      '  boot.after:',
      '    - users: { svc: {} }',
      '',
    ].join('\n'));
    expect(env).toMatchObject({
      EDGE_MANAGEMENT_MODE: 'central', EDGE_ENDPOINT: 'api.spectrocloud.com', EDGE_TOKEN: 'tok',
      EDGE_PROJECT: 'retail-east', EDGE_NAME: 'edge-store0042-node1', EDGE_PREFIX: 'shop',
      EDGE_HOSTNAME: 'edge-store0042-node1', EDGE_DEVICE_UID_PATH: '/etc/machine-id', EDGE_AUTO_REGISTER: 'false',
      EDGE_TAGS: 'region=east,store=0042', EDGE_INSTALL_REBOOT: 'true', EDGE_INSTALL_POWEROFF: 'false',
      EDGE_USERS: 'kairos ops admin svc', EDGE_IFACES: 'eth0 enp0s3.100 eth-2',
      EDGE_IF_eth0_TYPE: 'static', EDGE_IF_eth0_ADDRESS: '10.20.1.11', EDGE_IF_eth0_MASK: '255.255.255.0',
      EDGE_IF_eth0_GATEWAY: '10.20.1.1', EDGE_IF_eth0_NAMESERVER: '10.20.1.2',
      EDGE_IF_enp0s3_100_TYPE: 'static', EDGE_IF_enp0s3_100_ADDRESS: '192.168.5.2', EDGE_IF_enp0s3_100_MASK: '255.255.0.0',
      EDGE_IF_enp0s3_100_GATEWAY: '', EDGE_IF_eth_2_TYPE: 'dhcp', EDGE_IF_eth_2_ADDRESS: '', EDGE_IF_eth_2_MASK: '',
    });
  });

  it('prefers hostName over name for EDGE_HOSTNAME', () => {
    const env = compile('stylus: { managementMode: local, site: { name: id-1, hostName: node1 } }\n');
    expect(env).toMatchObject({ EDGE_NAME: 'id-1', EDGE_HOSTNAME: 'node1' });
  });

  it('sanitises NIC names to [A-Za-z0-9_]', () => {
    expect(nicEnvId('enp0s3.100')).toBe('enp0s3_100');
    expect(nicEnvId('eth-0')).toBe('eth_0');
    expect(nicEnvId('wlan_0')).toBe('wlan_0');
  });
});
