import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { downloadPackage, extractFromPackage } from './debian';
import { ImageBuildError } from './errors';
import { trimTrailingZeroes } from './elf-trim';
import { MODULE_GROUPS, MODULE_PARAMS, canonicalModuleName, moduleLoadOrder, parseModinfoDepends } from './kernel-modules';

/** Kernel directories whose modules the guests can need (keeps the unpack small). */
const MODULE_DIRS = ['drivers/virtio', 'drivers/net', 'drivers/block', 'drivers/usb', 'drivers/scsi', 'drivers/input', 'drivers/acpi', 'drivers/char', 'fs', 'lib', 'crypto', 'net/core', 'block'];

/**
 * Kernel artefacts in `out`: `vmlinux` (the uncompressed PVH-bootable ELF taken
 * out of Debian's bzImage: QEMU boots it directly, skipping firmware and xz
 * decompression, ~3× faster under TCG), `modules/*.ko` and one `<group>.list`
 * per module group with the insmod order and parameters.
 */
export async function buildKernel(kernelPackage: string, out: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'edge-lab-kernel-'));
  try {
    const deb = await downloadPackage(kernelPackage, work);
    const root = join(work, 'root');
    await mkdir(root);
    await extractFromPackage(deb, root, ['./boot/vmlinuz-*', ...MODULE_DIRS.map((d) => `./lib/modules/*/kernel/${d}/*`)]);
    const bootFiles = await readdir(join(root, 'boot'));
    const vmlinuz = bootFiles.find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new ImageBuildError(`${kernelPackage} has no boot/vmlinuz-*`);
    await extractVmlinux(join(root, 'boot', vmlinuz), join(out, 'vmlinux'));
    await writeModules(root, join(out, 'modules'));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Finds the xz payload inside the bzImage and decompresses it to an ELF. */
async function extractVmlinux(bzImage: string, dest: string): Promise<void> {
  const data = await readFile(bzImage);
  const at = data.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
  if (at < 0) throw new ImageBuildError(`${basename(bzImage)}: no xz payload found (is the kernel still xz-compressed?)`);
  await new Promise<void>((resolve, reject) => {
    const xz = spawn('xz', ['-dc', '--single-stream'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    xz.stderr.on('data', (d) => (err += d));
    xz.stdout.pipe(createWriteStream(dest));
    xz.on('error', reject);
    // --single-stream stops reading at the end of the payload; the rest of the bzImage is not needed.
    xz.stdin.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') reject(e); });
    xz.on('close', (code) => (code === 0 ? resolve() : reject(new ImageBuildError(`xz failed on the kernel payload: ${err}`))));
    xz.stdin.end(data.subarray(at));
  });
  const raw = await readFile(dest);
  if (raw.subarray(0, 4).toString('latin1') !== '\x7fELF') throw new ImageBuildError('the kernel payload is not an ELF vmlinux');
  await writeFile(dest, trimTrailingZeroes(raw).elf);
}

async function writeModules(root: string, dest: string): Promise<void> {
  const files = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.ko')) files.set(canonicalModuleName(e.name), p);
    }
  };
  await walk(join(root, 'lib', 'modules'));
  const deps = new Map<string, string[]>();
  const dependsOf = (name: string): string[] | undefined => deps.get(name);
  for (const [name, path] of files) deps.set(name, parseModinfoDepends(await readFile(path)));
  await mkdir(dest, { recursive: true });
  for (const [group, wanted] of Object.entries(MODULE_GROUPS)) {
    // Each list is the group's whole closure: groups are loaded in different
    // combinations, and insmod of an already loaded module is a harmless no-op.
    const order = moduleLoadOrder(wanted, dependsOf);
    const lines: string[] = [];
    for (const m of order) {
      const src = files.get(m)!;
      await copyFile(src, join(dest, basename(src)));
      lines.push(`${basename(src)}${MODULE_PARAMS[m] ? ` ${MODULE_PARAMS[m]}` : ''}`);
    }
    await writeFile(join(dest, `${group}.list`), lines.join('\n') + '\n');
  }
}
