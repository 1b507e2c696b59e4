/**
 * What a host's disk holds, as a chaos run checks it against the log: the bytes its qcow2 image
 * (with any backing images, as after a checkpoint) has allocated. Read with `qemu-img info -U`
 * (shared: the host's QEMU may hold the image open).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { diskPathOf } from '../labs/lab-vms';
import { join } from 'node:path';

const run = promisify(execFile);

/** Allocated bytes of each VM's disk; null for a VM without a disk image. */
export async function allocatedDiskBytes(dataDir: string, labId: string, vms: readonly string[]): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const vm of vms) {
    try {
      const { stdout } = await run('qemu-img', ['info', '-U', '--backing-chain', '--output=json', diskPathOf(join(dataDir, 'labs', labId), vm)]);
      const chain = JSON.parse(stdout) as Array<{ 'actual-size'?: number }>;
      out[vm] = chain.reduce((n, img) => n + (img['actual-size'] ?? 0), 0);
    } catch {
      out[vm] = null;
    }
  }
  return out;
}
