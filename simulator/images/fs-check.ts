import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cached, hashOf } from './cache';
import { candidateVersion, downloadPackage, extractFromPackage } from './debian';
import type { TreeEntry } from './tree';

/**
 * e2fsck for the OS images, from Debian's e2fsck-static (one static binary, no
 * libraries). COS_PERSISTENT is ext2 (busybox's mke2fs makes no journal), so
 * after a power cut its bitmaps can disagree with its files, and a later file
 * is then given blocks a live file still uses (the roll in ha.vm.test.ts met an
 * etcd WAL overwritten that way). The OS checks the partition before mounting
 * it, as any ext2 system does (guest/os/rcS, check_fs in guest/lib.sh).
 */
const PACKAGE = 'e2fsck-static';
const FROM = 'sbin/e2fsck.static';

export interface FsCheckTool { dir: string; key: string; version: string }

export async function ensureFsCheck(log: (line: string) => void = () => {}): Promise<FsCheckTool> {
  const version = await candidateVersion(PACKAGE);
  const key = hashOf([PACKAGE, version, FROM]);
  const { dir } = await cached('fs-check', key, async (out) => {
    log(`unpacking e2fsck from Debian (${PACKAGE} ${version})`);
    const work = await mkdtemp(join(tmpdir(), 'edge-lab-e2fsck-'));
    try {
      const root = join(work, 'root');
      await mkdir(root);
      await extractFromPackage(await downloadPackage(PACKAGE, work), root, [`./${FROM}`]);
      await copyFile(join(root, FROM), join(out, 'e2fsck'));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { dir, key, version };
}

export function fsCheckEntries(tool: FsCheckTool): TreeEntry[] {
  return [{ path: 'sbin/e2fsck', from: join(tool.dir, 'e2fsck'), mode: 0o755 }];
}
