// The installer quota (lab-installers.ts), with real FAT images (mkfs.vfat, mcopy) from stand-in
// guest files and a real SQLite store: a lab keeps at most maxKept installers; one more drops the
// oldest that no host has plugged in (said in the build's warnings), rebuilding one it keeps drops
// nothing, and when every one is plugged in the build is refused before anything is made.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestImages } from '../images/guest-images';
import { openSqliteStore, type SqliteLabStore } from '../store/sqlite-store';
import { fatVolumeLabel, SITE_VOLUME_LABEL } from '../hosts/boot-order';
import { buildInstaller, installerPath, listInstallers, listSiteSticks, MAX_INSTALLERS } from './lab-installers';

let root: string;
let store: SqliteLabStore;
let images: GuestImages;
let userData: string;
let t = 1_700_000_000_000;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edge-lab-test-installers-'));
  await mkdir(join(root, 'installer'));
  await writeFile(join(root, 'installer', 'install.sh'), '#!/bin/sh\necho stand-in\n');
  await writeFile(join(root, 'edge-os.tgz'), 'not really an OS');
  images = { key: 'k', installerDir: join(root, 'installer'), edgeOs: join(root, 'edge-os.tgz'), providerOs: join(root, 'edge-os.tgz') } as unknown as GuestImages;
  store = await openSqliteStore(join(root, 'labs.sqlite'), { now: () => new Date(t), newId: () => `lab-${randomBytes(6).toString('hex')}` });
  userData = await readFile(join(__dirname, '..', 'examples', 'site.yaml'), 'utf8');
});
afterAll(async () => {
  await store?.close();
  await rm(root, { recursive: true, force: true });
});

const exists = (p: string) => stat(p).then(() => true, () => false);

describe('the installer quota', () => {
  it('drops the oldest installer plugged into no host when one more is built, and refuses when all are plugged', async () => {
    expect(MAX_INSTALLERS).toBe(20);
    const labId = (await store.createLab({ scenario: 'single-node' })).id;
    const dir = join(root, 'labs', labId);
    const build = async (n: number, plugged: string[] = []) => {
      t += 1000;
      const r = await buildInstaller({ store, labId, dir, images, userDataText: `${userData}\n# build ${n}\n`, now: t, maxKept: 3, plugged: new Set(plugged) });
      if (!r.ok) throw new Error(`build ${n} failed: ${JSON.stringify(r.issues)}`);
      return r;
    };
    const [first, second, third] = [await build(1), await build(2), await build(3)];
    expect([first.dropped, second.dropped, third.dropped]).toEqual([[], [], []]);

    // The first is plugged into a host: the second, the oldest unplugged one, makes room.
    const plugged = [installerPath(dir, first.installer.id)];
    const fourth = await build(4, plugged);
    expect(fourth.dropped).toEqual([second.installer.id]);
    expect(fourth.warnings.map((w) => w.message)).toContainEqual(
      `[lab] this lab keeps at most 3 installers, so the oldest one plugged into no host, ${second.installer.id}, was dropped to make room for ${fourth.installer.id}`);
    expect((await listInstallers(store, labId, dir)).map((i) => i.id)).toEqual([first.installer.id, third.installer.id, fourth.installer.id]);
    expect(await exists(installerPath(dir, second.installer.id))).toBe(false);
    expect(await exists(installerPath(dir, first.installer.id))).toBe(true);

    // The same user data again is the same installer: nothing dropped.
    t += 1000;
    const again = await buildInstaller({ store, labId, dir, images, userDataText: `${userData}\n# build 3\n`, now: t, maxKept: 3, plugged: new Set(plugged) });
    expect(again).toMatchObject({ ok: true, dropped: [] });
    expect(await listInstallers(store, labId, dir)).toHaveLength(3);

    // Every one plugged in (a three-host lab): refused, nothing built.
    const all = (await listInstallers(store, labId, dir)).map((i) => i.path);
    await expect(build(5, all)).rejects.toThrow(/^\[lab\] this lab already keeps 3 installers \(the most is 3\) and every one is plugged into a host; unplug one/);
    expect(await listInstallers(store, labId, dir)).toHaveLength(3);
  }, 60_000);
});

describe('site user-data sticks', () => {
  it('builds a FAT stick labelled CIDATA with the file, meta-data and the compiled overrides, listed apart from the installers', async () => {
    const labId = (await store.createLab({ scenario: 'single-node' })).id;
    const dir = join(root, 'labs', labId);
    const site = '#cloud-config\nstylus:\n  site:\n    projectName: Retail-East\n';
    const r = await buildInstaller({ store, labId, dir, images, userDataText: site, now: t++, kind: 'site' });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.installer).toMatchObject({ id: expect.stringMatching(/^site-[0-9a-f]{12}$/), kind: 'site' });
    expect(Object.keys(r.installer.files).sort()).toEqual(['meta-data', 'user-data', 'user-data.env']);
    const image = await readFile(installerPath(dir, r.installer.id));
    expect(fatVolumeLabel(image.subarray(0, 512))).toBe(SITE_VOLUME_LABEL);
    expect(await listSiteSticks(store, labId, dir)).toEqual([expect.objectContaining({ id: r.installer.id })]);
    expect(await listInstallers(store, labId, dir)).toEqual([]);
    // Checked as site user data: no endpoint needed, but no install either.
    const bad = await buildInstaller({ store, labId, dir, images, userDataText: '#cloud-config\ninstall:\n  reboot: true\n', now: t++, kind: 'site' });
    expect(bad).toMatchObject({ ok: false, issues: [{ path: 'install', line: 2 }] });
  });
});
