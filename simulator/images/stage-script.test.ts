import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateUserData, type UserData } from '../pure/user-data';
import { compileStageScript } from './stage-script';

const exec = promisify(execFile);

function userData(stages: string): UserData {
  const r = validateUserData(`#cloud-config\nstylus:\n  site:\n    paletteEndpoint: api.palette.lab\n    edgeHostToken: t\nstages:\n${stages}`, { file: 'site.yaml' });
  if (!r.ok) throw new Error(`[test] user-data invalid: ${JSON.stringify(r.issues)}`);
  return r.userData;
}

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'edge-lab-stages-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Runs the compiled script with busybox ash, as the guest does. */
async function runScript(script: string, stages: string[]): Promise<{ code: number; out: string }> {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.sh`);
  await writeFile(file, script);
  try {
    const { stdout, stderr } = await exec('/bin/busybox', ['sh', file, ...stages], { cwd: dir });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('compileStageScript', () => {
  it('runs the commands of the requested stages in order, each in its own shell, and goes on after a failure', async () => {
    const data = userData([
      '  network:',
      '    - name: net step',
      '      commands: ["echo network-ran >> log"]',
      '  boot:',
      '    - name: first',
      '      commands:',
      '        - echo "boot $((1+1))" >> log',
      '        - exit 3',
      '        - echo "it\'s quoted; $HOME is not expanded early" >> log',
      '  boot.before:',
      '    - commands: ["echo before >> log"]',
      '  initramfs:',
      '    - commands: ["echo initramfs-must-not-run >> log"]',
      '',
    ].join('\n'));
    const script = compileStageScript(data);
    const r = await runScript(script, ['boot.before', 'boot', 'boot.after', 'network.before', 'network', 'network.after']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('stages: boot, step 1 (first): command failed (exit 3): exit 3');
    const { stdout: log } = await exec('cat', [join(dir, 'log')]);
    expect(log.split('\n')).toEqual(['before', 'boot 2', expect.stringMatching(/^it's quoted; \/.* is not expanded early$/), 'network-ran', '']);
  });

  it('honours if:, leaves out skip-copy-* steps and names keys it does not apply', async () => {
    const data = userData([
      '  boot:',
      '    - name: only-if-true',
      '      if: "[ 1 = 2 ]"',
      '      commands: ["echo must-not-run"]',
      '    - name: skip-copy-secret',
      '      commands: ["echo secret-token"]',
      '    - name: files-only',
      '      files:',
      '        - path: /etc/x',
      '',
    ].join('\n'));
    const script = compileStageScript(data);
    expect(script).not.toContain('secret-token');
    const r = await runScript(script, ['boot']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('stages: boot, step 1 (only-if-true): skipped (its if: is false)');
    expect(r.out).not.toContain('must-not-run');
    expect(r.out).toContain('stages: boot, step 2 (files-only): the lab runs only commands; not applied: files');
  });

  it('is a valid script that does nothing when the user-data has no stages', async () => {
    const r = userData('  boot: []\n');
    const script = compileStageScript(r);
    expect(await runScript(script, ['boot', 'network'])).toEqual({ code: 0, out: '' });
  });
});
