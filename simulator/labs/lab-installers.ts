/**
 * Edge Installer sticks built inside a lab: validated user data in, a FAT image
 * out (simulator/images/forge.ts), kept in the lab's directory and listed in the
 * store. An installer's id is derived from its content, so building the same
 * user data twice gives the same installer.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { forgeInstaller } from '../images/forge';
import type { GuestImages } from '../images/guest-images';
import { validateUserData, type UserDataIssue } from '../pure/user-data';
import type { LabStore } from '../store/types';

export interface InstallerRecord {
  id: string;
  sha256: string;
  size: number;
  createdAt: number;
  /** Files on the stick with their sha256. */
  files: Record<string, string>;
  userData: string;
}

export const INSTALLER_KIND = 'installer';
export const installerPath = (dir: string, id: string): string => join(dir, 'installers', `${id}.img`);

export type BuildResult = { ok: true; installer: InstallerRecord; warnings: UserDataIssue[] } | { ok: false; issues: UserDataIssue[] };

export async function buildInstaller(o: {
  store: LabStore; labId: string; dir: string; images: GuestImages; userDataText: string; now: number;
}): Promise<BuildResult> {
  const checked = validateUserData(o.userDataText, { file: 'user-data.yaml' });
  if (!checked.ok) return { ok: false, issues: checked.issues };
  await mkdir(join(o.dir, 'installers'), { recursive: true });
  const tmp = join(o.dir, 'installers', `.building-${process.pid}-${o.now}.img`);
  try {
    const forged = await forgeInstaller({ userDataText: o.userDataText, userDataFile: 'user-data.yaml', out: tmp, images: o.images });
    const id = `installer-${forged.sha256.slice(0, 12)}`;
    await rename(tmp, installerPath(o.dir, id));
    const rec: InstallerRecord = { id, sha256: forged.sha256, size: forged.bytes, createdAt: o.now, files: forged.files, userData: o.userDataText };
    const known = await o.store.get<InstallerRecord>(o.labId, INSTALLER_KIND, id);
    if (!known) await o.store.put(o.labId, INSTALLER_KIND, id, rec);
    return { ok: true, installer: known?.doc ?? rec, warnings: forged.warnings };
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function listInstallers(store: LabStore, labId: string, dir: string): Promise<(InstallerRecord & { path: string })[]> {
  const docs = await store.list<InstallerRecord>(labId, INSTALLER_KIND);
  return docs.map((d) => ({ ...d.doc, path: installerPath(dir, d.doc.id) })).sort((a, b) => a.createdAt - b.createdAt);
}
