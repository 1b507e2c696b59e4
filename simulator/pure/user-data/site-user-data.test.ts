import { describe, expect, it } from 'vitest';
import { compileSiteOverrides } from './compile';
import { validateUserData } from './validate';

const doc = (...lines: string[]): string => `${['#cloud-config', ...lines].join('\n')}\n`;

function overrides(text: string): string[] {
  const r = validateUserData(text, { purpose: 'site' });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return compileSiteOverrides(r.userData).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('site user data (CIDATA stick)', () => {
  it('needs no endpoint or token: it only adds or changes keys', () => {
    expect(validateUserData(doc('stylus:', '  site:', '    projectName: Retail-East'), { purpose: 'site' })).toMatchObject({ ok: true });
    // The installer's user data does need them.
    expect(validateUserData(doc('stylus:', '  site:', '    projectName: Retail-East'))).toMatchObject({ ok: false });
  });

  it('refuses install (over by then) and stages (a lab limit), at their keys', () => {
    const r = validateUserData(doc('install:', '  reboot: true', 'stages:', '  boot: []'), { purpose: 'site', file: 'site.yaml' });
    expect(r).toMatchObject({
      ok: false,
      issues: [
        { file: 'site.yaml', line: 2, path: 'install', message: expect.stringMatching(/read after the install/), hint: "move it to the installer's user data" },
        { line: 4, path: 'stages', message: expect.stringMatching(/Edge Lab runs only the stages of the installer's user data/) },
      ],
    });
  });

  it('compiles only the keys the file sets, and a project choice clears the other project key', () => {
    expect(overrides(doc('stylus:', '  site:', '    projectName: Retail-East', '    tags: { store: "42" }'))).toEqual([
      "EDGE_PROJECT='Retail-East'", "EDGE_PROJECT_UID=''", "EDGE_TAGS='store=42'",
    ]);
  });

  it('replaces the NIC list and sets each NIC of the file', () => {
    expect(overrides(doc('stylus:', '  site:', '    network:', '      interfaces:', '        eth1: { type: static, ipAddress: 10.77.0.21/24 }'))).toEqual([
      "EDGE_IFACES='eth1'", "EDGE_IF_eth1_TYPE='static'", "EDGE_IF_eth1_ADDRESS='10.77.0.21'", "EDGE_IF_eth1_MASK='255.255.255.0'",
      "EDGE_IF_eth1_GATEWAY=''", "EDGE_IF_eth1_NAMESERVER=''",
    ]);
  });

  it('gives a name as the host name too, and nothing for an empty file', () => {
    expect(overrides(doc('stylus:', '  site:', '    name: store42-node1'))).toEqual(["EDGE_NAME='store42-node1'", "EDGE_HOSTNAME='store42-node1'"]);
    expect(overrides(doc('stylus: {}'))).toEqual([]);
  });
});
