import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, readdir, rename, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { compileAgentEnv, formatUserDataIssues, validateUserData, type UserDataIssue } from '../pure/user-data';
import { INSTALLER_VOLUME_LABEL } from '../hosts/boot-order';
import { ensureGuestImages, type GuestImages } from './guest-images';
import { run } from './run';
import { compileStageScript } from './stage-script';
import { stageTree } from './tree';

/** The installer's partition plan; install.sh reads it from the stick. */
export const DISK_LAYOUT = { oemMb: 16, recoveryMb: 80, slotMb: 192, persistentMinMb: 64 } as const;
export const MIN_DISK_MB = DISK_LAYOUT.oemMb + DISK_LAYOUT.recoveryMb + 2 * DISK_LAYOUT.slotMb + DISK_LAYOUT.persistentMinMb + 4;
export const INSTALLER_VERSION = '4.7.16-lab.1';

/** The user-data failed validation; nothing was built. */
export class UserDataInvalidError extends Error {
  override name = 'UserDataInvalidError';
  constructor(readonly issues: UserDataIssue[]) {
    super(`[forge] the user-data is not valid; nothing was built.\n${formatUserDataIssues(issues)}`);
  }
}

export interface ForgeResult {
  out: string;
  sha256: string;
  bytes: number;
  /** Files on the stick with their sha256, as listed in its manifest.json. */
  files: Record<string, string>;
  warnings: UserDataIssue[];
}

/**
 * EdgeForge for the lab: builds an Edge Installer USB image (FAT, label
 * EDGEINSTALL) carrying the installer, the OS payload with the agent, and the
 * user-data (as written, plus the agent's compiled form and the commands of its
 * boot and network stages as a script). Validates the
 * user-data before anything is built. The image appears atomically at `out`.
 */
export async function forgeInstaller(opts: {
  userDataText: string;
  userDataFile: string;
  out: string;
  images?: GuestImages;
  /** Which OS the stick installs: the Edge OS (default) or the provider OS image. */
  os?: 'edge' | 'provider';
}): Promise<ForgeResult> {
  const checked = validateUserData(opts.userDataText, { file: opts.userDataFile });
  if (!checked.ok) throw new UserDataInvalidError(checked.issues);
  const images = opts.images ?? (await ensureGuestImages());
  const stage = await mkdtemp(join(tmpdir(), 'edge-lab-forge-'));
  const tmpOut = join(dirname(opts.out), `.${basename(opts.out)}.tmp-${process.pid}`);
  try {
    const layout = [
      `INSTALLER_VERSION=${INSTALLER_VERSION}`, `OS_IMAGE=edge-os.tgz`, `MIN_DISK_MB=${MIN_DISK_MB}`,
      `OEM_MB=${DISK_LAYOUT.oemMb}`, `RECOVERY_MB=${DISK_LAYOUT.recoveryMb}`, `SLOT_MB=${DISK_LAYOUT.slotMb}`, '',
    ].join('\n');
    await stageTree(stage, [
      { path: 'EDGE-INSTALLER', content: `Edge Lab Edge Installer ${INSTALLER_VERSION}\n` },
      { path: 'installer/install.sh', from: join(images.installerDir, 'install.sh') },
      { path: 'installer/layout.env', content: layout },
      { path: 'os/edge-os.tgz', from: opts.os === 'provider' ? images.providerOs : images.edgeOs },
      { path: 'user-data', content: opts.userDataText },
      { path: 'user-data.env', content: compileAgentEnv(checked.userData) },
      { path: 'user-data-stages.sh', content: compileStageScript(checked.userData) },
    ]);
    const files = await sha256Tree(stage);
    await writeFile(join(stage, 'manifest.json'), JSON.stringify({ installerVersion: INSTALLER_VERSION, imagesKey: images.key, files }, null, 2));
    await packFatStick(stage, INSTALLER_VOLUME_LABEL, tmpOut, files);
    return { ...(await publishStick(tmpOut, opts.out)), files, warnings: checked.warnings };
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(tmpOut, { force: true });
  }
}

/**
 * A FAT image at `out` (which must not exist) holding the tree at `stage`, with volume label
 * `label`. Same inputs, same image: fixed timestamps, a serial from the files' hashes.
 */
export async function packFatStick(stage: string, label: string, out: string, files: Record<string, string>): Promise<void> {
  const bytes = await treeSize(stage);
  const sizeKb = Math.ceil((bytes * 1.3) / 1024 / 1024 + 4) * 1024;
  await setTreeTimes(stage, STICK_TIME);
  await run('mkfs.vfat', ['-C', '--invariant', '-n', label, '-i', volumeId(files), out, String(sizeKb)]);
  const top = (await readdir(stage)).sort().map((n) => join(stage, n));
  await run('mcopy', ['-s', '-m', '-i', out, ...top, '::'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
}

/** Moves a finished image from `tmpOut` to `out` (atomically) and hashes it. */
export async function publishStick(tmpOut: string, out: string): Promise<{ out: string; sha256: string; bytes: number }> {
  await rename(tmpOut, out);
  const image = await readFile(out);
  return { out, sha256: createHash('sha256').update(image).digest('hex'), bytes: image.length };
}

/** FAT cannot store dates before 1980; any fixed date makes the image reproducible. */
const STICK_TIME = new Date('2024-01-01T00:00:00Z');

async function setTreeTimes(root: string, when: Date): Promise<void> {
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    await utimes(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name), when, when);
  }
}

export async function sha256Tree(root: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, await sha256Tree(root, p));
    else out[p] = createHash('sha256').update(await readFile(join(root, p))).digest('hex');
  }
  return out;
}

async function treeSize(root: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += (await stat(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))).size;
  }
  return n;
}

/** A volume serial derived from the contents, so the same inputs give the same stick. */
/** The FAT volume serial a stick with these files gets (so the same inputs give the same stick). */
export function volumeId(files: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 8);
}
