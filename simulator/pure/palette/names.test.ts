import { describe, expect, it } from 'vitest';
import { checkName, checkNtpServer, checkSemver, checkSshKey, checkTagList, suggestName } from './names';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyDataForTests0123456789abcdefghij ops@laptop';

describe('names', () => {
  it.each(['a', 'edge-k3s-lab', 'store42', `a${'b'.repeat(62)}`])('accepts %j', (n) => expect(checkName(n, 'name', 'cluster')).toEqual([]));

  it.each<[string, RegExp, RegExp]>([
    ['Edge Lab', /has capital letters/, /`edge-lab`/],
    ['1edge', /does not start with a letter/, /`edge`/],
    ['edge_lab', /contains `_`/, /`edge-lab`/],
    ['edge lab', /contains a space/, /`edge-lab`/],
    ['edge-', /ends with `-`/, /`edge`/],
    [`a${'b'.repeat(63)}`, /64 characters long; the limit is 63/, /shorten it/],
  ])('refuses %j', (n, message, hint) => {
    expect(checkName(n, 'name', 'cluster')).toEqual([{ path: 'name', code: 'name-invalid', message: expect.stringMatching(message), hint: expect.stringMatching(hint), severity: 'error' }]);
  });

  it('suggests a valid name for anything', () => {
    for (const raw of ['Edge Lab!', '---', '42', 'ÄÖ']) expect(checkName(suggestName(raw), 'name', 'x')).toEqual([]);
  });
});

describe('checkSemver', () => {
  it.each(['0.0.1', '1.0.0', '10.20.30'])('accepts %s', (v) => expect(checkSemver(v, 'version')).toEqual([]));
  it.each([['1', '1.0.0'], ['1.2', '1.2.0'], ['v1.2.3', '1.2.3'], ['01.0.0', '1.0.0'], ['1.0.0-rc1', '1.0.0']])('refuses %s and suggests %s', (v, fix) => {
    expect(checkSemver(v, 'version')).toEqual([expect.objectContaining({ code: 'version-invalid', path: 'version', hint: `write e.g. \`${fix}\`` })]);
  });
});

describe('checkNtpServer', () => {
  it.each(['pool.ntp.org', 'time1.google.com', '192.168.1.1', 'ntp'])('accepts %s', (s) => expect(checkNtpServer(s, 'ntpServers[0]')).toEqual([]));
  it.each<[string, RegExp]>([['ntp://pool.ntp.org', /`pool\.ntp\.org`/], ['pool ntp org', /host name or IPv4/], ['', /host name or IPv4/], ['-bad.org', /host name/]])('refuses %j', (s, hint) => {
    expect(checkNtpServer(s, 'ntpServers[0]')).toEqual([expect.objectContaining({ code: 'ntp-invalid', path: 'ntpServers[0]', hint: expect.stringMatching(hint) })]);
  });
});

describe('checkSshKey', () => {
  it.each([ED25519, 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7', 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY='])('accepts %s', (k) => {
    expect(checkSshKey(k, 'sshKeys[0]')).toEqual([]);
  });

  it.each<[string, string, RegExp, RegExp]>([
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...', /private key/, /`\.pub` file/],
    ['two keys in one entry', `${ED25519}\n${ED25519}`, /more than one line/, /its own entry/],
    ['a key without its type', 'AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyData', /should start with a key type/, /whole line/],
    ['a cut key', 'ssh-ed25519 AAAAC3Nz', /data is missing or cut short/, /starts with `AAAA`/],
    ['a fingerprint', 'SHA256:abcdefghijklmnop', /should start with a key type/, /whole line/],
  ])('refuses %s', (_label, key, message, hint) => {
    expect(checkSshKey(key, 'sshKeys[1]')).toEqual([{ path: 'sshKeys[1]', code: 'ssh-key-invalid', message: expect.stringMatching(message), hint: expect.stringMatching(hint), severity: 'error' }]);
  });
});

describe('checkTagList', () => {
  it('accepts key:value and plain tags', () => {
    expect(checkTagList(['env:lab', 'store-42'], 'tags')).toEqual([]);
  });
  it('names the tag that is empty, has a space or a comma, or is too long, with its index', () => {
    expect(checkTagList(['ok', ' ', 'my tag', 'a,b', 'x'.repeat(64)], 'tags').map((i) => [i.path, i.code, i.message])).toEqual([
      ['tags[1]', 'tag-invalid', 'tag 2 is empty'],
      ['tags[2]', 'tag-invalid', 'the tag `my tag` contains whitespace or `,`'],
      ['tags[3]', 'tag-invalid', 'the tag `a,b` contains whitespace or `,`'],
      ['tags[4]', 'tag-invalid', `the tag \`${'x'.repeat(20)}…\` is 64 characters long; the limit is 63`],
    ]);
    expect(checkTagList(['my tag'], 'tags')[0]?.hint).toMatch(/`my-tag`/);
  });
});
