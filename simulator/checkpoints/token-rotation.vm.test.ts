// A stick given a lab's own token by writing over the old value (token-rotation.ts) is exactly the
// stick that building the new user data gives: same bytes, same files, same id.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeInstaller } from '../images/forge';
import { INSTALLER_KIND, type InstallerRecord } from '../labs/lab-installers';
import { patchInstallers } from './token-rotation';

const userData = (token: string): string => ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.palette.lab', `    edgeHostToken: ${token}`, '    name: edge-host-1', 'install:', '  poweroff: true', ''].join('\n');
const OLD = 'OLDoldOLDoldOLDoldOLDoldOLDold12';
const NEW = 'NEWnewNEWnewNEWnewNEWnewNEWnew34';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-token-rotation-'));
  await mkdir(join(dir, 'installers'));
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('a stick given a new token', () => {
  it('is byte for byte the stick built from the new user data', async () => {
    const old = await forgeInstaller({ userDataText: userData(OLD), userDataFile: 'user-data.yaml', out: join(dir, 'old.img') });
    const rec: InstallerRecord = { id: `installer-${old.sha256.slice(0, 12)}`, sha256: old.sha256, size: old.bytes, createdAt: 1, files: old.files, userData: userData(OLD) };
    const patched = await patchInstallers({ dir, docs: [{ kind: INSTALLER_KIND, id: rec.id, doc: rec }], fresh: new Map([[OLD, NEW]]), pathOf: () => join(dir, 'old.img') });
    const built = await forgeInstaller({ userDataText: userData(NEW), userDataFile: 'user-data.yaml', out: join(dir, 'new.img') });
    const got = patched.get(rec.id)!;
    expect(got).toMatchObject({ id: `installer-${built.sha256.slice(0, 12)}`, sha256: built.sha256, size: built.bytes, files: built.files, userData: userData(NEW) });
    expect(got.sha256).not.toBe(old.sha256);
  }, 120_000);
});
