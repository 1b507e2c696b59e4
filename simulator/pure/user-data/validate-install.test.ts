import { describe, it, expect } from 'vitest';
import { validateUserData } from './validate';

// Lines 1–2 are a valid local-mode stylus block; each case's lines start at line 3.
const doc = (...lines: string[]): string => ['#cloud-config', 'stylus: { managementMode: local }', ...lines].join('\n') + '\n';

type Case = [label: string, lines: string[], line: number, column: number, path: string, message: RegExp, hint?: RegExp];

const INSTALL: Case[] = [
  ['reboot and poweroff both true', ['install:', '  reboot: true', '  poweroff: true'],
    5, 13, 'install.poweroff', /`reboot` and `poweroff` are both true/, /choose one/],
  ['reboot as text', ['install:', '  reboot: "yes"'], 4, 11, 'install.reboot', /must be `true` or `false`, not the text `yes`/, /without quotes/],
  ['misspelled poweroff', ['install:', '  powerof: true'], 4, 3, 'install.powerof', /unknown key `powerof`/, /did you mean `poweroff`\?/],
  ['misspelled top-level install', ['instal:', '  reboot: true'], 3, 1, 'instal', /unknown key `instal`/, /did you mean `install`\?/],
  ['bind_mounts not a list', ['install:', '  bind_mounts: /var/lib/ops'], 4, 16, 'install.bind_mounts', /must be a list, not text/],
  ['misspelled grub option', ['install:', '  grub_options:', '    extra_cmdlin: quiet'],
    5, 5, 'install.grub_options.extra_cmdlin', /unknown key/, /did you mean `extra_cmdline`\?/],
  ['unknown filesystem', ['install:', '  partitions: { persistent: { fs: ntfs } }'],
    4, 35, 'install.partitions.persistent.fs', /must be one of `ext2`, `ext3`, `ext4`, `xfs`, `btrfs`, not `ntfs`/],
  ['negative partition size', ['install:', '  extra-partitions:', '    - { name: data, size: -1 }'],
    5, 27, 'install.extra-partitions[0].size', /must be at least 0/],
  ['fractional partition size', ['install:', '  extra-partitions:', '    - { name: data, size: 1.5 }'],
    5, 27, 'install.extra-partitions[0].size', /whole number/],
  ['partition size as text', ['install:', '  extra-partitions:', '    - { size: "100" }'],
    5, 15, 'install.extra-partitions[0].size', /not the text `100`/, /remove the quotes/],
];

const STAGES: Case[] = [
  ['misspelled stage', ['stages:', '  netwrk: []'], 4, 3, 'stages.netwrk', /unknown key `netwrk`/, /did you mean `network`\?/],
  ['misspelled stage hook', ['stages:', '  network.afterr: []'], 4, 3, 'stages.network.afterr', /unknown key/, /did you mean `network.after`\?/],
  ['unknown stage', ['stages:', '  shutdown: []'], 4, 3, 'stages.shutdown', /unknown key `shutdown`/, /rootfs, initramfs, boot/],
  ['stage that is not a list', ['stages:', '  boot:', '    name: x'], 5, 5, 'stages.boot', /must be a list, not a mapping/, /- /],
  ['commands that are not a list', ['stages:', '  boot:', '    - commands: reboot'], 5, 17, 'stages.boot[0].commands', /must be a list, not text/],
  ['step user with a bad name', ['stages:', '  initramfs:', '    - users:', '        "9ops": { passwd: x }'],
    6, 9, 'stages.initramfs[0].users.9ops', /`9ops` is not a valid user name/],
  ['file without path', ['stages:', '  boot:', '    - files:', '        - content: hi'], 6, 11, 'stages.boot[0].files[0].path', /is required/],
];

describe('validateUserData: install and stages', () => {
  it.each([...INSTALL, ...STAGES])('%s', (_label, lines, line, column, path, message, hint) => {
    const r = validateUserData(doc(...lines), { file: 'site.yaml' });
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'site.yaml', line, column, path });
    expect(issues[0]?.message).toMatch(message);
    if (hint) expect(issues[0]?.hint).toMatch(hint);
  });

  it.each([
    ['reboot only', ['install: { reboot: true }'], { reboot: true, poweroff: false }],
    ['poweroff only', ['install: { poweroff: true }'], { reboot: false, poweroff: true }],
    ['both false', ['install: { reboot: false, poweroff: false }'], { reboot: false, poweroff: false }],
    ['neither set', ['install: {}'], { reboot: false, poweroff: false }],
  ])('accepts %s', (_label, lines, expected) => {
    const r = validateUserData(doc(...lines));
    expect(r.ok && r.userData.install).toMatchObject(expected);
  });
});
