import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The lab's grub2-editenv (guest/os/grub2-editenv), run with busybox sh as in the guest: the
// command a person types for the product's reset (`set next_entry=statereset`), and the agent too.
const SCRIPT = fileURLToPath(new URL('./guest/os/grub2-editenv', import.meta.url));

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'edge-lab-grubenv-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function editenv(...args: string[]): Promise<{ out: string; err: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn('/bin/busybox', ['sh', SCRIPT, ...args], { env: { PATH: '/bin:/usr/bin' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => resolve({ out, err: err.trim(), code }));
  });
}

describe('grub2-editenv', () => {
  it('sets, replaces and unsets variables, keeping the others, one name=value a line', async () => {
    const file = join(dir, 'grubenv');
    await writeFile(file, 'saved_entry=passive\n');
    expect(await editenv(file, 'set', 'next_entry=statereset')).toMatchObject({ code: 0, err: '' });
    expect(await readFile(file, 'utf8')).toBe('saved_entry=passive\nnext_entry=statereset\n');
    await editenv(file, 'set', 'saved_entry=active', 'x=1');
    expect(await readFile(file, 'utf8')).toBe('next_entry=statereset\nsaved_entry=active\nx=1\n');
    await editenv(file, 'unset', 'x', 'next_entry');
    expect((await editenv(file, 'list')).out).toBe('saved_entry=active\n');
  });

  it('creates the file when it is missing', async () => {
    const file = join(dir, 'new-env');
    expect(await editenv(file, 'set', 'next_entry=recovery')).toMatchObject({ code: 0 });
    expect(await readFile(file, 'utf8')).toBe('next_entry=recovery\n');
  });

  it('refuses what the boot stage could not read safely, and leaves the file as it was', async () => {
    const file = join(dir, 'strict');
    await writeFile(file, 'saved_entry=active\n');
    expect(await editenv(file, 'set', 'next_entry=$(reboot)')).toMatchObject({ code: 1, err: "grub2-editenv: the value of next_entry may only use letters, digits, '_', '.' and '-'" });
    expect(await editenv(file, 'set', 'bad-name=x')).toMatchObject({ code: 1, err: "grub2-editenv: 'bad-name' is not a variable name" });
    expect(await editenv(file, 'set', 'novalue')).toMatchObject({ code: 1, err: "grub2-editenv: set needs NAME=VALUE, not 'novalue'" });
    expect(await editenv(file, 'frobnicate')).toMatchObject({ code: 2, err: expect.stringMatching(/^usage: grub2-editenv FILE list/) });
    expect(await readFile(file, 'utf8')).toBe('saved_entry=active\n');
  });
});
