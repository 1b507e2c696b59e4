import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureGuestImages, type GuestImages } from './guest-images';
import { forgeInstaller, UserDataInvalidError } from './forge';

const run = promisify(execFile);
const good = '#cloud-config\nstylus:\n  site:\n    paletteEndpoint: api.palette.lab\n    edgeHostToken: tok-1\n';
let images: GuestImages;
let dir: string;
beforeAll(async () => { images = await ensureGuestImages(); dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-forge-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('forgeInstaller', () => {
  it('builds a FAT stick labelled EDGEINSTALL with the installer, OS, user-data and a manifest', async () => {
    const r = await forgeInstaller({ userDataText: good, userDataFile: 'site.yaml', out: join(dir, 'a.img'), images });
    expect(Object.keys(r.files).sort()).toEqual(['EDGE-INSTALLER', 'installer/install.sh', 'installer/layout.env', 'os/edge-os.tgz', 'user-data', 'user-data-stages.sh', 'user-data.env']);
    expect(r.files['os/edge-os.tgz']).toBe(images.sha256['edge-os.tgz']);
    const { stdout: label } = await run('mlabel', ['-s', '-i', r.out, '::'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    expect(label).toContain('EDGEINSTALL');
    const { stdout: ud } = await run('mtype', ['-i', r.out, '::user-data'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    expect(ud).toBe(good);
  });

  it('is reproducible: the same inputs give the same image', async () => {
    const a = await forgeInstaller({ userDataText: good, userDataFile: 'site.yaml', out: join(dir, 'r1.img'), images });
    const b = await forgeInstaller({ userDataText: good, userDataFile: 'site.yaml', out: join(dir, 'r2.img'), images });
    expect(a.sha256).toBe(b.sha256);
    const c = await forgeInstaller({ userDataText: good.replace('tok-1', 'tok-2'), userDataFile: 'site.yaml', out: join(dir, 'r3.img'), images });
    expect(c.sha256).not.toBe(a.sha256);
  });

  it('builds nothing from invalid user-data and says where and what', async () => {
    const before = await readdir(dir);
    const bad = '#cloud-config\nstylus:\n  site:\n    paletteEndpoint: api.palette.lab\n    edgeHostTokn: tok-1\n';
    const err = await forgeInstaller({ userDataText: bad, userDataFile: 'site.yaml', out: join(dir, 'bad.img'), images }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserDataInvalidError);
    expect(String((err as Error).message)).toMatch(/site\.yaml:5:5/);
    expect(String((err as Error).message)).toContain('edgeHostToken');
    expect(await readdir(dir)).toEqual(before);
  });
});
