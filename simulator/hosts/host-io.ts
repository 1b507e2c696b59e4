import { constants } from 'node:fs';
import { copyFile, open, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The file effects an edge host needs besides its VM; injected so host logic is testable. */
export interface HostIo {
  /** Creates a blank qcow2 disk of `sizeMb` unless `path` exists. */
  ensureDisk(path: string, sizeMb: number): Promise<void>;
  /** First 512 bytes of an image, or null if it cannot be read. */
  readBootSector(path: string): Promise<Uint8Array | null>;
  /** Copies a file (a reflink where the filesystem can). */
  copy(from: string, to: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}

const run = promisify(execFile);

export const realHostIo: HostIo = {
  async ensureDisk(path, sizeMb) {
    if (await this.exists(path)) return;
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', path, `${sizeMb}M`]);
  },
  async readBootSector(path) {
    try {
      const fh = await open(path, 'r');
      try {
        const buf = new Uint8Array(512);
        const { bytesRead } = await fh.read(buf, 0, 512, 0);
        return bytesRead === 512 ? buf : null;
      } finally {
        await fh.close();
      }
    } catch {
      return null;
    }
  },
  copy: (from, to) => copyFile(from, to, constants.COPYFILE_FICLONE),
  exists: (path) => stat(path).then(() => true, () => false),
};
