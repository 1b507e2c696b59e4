// Checkpoint files addressed by content: a file is stored once under its SHA-256, so a lab
// refers to checkpoints by hash alone and the files can later move to object storage (the key
// is the same). Layout: `<root>/sha256/<first two hex digits>/<hash>`.
// Contracts:
// - putFile streams the source (never holds it whole in memory) into a temporary file beside the
//   final one (`<root>/sha256/.tmp-<id>`, same file system), syncs it, then renames it into place:
//   a stored file is either absent or complete, never partial. Storing the same content twice
//   (even concurrently) is harmless and returns the same hash.
// - Stored files are read-only (0444): content-addressed data must never change in place; copy a
//   file out before modifying it.
// - A crash mid-put can leave a `.tmp-*` file behind; it is never mistaken for a checkpoint.
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './errors';

export interface CheckpointFiles {
  readonly root: string;
  /** Stores a copy of the file at srcPath and returns its SHA-256 (64 lowercase hex digits). */
  putFile(srcPath: string): Promise<string>;
  /** Where the file with this hash is (or would be) stored; throws code 'invalid' for a malformed hash. */
  pathOf(hash: string): string;
  has(hash: string): Promise<boolean>;
  /** False if there was no such file. */
  remove(hash: string): Promise<boolean>;
}

const HASH = /^[0-9a-f]{64}$/;

export function openCheckpointFiles(root: string, options: { newId?: () => string } = {}): CheckpointFiles {
  const newId = options.newId ?? randomUUID;
  const base = join(root, 'sha256');

  const pathOf = (hash: string): string => {
    if (typeof hash !== 'string' || !HASH.test(hash)) {
      throw new StoreError('invalid', `${JSON.stringify(hash)} is not a checkpoint hash (64 lowercase hex digits)`);
    }
    return join(base, hash.slice(0, 2), hash);
  };

  const exists = async (path: string): Promise<boolean> => {
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw ioError(`cannot look at ${path}`, err);
    }
  };

  async function putFile(srcPath: string): Promise<string> {
    let src: FileHandle;
    try {
      src = await open(srcPath, 'r');
    } catch (err) {
      throw ioError(`cannot read the checkpoint source ${srcPath}`, err);
    }
    const tmp = join(base, `.tmp-${newId()}`);
    let out: FileHandle | undefined;
    try {
      await mkdir(base, { recursive: true });
      out = await open(tmp, 'wx', 0o600);
      const hash = createHash('sha256');
      for await (const chunk of src.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        await writeAll(out, chunk);
      }
      await out.sync();
      await out.close();
      out = undefined;
      const digest = hash.digest('hex');
      const final = pathOf(digest);
      if (await exists(final)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(join(base, digest.slice(0, 2)), { recursive: true });
        await chmod(tmp, 0o444);
        await rename(tmp, final);
      }
      return digest;
    } catch (err) {
      await out?.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw ioError(`cannot store ${srcPath} under ${root}`, err);
    } finally {
      await src.close().catch(() => undefined);
    }
  }

  return {
    root,
    putFile,
    pathOf,
    has: async (hash) => exists(pathOf(hash)),
    async remove(hash) {
      const path = pathOf(hash);
      // The shard directory stays: removing it could race a concurrent put renaming into it.
      try {
        await rm(path);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw ioError(`cannot remove ${path}`, err);
      }
    },
  };
}

async function writeAll(fh: FileHandle, chunk: Buffer): Promise<void> {
  for (let done = 0; done < chunk.length;) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.length - done);
    done += bytesWritten;
  }
}

function ioError(what: string, err: unknown): StoreError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EISDIR' ? 'it is a directory'
        : (err as Error).message;
  return new StoreError('io', `${what}: ${why}`, { cause: err });
}
