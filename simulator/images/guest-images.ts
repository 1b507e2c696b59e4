import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cached, hashOf, hashTree } from './cache';
import { candidateVersion, installedVersion, resolveKernelPackage } from './debian';
import { ImageBuildError } from './errors';
import { buildKernel } from './kernel';
import { clusterRuntimeEntries, ensureClusterRuntime, type ClusterRuntime } from './cluster-runtime';
import { ensureFsCheck, fsCheckEntries, type FsCheckTool } from './fs-check';
import { MODULE_GROUPS } from './kernel-modules';
import { bootInitrdEntries, brokenProviderEntries, floorInitrdEntries, osImageEntries, type OsFlavour } from './guest-trees';
import { packCpio, packTarGz, stageTree, type TreeEntry } from './tree';

export const IMAGES_DIR = dirname(fileURLToPath(import.meta.url));
export const GUEST_DIR = join(IMAGES_DIR, 'guest');
const BUSYBOX = '/bin/busybox';

/** Every built guest artefact, by absolute path. */
export interface GuestImages {
  /** Content hash of all inputs; names the cache entries. */
  key: string;
  kernelPackage: string;
  vmlinux: string;
  /** Boot stage for the internal disk: mounts the chosen slot and starts its OS. */
  diskBootInitrd: string;
  /** Boot stage for an installer stick: USB drivers, then the installer the stick carries. */
  usbBootInitrd: string;
  /** Benchmark floor: same kernel, an init that prints one line and powers off. */
  floorInitrd: string;
  /** The OS payload the Edge Installer writes to the host's slots. */
  edgeOs: string;
  /** The provider OS image a host pulls when it joins a cluster. */
  providerOs: string;
  /** A provider image whose init fails on purpose (the upgrade's fallback drill; guest-trees.ts). */
  providerOsBroken: string;
  /** Installer scripts that `forge` copies onto the stick. */
  installerDir: string;
  /** sha256 of each artefact above, by file name. */
  sha256: Record<string, string>;
}

/** Builds (or finds in the cache) every guest image. Idempotent and safe to call concurrently. */
export async function ensureGuestImages(log: (line: string) => void = () => {}): Promise<GuestImages> {
  const kernelPackage = await resolveKernelPackage();
  const kernelVersion = await candidateVersion(kernelPackage);
  const busyboxVersion = await installedVersion('busybox-static');
  if (!busyboxVersion) throw new ImageBuildError('busybox-static is not installed. Fix: apt-get install -y busybox-static (as root)');

  const kernelKey = hashOf([kernelPackage, kernelVersion, JSON.stringify(MODULE_GROUPS), await readFile(join(IMAGES_DIR, 'kernel.ts')), await readFile(join(IMAGES_DIR, 'elf-trim.ts'))]);
  const kernel = await cached('kernel', kernelKey, async (dir) => {
    log(`building kernel artefacts from ${kernelPackage} ${kernelVersion}`);
    await buildKernel(kernelPackage, dir);
  });
  const runtime = await ensureClusterRuntime(log);
  const fsCheck = await ensureFsCheck(log);
  const key = hashOf([kernelKey, busyboxVersion, runtime.key, fsCheck.key, await hashTree(IMAGES_DIR)]);
  const images = await cached('guest-images', key, async (dir) => {
    log('building guest images (boot stage, Edge OS, provider OS)');
    await buildImages(kernel.dir, runtime, fsCheck, dir);
  });
  const sha256 = JSON.parse(await readFile(join(images.dir, 'sha256.json'), 'utf8')) as Record<string, string>;
  return {
    key,
    kernelPackage,
    vmlinux: join(kernel.dir, 'vmlinux'),
    diskBootInitrd: join(images.dir, 'boot-disk.cpio'),
    usbBootInitrd: join(images.dir, 'boot-usb.cpio'),
    floorInitrd: join(images.dir, 'floor-initrd.cpio'),
    edgeOs: join(images.dir, 'edge-os.tgz'),
    providerOs: join(images.dir, 'provider-os.tgz'),
    providerOsBroken: join(images.dir, 'provider-os-broken.tgz'),
    installerDir: join(GUEST_DIR, 'installer'),
    sha256,
  };
}

async function buildImages(kernelDir: string, runtime: ClusterRuntime, fsCheck: FsCheckTool, out: string): Promise<void> {
  const modules = join(kernelDir, 'modules');
  const outputs: Array<[string, TreeEntry[], 'cpio' | 'tgz']> = [
    ['boot-disk.cpio', await bootInitrdEntries(BUSYBOX, modules, ['virtio', 'blk', 'ext4', 'net']), 'cpio'],
    ['boot-usb.cpio', await bootInitrdEntries(BUSYBOX, modules, ['virtio', 'blk', 'ext4', 'usb', 'late']), 'cpio'],
    ['floor-initrd.cpio', await floorInitrdEntries(BUSYBOX), 'cpio'],
    ['edge-os.tgz', [...(await osImageEntries(BUSYBOX, modules, 'edge' satisfies OsFlavour)), ...fsCheckEntries(fsCheck)], 'tgz'],
    ['provider-os.tgz', [...(await osImageEntries(BUSYBOX, modules, 'provider' satisfies OsFlavour)), ...clusterRuntimeEntries(runtime), ...fsCheckEntries(fsCheck)], 'tgz'],
    ['provider-os-broken.tgz', await brokenProviderEntries(BUSYBOX), 'tgz'],
  ];
  const sums: Record<string, string> = {};
  for (const [name, entries, kind] of outputs) {
    const stage = await mkdtemp(join(tmpdir(), 'edge-lab-tree-'));
    try {
      await stageTree(stage, entries);
      await (kind === 'cpio' ? packCpio : packTarGz)(stage, join(out, name));
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
    sums[name] = createHash('sha256').update(await readFile(join(out, name))).digest('hex');
  }
  await writeFile(join(out, 'sha256.json'), JSON.stringify(sums, null, 2));
}
