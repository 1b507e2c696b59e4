// Large immutable files (checkpoint disks and memory, installer sticks) addressed by content: a
// blob's key is the SHA-256 of its bytes (64 lowercase hex digits), so the same bytes are kept once
// and a key names the same bytes in every store (a directory today, an object store later).
//
// Contract of every BlobStore:
// - putFile is atomic: the blob is either absent or complete under its key, never partial, and
//   it reads the source as a stream (never whole in memory). Putting the same content again, even
//   concurrently, is harmless and returns the same key; the store then holds it once.
// - A failed or interrupted put stores nothing under any key. What it leaves behind (a temporary
//   file, an unfinished upload) is never mistaken for a blob.
// - Blobs never change: the file localPath names must not be written to; copy it before changing.
// - A key that is not 64 lowercase hex digits is refused with StoreError code 'invalid', so no
//   key can name anything outside the store.
// - A key that is well formed but not stored makes localPath reject with BlobNotFoundError.
// - All failures are StoreErrors, their messages prefixed `[store]`.
import { StoreError } from './errors';

export interface BlobStore {
  /** Stores a copy of the local file at srcPath; resolves to its key, the SHA-256 of its bytes. */
  putFile(srcPath: string): Promise<string>;
  /** Whether a complete blob is stored under key. */
  has(key: string): Promise<boolean>;
  /**
   * A local file holding the blob's bytes, which another process (QEMU, qemu-img) can open: the
   * stored file itself when the store is a directory, a downloaded copy for a remote store. The
   * path stays valid until the blob is deleted from this store. Rejects with BlobNotFoundError
   * when nothing is stored under key.
   */
  localPath(key: string): Promise<string>;
  /** Removes the blob; resolves false if there was none. Paths localPath gave for it go stale. */
  delete(key: string): Promise<boolean>;
}

const KEY = /^[0-9a-f]{64}$/;

/** Returns key if it is a well-formed blob key; throws StoreError code 'invalid' otherwise. */
export function checkBlobKey(key: string): string {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new StoreError('invalid', `${JSON.stringify(key)} is not a checkpoint hash (64 lowercase hex digits)`);
  }
  return key;
}

/** localPath of a well-formed key with no blob stored under it. */
export class BlobNotFoundError extends StoreError {
  override name = 'BlobNotFoundError';
  constructor(readonly key: string) {
    super('not-found', `no checkpoint file ${key} is stored (it was never stored or has been deleted); make the checkpoint again`);
  }
}
