/**
 * Edge Installer sticks built inside a lab: validated user data in, a FAT image
 * out (simulator/images/forge.ts), kept in the lab's directory and listed in the
 * store. An installer's id is derived from its content, so building the same
 * user data twice gives the same installer.
 *
 * Quota: a lab keeps at most MAX_INSTALLERS (each is a disk image of its own).
 * Building a new one beyond that drops the oldest installer that no host has
 * plugged in, and the build's warnings say which. Why drop rather than refuse:
 * a learner who edits user data and rebuilds again and again (the guides invite
 * it) wants the newest stick, never the tenth-oldest one; refusing would send
 * them to a delete button in the middle of a step. A stick plugged into a host
 * is never dropped: the host may be booting from it.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { forgeInstaller } from '../images/forge';
import { buildSiteStick } from '../images/site-stick';
import { LabError } from './errors';
import type { GuestImages } from '../images/guest-images';
import { validateUserData, type UserDataIssue } from '../pure/user-data';
import type { LabStore } from '../store/types';

export interface InstallerRecord {
  id: string;
  /** `site`: a site user-data stick (CIDATA, images/site-stick.ts). Absent on records older than site sticks: an installer. */
  kind?: StickKind;
  sha256: string;
  size: number;
  createdAt: number;
  /** Files on the stick with their sha256. */
  files: Record<string, string>;
  userData: string;
}

export const INSTALLER_KIND = 'installer';
export type StickKind = 'installer' | 'site';
export const installerPath = (dir: string, id: string): string => join(dir, 'installers', `${id}.img`);

export const MAX_INSTALLERS = 20;

export type BuildResult = { ok: true; installer: InstallerRecord; warnings: UserDataIssue[]; dropped: string[] } | { ok: false; issues: UserDataIssue[] };

export async function buildInstaller(o: {
  store: LabStore; labId: string; dir: string; images: GuestImages; userDataText: string; now: number;
  /** Image paths of the sticks plugged into the lab's hosts now: never dropped. */
  plugged?: ReadonlySet<string>;
  /** Default MAX_INSTALLERS. */
  maxKept?: number;
  /** Default `installer`; `site` builds a site user-data stick (kept and counted with the installers). */
  kind?: StickKind;
}): Promise<BuildResult> {
  const kind = o.kind ?? 'installer';
  const checked = validateUserData(o.userDataText, { file: 'user-data.yaml', purpose: kind === 'site' ? 'site' : 'installer' });
  if (!checked.ok) return { ok: false, issues: checked.issues };
  const maxKept = o.maxKept ?? MAX_INSTALLERS;
  const plugged = o.plugged ?? new Set<string>();
  const droppable = async (): Promise<InstallerRecord[]> =>
    (await listSticks(o.store, o.labId, o.dir)).filter((i) => !plugged.has(i.path));
  // Refused before the (slow) build when nothing could make room.
  const before = await listSticks(o.store, o.labId, o.dir);
  if (before.length >= maxKept && (await droppable()).length === 0) {
    throw new LabError('not-allowed', `this lab already keeps ${before.length} installers (the most is ${maxKept}) and every one is plugged into a host; unplug one (REMOVE_USB) and build again`);
  }
  await mkdir(join(o.dir, 'installers'), { recursive: true });
  const tmp = join(o.dir, 'installers', `.building-${process.pid}-${o.now}.img`);
  try {
    const forged = kind === 'site'
      ? await buildSiteStick({ userDataText: o.userDataText, userDataFile: 'user-data.yaml', out: tmp })
      : await forgeInstaller({ userDataText: o.userDataText, userDataFile: 'user-data.yaml', out: tmp, images: o.images });
    const id = `${kind === 'site' ? 'site' : 'installer'}-${forged.sha256.slice(0, 12)}`;
    await rename(tmp, installerPath(o.dir, id));
    const rec: InstallerRecord = { id, ...(kind === 'site' ? { kind } : {}), sha256: forged.sha256, size: forged.bytes, createdAt: o.now, files: forged.files, userData: o.userDataText };
    const known = await o.store.get<InstallerRecord>(o.labId, INSTALLER_KIND, id);
    const dropped: string[] = [];
    if (!known) {
      // Oldest first; the new one is not listed yet, so it is never a candidate.
      const kept = await listSticks(o.store, o.labId, o.dir);
      const candidates = kept.filter((i) => !plugged.has(i.path));
      for (let n = kept.length; n >= maxKept && candidates.length > 0; n--) {
        const old = candidates.shift()!;
        await o.store.remove(o.labId, INSTALLER_KIND, old.id);
        await rm(old.path, { force: true });
        dropped.push(old.id);
      }
      await o.store.put(o.labId, INSTALLER_KIND, id, rec);
    }
    const notes: UserDataIssue[] = dropped.map((old) => ({
      file: 'user-data.yaml', line: 1, column: 1, path: '',
      message: `[lab] this lab keeps at most ${maxKept} installers, so the oldest one plugged into no host, ${old}, was dropped to make room for ${id}`,
      hint: 'build it again from its user data if you need it',
    }));
    return { ok: true, installer: known?.doc ?? rec, warnings: [...forged.warnings, ...notes], dropped };
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Every stick the lab keeps (installers and site sticks), oldest first. */
export async function listSticks(store: LabStore, labId: string, dir: string): Promise<(InstallerRecord & { path: string })[]> {
  const docs = await store.list<InstallerRecord>(labId, INSTALLER_KIND);
  return docs.map((d) => ({ ...d.doc, path: installerPath(dir, d.doc.id) })).sort((a, b) => a.createdAt - b.createdAt);
}

/** The Edge Installers the lab keeps, oldest first (no site sticks). */
export async function listInstallers(store: LabStore, labId: string, dir: string): Promise<(InstallerRecord & { path: string })[]> {
  return (await listSticks(store, labId, dir)).filter((s) => (s.kind ?? 'installer') === 'installer');
}

/** The site user-data sticks the lab keeps, oldest first. */
export async function listSiteSticks(store: LabStore, labId: string, dir: string): Promise<(InstallerRecord & { path: string })[]> {
  return (await listSticks(store, labId, dir)).filter((s) => s.kind === 'site');
}
