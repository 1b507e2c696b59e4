import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cached, hashOf } from './cache';
import { candidateVersion, downloadPackage, extractFromPackage } from './debian';
import type { TreeEntry } from './tree';

/**
 * The real parts of the provider OS's cluster runtime, from Debian's archive:
 * etcd 3.4 (etcd-server; linked against glibc, so libc6's loader and libc
 * come along), the kubectl 1.20 client (kubernetes-client, static) and
 * toybox for its `sntp`, the nodes' NTP client (busybox-static has no ntpd;
 * toybox needs libm from libc6 and libcrypt1).
 * Debian ships no Kubernetes server; the small runtime serving kubectl is the
 * lab's own (see the guides' "How the lab works").
 */
const PACKAGES = ['etcd-server', 'kubernetes-client', 'toybox', 'libcrypt1', 'libc6'] as const;

/** Files taken from the packages: [path in the package, path in the guest]. */
const FILES: ReadonlyArray<readonly [string, string]> = [
  ['usr/bin/etcd', 'usr/bin/etcd'],
  ['usr/bin/kubectl', 'usr/bin/kubectl'],
  ['bin/toybox', 'usr/bin/toybox'],
  ['lib/x86_64-linux-gnu/libm.so.6', 'lib/x86_64-linux-gnu/libm.so.6'],
  ['lib/x86_64-linux-gnu/libcrypt.so.1.1.0', 'lib/x86_64-linux-gnu/libcrypt.so.1'],
  ['lib/x86_64-linux-gnu/libc.so.6', 'lib/x86_64-linux-gnu/libc.so.6'],
  ['lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', 'lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'],
];

export interface ClusterRuntime { dir: string; key: string; versions: Record<string, string> }

/** Downloads and unpacks the runtime's packages once per set of versions. */
export async function ensureClusterRuntime(log: (line: string) => void = () => {}): Promise<ClusterRuntime> {
  const versions: Record<string, string> = {};
  for (const p of PACKAGES) versions[p] = await candidateVersion(p);
  const key = hashOf([JSON.stringify(versions), JSON.stringify(FILES)]);
  const { dir } = await cached('cluster-runtime', key, async (out) => {
    log(`unpacking the cluster runtime from Debian (${PACKAGES.map((p) => `${p} ${versions[p]}`).join(', ')})`);
    const work = await mkdtemp(join(tmpdir(), 'edge-lab-runtime-'));
    try {
      const root = join(work, 'root');
      await mkdir(root);
      for (const p of PACKAGES) await extractFromPackage(await downloadPackage(p, work), root, FILES.map(([from]) => `./${from}`).filter((f) => isIn(p, f)));
      for (const [from, to] of FILES) {
        await mkdir(dirname(join(out, to)), { recursive: true });
        await copyFile(join(root, from), join(out, to));
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { dir, key, versions };
}

/** Which package ships which file (tar fails on a pattern it does not find). */
function isIn(pkg: string, file: string): boolean {
  if (pkg === 'etcd-server') return file.endsWith('/etcd');
  if (pkg === 'kubernetes-client') return file.endsWith('/kubectl');
  if (pkg === 'toybox') return file.endsWith('/toybox');
  if (pkg === 'libcrypt1') return file.includes('/libcrypt.');
  return file.includes('/lib/') && !file.includes('/libcrypt.');
}

export function clusterRuntimeEntries(runtime: ClusterRuntime): TreeEntry[] {
  return [
    ...FILES.map(([, to]) => ({ path: to, from: join(runtime.dir, to), mode: 0o755 })),
    { path: 'lib64/ld-linux-x86-64.so.2', symlink: '../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
  ];
}
