import { describe, it, expect } from 'vitest';
import { formatUserDataIssues, validateUserData } from './validate';

const doc = (...lines: string[]): string => `${lines.join('\n')}\n`;

const REFERENCE_EXAMPLE = doc(
  '#cloud-config',
  'stylus:',
  '  site:',
  '    paletteEndpoint: api.spectrocloud.com',
  '    edgeHostToken: "<tenant-registration-token>"',
  '    projectName: retail-east',
  '    name: edge-store0042-node1',
  '    tags: { region: east, store: "0042" }',
  '    network:',
  '      interfaces:',
  '        eth0: { type: static, ipAddress: 10.20.1.11/24, gateway: 10.20.1.1, nameserver: 10.20.1.2 }',
  'install:',
  '  poweroff: true',
  'stages:',
  '  initramfs:',
  '    - name: create operator',
  '      users:',
  '        ops: { passwd: "changeme", groups: [sudo], ssh_authorized_keys: ["ssh-ed25519 AAAA..."] }',
);

function issuesOf(text: string) {
  const r = validateUserData(text, { file: 'site.yaml' });
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.issues;
}

describe('validateUserData: good input', () => {
  it('accepts the reference example and applies install defaults', () => {
    const r = validateUserData(REFERENCE_EXAMPLE);
    expect(r).toMatchObject({ ok: true, warnings: [] });
    if (!r.ok) return;
    expect(r.userData.stylus?.site?.tags).toEqual({ region: 'east', store: '0042' });
    expect(r.userData.install).toMatchObject({ poweroff: true, reboot: false });
    expect(r.userData.stages?.initramfs?.[0]?.users).toHaveProperty('ops');
  });

  it.each([
    ['local mode without a site', doc('#cloud-config', 'stylus:', '  managementMode: local')],
    ['CRLF line endings', REFERENCE_EXAMPLE.replace(/\n/g, '\r\n')],
    ['a byte-order mark', `\uFEFF${REFERENCE_EXAMPLE}`],
    ['trailing space after the header', REFERENCE_EXAMPLE.replace('#cloud-config', '#cloud-config  ')],
    ['stage hooks and unknown step keys', doc(
      '#cloud-config', 'stylus: { managementMode: local }', 'stages:', '  network.after:',
      '    - name: x', '      commands: [echo hi]', '      if: "[ -e /tmp ]"', '      some_future_key: { a: 1 }', '  boot.before: []',
    )],
    ['every stylus key the lab honours', doc(
      '#cloud-config', 'stylus:', '  debug: true', '  trace: false', '  managementMode: central', '  disableTui: true',
      '  enableMultiNode: true', '  featureGate: "UserDataForm,DisableWorkerNodeCapReconcile"',
      '  localUI: { port: 5080 }', '  disablePasswordUpdate: true', '  path: /',
      '  registryCredentials: { domain: r.io, username: u, password: p, encodedPassword: false, insecure: true }',
      '  externalRegistries: { registries: [{ domain: r.io }], registryMappingRules: { a: b } }',
      '  imageRedirectWebhook: { enable: true, port: 8443 }', '  vip: { skip: true }', '  site:',
      '    paletteEndpoint: palette.corp.local:443', '    edgeHostToken: t', '    disableAutoRegister: true',
      '    projectUid: 0123456789ABCDEF01234567', '    prefix: store-42', '    hostName: node1',
      '    deviceUIDPaths: [{ name: /etc/machine-id, regex: ".*" }]',
      '    tagsFromFile: { fileName: /oem/tags, delimiter: "=", separator: "\\n" }',
      '    network: { nameserver: 1.1.1.1, interfaces: { eth1: { type: dhcp } } }',
      '    ntpServers: [pool.ntp.org]',
      '    clusterId: c1', '    clusterName: edge', '    remoteShell: { disable: true }',
      '    users: [{ name: ops, passwd: x, groups: [sudo], ssh_authorized_keys: [k], lock_passwd: false, passwordExpiry: 90 }]',
      'install:', '  reboot: true', '  bind_mounts: [/var/lib/ops]', '  extra-dirs-rootfs: [/var/lib/ops]',
      '  grub_options: { extra_cmdline: "console=ttyS0" }', '  partitions: { persistent: { size: 0, fs: ext4 } }',
      '  extra-partitions: [{ name: data, size: 0, fs: xfs, label: DATA }]',
    )],
  ])('accepts %s', (_label, text) => {
    const r = validateUserData(text);
    expect(r.ok ? r.warnings : r.issues).toEqual([]);
  });
});

describe('validateUserData: keys the lab cannot honour', () => {
  const site = (...lines: string[]) => doc('#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: p.lab', '    edgeHostToken: t', ...lines);
  it.each([
    ['stylus.site.network.httpsProxy', ['    network:', '      httpsProxy: http://proxy.corp.local:3128'], 7, /no proxy/, /through this proxy/],
    ['stylus.site.network.httpProxy', ['    network: { httpProxy: "http://p:3128" }'], 6, /no proxy/, /plain-HTTP traffic/],
    ['stylus.site.network.noProxy', ['    network: { noProxy: 10.0.0.0/8 }'], 6, /nothing to bypass/, /without the proxy/],
    ['stylus.site.caCerts', ['    caCerts: ["-----BEGIN CERTIFICATE-----"]'], 6, /plain HTTP .* no certificate to trust/, /CA certificates/],
    ['stylus.site.insecureSkipVerify', ['    insecureSkipVerify: false'], 6, /no certificate check to skip/, /without checking it/],
    ['stylus.site.tagsFromScript', ['    tagsFromScript: { scriptName: /oem/tags.sh, timeout: 60 }'], 6, /nothing can put a script on the host/, /tags it prints/],
  ])('refuses %s with the reason and what it does on a real site', (path, lines, line, why, real) => {
    const [issue] = issuesOf(site(...lines));
    expect(issue).toMatchObject({ path, line, message: expect.stringMatching(/is real Palette Edge user data, but Edge Lab does not support it: /) });
    expect(issue?.message).toMatch(why);
    expect(issue?.hint).toMatch(/^remove it for the lab; on a real site it /);
    expect(issue?.hint).toMatch(real);
  });

  it('takes registrationURL (the console draws its QR code) and refuses one the QR code cannot carry', () => {
    expect(validateUserData(site('    registrationURL: https://reg.example.com/app'), { file: 'site.yaml' }).ok).toBe(true);
    const long = `https://reg.example.com/${'a'.repeat(120)}`;
    expect(issuesOf(site(`    registrationURL: ${long}`))).toMatchObject([{ path: 'stylus.site.registrationURL', line: 6, message: `is ${long.length} characters long; the console's QR code holds at most 140 here (the host ID goes after it)` }]);
    expect(issuesOf(site('    registrationURL: https://réseau.example.com'))).toMatchObject([{ path: 'stylus.site.registrationURL', message: /outside plain ASCII/, hint: /percent-encode/ }]);
  });

  it('refuses projectName and projectUid together, and a projectUid that is not one', () => {
    expect(issuesOf(site('    projectName: Default', '    projectUid: 0123456789abcdef01234567'))).toMatchObject([
      { path: 'stylus.site.projectUid', line: 7, message: expect.stringMatching(/both set/), hint: expect.stringMatching(/keep one/) },
    ]);
    expect(issuesOf(site('    projectUid: retail-east'))).toMatchObject([
      { path: 'stylus.site.projectUid', message: '`retail-east` is not a project UID', hint: expect.stringMatching(/Tenant Settings > Projects/) },
    ]);
  });

  it('refuses a tagsFromFile with a relative path or an empty delimiter', () => {
    expect(issuesOf(site('    tagsFromFile: { fileName: tags.txt, delimiter: "" }'))).toMatchObject([
      { path: 'stylus.site.tagsFromFile.fileName', message: '`tags.txt` is not an absolute path' },
      { path: 'stylus.site.tagsFromFile.delimiter', message: 'is empty', hint: expect.stringMatching(/`=`/) },
    ]);
  });
});

describe('validateUserData: #cloud-config header', () => {
  it.each([
    ['missing', doc('stylus:', '  managementMode: local'), /does not start with `#cloud-config`/, /add `#cloud-config` as the first line/],
    ['misspelled', doc('# Cloud-Config', 'stylus: { managementMode: local }'), /first line is `# Cloud-Config`/, /lowercase, no space/],
    ['not first', doc('# site 42', '#cloud-config', 'stylus: { managementMode: local }'), /on line 2/, /move it to the very top/],
    ['empty file', '', /does not start/, /first line/],
  ])('reports a %s header at 1:1', (_label, text, message, hint) => {
    const [first] = issuesOf(text);
    expect(first).toMatchObject({ file: 'site.yaml', line: 1, column: 1, path: '' });
    expect(first?.message).toMatch(message);
    expect(first?.hint).toMatch(hint);
  });
});

describe('validateUserData: YAML syntax', () => {
  it.each([
    ['tab indentation', doc('#cloud-config', 'stylus:', '\tdebug: true'), 3, 1, /Tabs/, /spaces/],
    ['duplicate key', doc('#cloud-config', 'stylus:', '  debug: true', '  debug: false'), 4, 3, /unique/, /duplicate/],
    ['unclosed flow map', doc('#cloud-config', 'stylus:', '  site: { name: a', 'install: {}'), 4, 1, /end with a \}/, /close every `\[` and `\{`/],
    ['unclosed quote', doc('#cloud-config', 'stylus:', '  featureGate: "abc', '  debug: true'), 5, 1, /Missing closing "quote/, /never closed/],
    ['misaligned key', doc('#cloud-config', 'stylus:', '  site:', '    name: a', '   prefix: b'), 5, 1, /same column/, /lines up/],
    ['nested compact mapping', doc('#cloud-config', 'stylus:', '  site:', '    name: a: b'), 4, 11, /Nested mappings/, /ends with `: `/],
    ['two documents', doc('#cloud-config', 'stylus: {}', '---', 'install: {}'), 3, 1, /./, /single YAML document/],
  ])('%s is reported at the parser position', (_label, text, line, column, message, hint) => {
    const issues = issuesOf(text);
    expect(issues[0]).toMatchObject({ line, column, path: '' });
    expect(issues[0]?.message).toMatch(/^YAML syntax: /);
    expect(issues[0]?.message).toMatch(message);
    expect(issues[0]?.message).not.toMatch(/at line|\n/);
    expect(issues[0]?.hint).toMatch(hint);
  });

  it('reports alias explosions instead of throwing', () => {
    const lines = ['#cloud-config', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const issues = issuesOf(doc(...lines));
    expect(issues).toEqual([expect.objectContaining({ line: 1, column: 1, path: '', hint: expect.stringMatching(/aliases/) })]);
    expect(issues[0]?.message).toMatch(/^YAML: .*alias/i);
  });

  it('does not check the schema when the YAML is broken', () => {
    const issues = issuesOf(doc('#cloud-config', 'stylys:', '  debug: true', ' bad: [1'));
    expect(issues.every((i) => i.message.startsWith('YAML syntax'))).toBe(true);
  });
});

describe('validateUserData: document shape', () => {
  it('rejects a document that is not a mapping', () => {
    const [issue, ...rest] = issuesOf(doc('#cloud-config', '- stylus'));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ line: 2, column: 1, path: '' });
    expect(issue?.message).toMatch(/must be a mapping of keys, not a list/);
  });

  it('reports every problem at once, sorted by position', () => {
    const issues = issuesOf(doc('stylus:', '  managementMode: local', '  debug: "yes"', 'instal: {}'));
    expect(issues.map((i) => [i.line, i.column, i.path])).toEqual([
      [1, 1, ''], [3, 10, 'stylus.debug'], [4, 1, 'instal'],
    ]);
    expect(issues[1]?.hint).toBe('write `true` or `false` without quotes');
    expect(issues[2]?.hint).toBe('did you mean `install`?');
  });
});

describe('warnings', () => {
  it.each([
    ['deprecated includeTui', ['  includeTui: true'], 3, 3, 'stylus.includeTui', /deprecated/, /disableTui/],
    ['static fields on a dhcp interface', ['  site: { network: { interfaces: { eth0: { type: dhcp, gateway: 10.0.0.1 } } } }'], 3, 56, 'stylus.site.network.interfaces.eth0.gateway', /ignored/, /type: static/],
  ])('%s', (_label, lines, line, column, path, message, hint) => {
    const r = validateUserData(doc('#cloud-config', 'stylus:', ...lines, '  managementMode: local'));
    expect(r.ok).toBe(true);
    const [w, ...rest] = r.ok ? r.warnings : [];
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ line, column, path });
    expect(w?.message).toMatch(message);
    expect(w?.hint).toMatch(hint);
  });

  it('warns about a misspelled step key that yip would ignore', () => {
    const r = validateUserData(doc('#cloud-config', 'stylus: { managementMode: local }', 'stages:', '  boot:', '    - comands: [ls]'));
    expect(r.ok && r.warnings).toEqual([
      expect.objectContaining({ line: 5, column: 7, path: 'stages.boot[0].comands', hint: 'did you mean `commands`?' }),
    ]);
  });
});

describe('formatUserDataIssues', () => {
  it('prints file:line:col, path, message and fix', () => {
    const out = formatUserDataIssues([
      { file: 'site.yaml', line: 7, column: 5, path: 'stylus.site.edgeHostToken', message: 'is empty', hint: 'paste the token' },
      { file: 'site.yaml', line: 1, column: 1, path: '', message: 'YAML syntax: bad' },
    ]);
    expect(out).toBe('site.yaml:7:5  stylus.site.edgeHostToken: is empty. Fix: paste the token\nsite.yaml:1:1  YAML syntax: bad');
  });

  it('formats real validator output without stack traces', () => {
    const out = formatUserDataIssues(issuesOf(doc('#cloud-config', 'stylus:', '  site:', '    edgeHostToken: t')));
    expect(out).toBe(
      'site.yaml:3:3  stylus.site.paletteEndpoint: is required in central management mode. Fix: add `paletteEndpoint: api.spectrocloud.com` (your Palette host name) under `stylus.site`, or set `stylus.managementMode: local`',
    );
  });
});
