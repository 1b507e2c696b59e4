import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The agent's reader of stylus.site.tagsFromFile (guest/os/tags-from-file.awk), run with busybox
// awk as in the guest.
const AWK = fileURLToPath(new URL('./guest/os/tags-from-file.awk', import.meta.url));

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'edge-lab-tags-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function tags(content: string, env: { STATIC?: string; DELIM?: string; SEP?: string } = {}): Promise<{ out: string; err: string }> {
  const file = join(dir, 'tags');
  await writeFile(file, content);
  return new Promise((resolve, reject) => {
    const p = spawn('/bin/busybox', ['awk', '-f', AWK, file], { env: { STATIC: '', DELIM: '', SEP: '', ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', () => resolve({ out: out.trimEnd(), err: err.trim() }));
  });
}

describe('tags-from-file.awk', () => {
  it('reads /etc/os-release-style lines: key=value, quotes removed', async () => {
    expect(await tags('PRETTY_NAME="Edge Lab OS"\nID=edgelab\n\nVERSION_ID=\'1\'\n')).toEqual({ out: 'PRETTY_NAME=Edge Lab OS,ID=edgelab,VERSION_ID=1', err: '' });
  });

  it('puts the user data\'s own tags first, and they win over the file', async () => {
    expect((await tags('site=store-9\nregion=east\n', { STATIC: 'site=store-42' })).out).toBe('site=store-42,region=east');
  });

  it('uses the delimiter and separator it is given', async () => {
    expect((await tags('a: 1; b :2;c:3 ', { DELIM: ':', SEP: ';' })).out).toBe('a=1,b=2,c=3');
  });

  it('skips what Palette\'s tag list cannot hold, and says which', async () => {
    const r = await tags('ok=1\nno delimiter here\nbad,key=2\nv=a,b\nok=again\n=x\nmy key=3\n');
    expect(r.out).toBe('ok=1');
    expect(r.err).toBe('skipped: [no =] bad,key v ok(again) [empty key] my key');
  });

  it('prints the user data\'s tags alone for an empty file', async () => {
    expect((await tags('', { STATIC: 'a=1' })).out).toBe('a=1');
  });
});
