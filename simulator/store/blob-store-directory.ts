// The BlobStore (blob-store.ts) kept in a local directory, the default. Layout:
// `<root>/sha256/<first two hex digits>/<key>`; localPath is that file itself, no copy.
// - putFile streams the source into a temporary file beside the final one
//   (`<root>/sha256/.tmp-<id>`, same file system), syncs it, then renames it into place.
// - Stored files are read-only (0444).
// - A crash mid-put can leave a `.tmp-*` file behind; it is never taken for a blob.
// - delete leaves the shard directory: removing it could race a put renaming into it.
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobNotFoundError, checkBlobKey, type BlobStore } from './blob-store';
import { StoreError } from './errors';

export function openDirectoryBlobStore(root: string, options: { newId?: () => string } = {}): BlobStore {
  const newId = options.newId ?? randomUUID;
  const base = join(root, 'sha256');
  const pathOf = (key: string): string => join(base, checkBlobKey(key).slice(0, 2), key);

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
    let made = false;
    try {
      await mkdir(base, { recursive: true });
      out = await open(tmp, 'wx', 0o600);
      made = true;
      const hash = createHash('sha256');
      for await (const chunk of src.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        await writeAll(out, chunk);
      }
      await out.sync();
      await out.close();
      out = undefined;
      const key = hash.digest('hex');
      const final = pathOf(key);
      if (await exists(final)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(join(base, key.slice(0, 2)), { recursive: true });
        await chmod(tmp, 0o444);
        await rename(tmp, final);
      }
      return key;
    } catch (err) {
      await out?.close().catch(() => undefined);
      // Only a temp file this put made is its to remove: `wx` refuses one another put holds.
      if (made) await rm(tmp, { force: true }).catch(() => undefined);
      if (err instanceof StoreError) throw err;
      throw ioError(`cannot store ${srcPath} under ${root}`, err);
    } finally {
      await src.close().catch(() => undefined);
    }
  }

  return {
    putFile,
    has: async (key) => exists(pathOf(key)),
    async localPath(key) {
      const path = pathOf(key);
      if (!(await exists(path))) throw new BlobNotFoundError(key);
      return path;
    },
    async delete(key) {
      const path = pathOf(key);
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
