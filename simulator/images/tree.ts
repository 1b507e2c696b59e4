import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run, sh } from './run';

/** One entry of a guest filesystem tree staged on the host. */
export type TreeEntry =
  | { path: string; from: string; mode?: number }
  | { path: string; content: string | Uint8Array; mode?: number }
  | { path: string; symlink: string }
  | { path: string; dir: true };

export async function stageTree(root: string, entries: readonly TreeEntry[]): Promise<void> {
  for (const e of entries) {
    const p = join(root, e.path);
    await mkdir('dir' in e ? p : dirname(p), { recursive: true });
    if ('symlink' in e) await symlink(e.symlink, p).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
    else if ('from' in e) await copyFile(e.from, p);
    else if ('content' in e) await writeFile(p, e.content);
    if (('from' in e || 'content' in e) && e.mode !== undefined) await chmod(p, e.mode);
  }
}

/** The busybox binary plus one symlink per applet at the path busybox itself gives. */
export async function busyboxEntries(busybox: string): Promise<TreeEntry[]> {
  const { stdout } = await run(busybox, ['--list-full']);
  const entries: TreeEntry[] = [{ path: 'bin/busybox', from: busybox, mode: 0o755 }];
  for (const applet of stdout.split('\n').map((s) => s.trim()).filter(Boolean)) {
    if (applet === 'bin/busybox') continue;
    const depth = applet.split('/').length - 1;
    entries.push({ path: applet, symlink: `${'../'.repeat(depth)}bin/busybox` });
  }
  return entries;
}

/** newc cpio owned by root, as the kernel unpacks an initramfs. Uncompressed: under TCG unpacking beats inflating. */
export async function packCpio(root: string, out: string): Promise<void> {
  await sh(`cd '${root}' && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet > '${out}'`);
}

/** Reproducible root-owned tar.gz of a tree (an OS image payload). */
export async function packTarGz(root: string, out: string): Promise<void> {
  await run('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-czf', out, '-C', root, '.']);
}
