import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cached, hashOf } from './cache';
import { candidateVersion, downloadPackage, extractFromPackage } from './debian';
import type { TreeEntry } from './tree';

/**
 * The ext filesystem tools of the guests, from Debian's e2fsprogs family:
 * - mkfs.ext4 (e2fsprogs' mke2fs, linked against glibc and e2fsprogs' libraries)
 *   for the installer, which formats every partition ext4 with a journal, as the
 *   product does. busybox's mke2fs makes ext2 without one: after a power cut
 *   the partition's bitmaps could disagree with its files, and the roll in
 *   ha.vm.test.ts once met an etcd WAL overwritten, then one that had lost
 *   entries, that way.
 * - e2fsck (e2fsck-static, one static binary) for the OS images, which check
 *   COS_PERSISTENT before mounting it (guest/os/rcS, check_fs in guest/lib.sh):
 *   a disk installed before the journal came is still ext2.
 */
const PACKAGES = ['e2fsck-static', 'e2fsprogs', 'libext2fs2', 'libcom-err2', 'libblkid1', 'libuuid1', 'libc6'] as const;
type Package = (typeof PACKAGES)[number];

/** Files taken: [package, path in the package, path in the tool directory and the guest]. */
const FILES: ReadonlyArray<readonly [Package, string, string]> = [
  ['e2fsck-static', 'sbin/e2fsck.static', 'sbin/e2fsck'],
  ['e2fsprogs', 'sbin/mke2fs', 'sbin/mkfs.ext4'],
  ['libext2fs2', 'lib/x86_64-linux-gnu/libext2fs.so.2.4', 'lib/x86_64-linux-gnu/libext2fs.so.2'],
  ['libext2fs2', 'lib/x86_64-linux-gnu/libe2p.so.2.3', 'lib/x86_64-linux-gnu/libe2p.so.2'],
  ['libcom-err2', 'lib/x86_64-linux-gnu/libcom_err.so.2.1', 'lib/x86_64-linux-gnu/libcom_err.so.2'],
  ['libblkid1', 'usr/lib/x86_64-linux-gnu/libblkid.so.1.1.0', 'lib/x86_64-linux-gnu/libblkid.so.1'],
  ['libuuid1', 'usr/lib/x86_64-linux-gnu/libuuid.so.1.3.0', 'lib/x86_64-linux-gnu/libuuid.so.1'],
  ['libc6', 'lib/x86_64-linux-gnu/libc.so.6', 'lib/x86_64-linux-gnu/libc.so.6'],
  ['libc6', 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'],
];

export interface E2fsTools { dir: string; key: string; versions: Record<string, string> }

/** Downloads and unpacks the tools once per set of package versions. */
export async function ensureE2fsTools(log: (line: string) => void = () => {}): Promise<E2fsTools> {
  const versions: Record<string, string> = {};
  for (const p of PACKAGES) versions[p] = await candidateVersion(p);
  const key = hashOf([JSON.stringify(versions), JSON.stringify(FILES)]);
  const { dir } = await cached('e2fsprogs', key, async (out) => {
    log(`unpacking mkfs.ext4 and e2fsck from Debian (${PACKAGES.map((p) => `${p} ${versions[p]}`).join(', ')})`);
    const work = await mkdtemp(join(tmpdir(), 'edge-lab-e2fsprogs-'));
    try {
      const root = join(work, 'root');
      await mkdir(root);
      for (const p of PACKAGES) {
        await extractFromPackage(await downloadPackage(p, work), root, FILES.filter(([pkg]) => pkg === p).map(([, from]) => `./${from}`));
      }
      for (const [, from, to] of FILES) {
        await mkdir(dirname(join(out, to)), { recursive: true });
        await copyFile(join(root, from), join(out, to));
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { dir, key, versions };
}

/** e2fsck alone (static), for the OS images. */
export function fsCheckEntries(tools: E2fsTools): TreeEntry[] {
  return [{ path: 'sbin/e2fsck', from: join(tools.dir, 'sbin/e2fsck'), mode: 0o755 }];
}

/** mkfs.ext4 with the libraries and loader it needs, for the installer's boot stage. */
export function formatToolEntries(tools: E2fsTools): TreeEntry[] {
  return [
    ...FILES.filter(([pkg]) => pkg !== 'e2fsck-static').map(([, , to]) => ({ path: to, from: join(tools.dir, to), mode: 0o755 })),
    { path: 'lib64/ld-linux-x86-64.so.2', symlink: '../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
  ];
}
