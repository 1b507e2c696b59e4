// The behaviour every BlobStore (blob-store.ts) must have, as a vitest suite: run it against each
// implementation (`describeBlobStoreContract('directory', () => ({ store, contents, close }))`).
// The factory makes a fresh, empty store per test and says what its backing storage holds, so the
// suite can check that content is kept once and that nothing but blobs is left behind.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, type BlobStore } from './blob-store';

export interface BlobStoreHarness {
  store: BlobStore;
  /** What the backing storage holds: the keys of complete blobs, and anything else (temporary files, unfinished uploads). */
  contents(): Promise<{ blobs: string[]; other: string[] }>;
  /** Frees the backing storage. */
  close?(): Promise<void>;
}

export function describeBlobStoreContract(name: string, make: () => BlobStoreHarness | Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let h: BlobStoreHarness;
    let store: BlobStore;
    let srcDir: string;
    let sources = 0;
    const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
    const source = async (content: Buffer | string): Promise<string> => {
      const path = join(srcDir, `src-${++sources}`);
      await writeFile(path, content);
      return path;
    };
    const bytesOf = async (key: string): Promise<Buffer> => readFile(await store.localPath(key));
    const code = (c: string) => expect.objectContaining({ code: c, message: expect.stringMatching(/^\[store\] /) });
    const absent = sha256('never stored');

    beforeEach(async () => {
      srcDir = await mkdtemp(join(tmpdir(), 'edge-lab-blob-src-'));
      h = await make();
      store = h.store;
    });
    afterEach(async () => {
      try {
        expect((await h.contents()).other).toEqual([]);
      } finally {
        await h.close?.();
        await rm(srcDir, { recursive: true, force: true });
      }
    });

    it('round-trips bytes under their SHA-256, and leaves the source as it was', async () => {
      for (const content of [Buffer.from('memory.state of edge-1\n'), Buffer.alloc(0), Buffer.from([0, 255, 10, 13, 0])]) {
        const src = await source(content);
        const key = await store.putFile(src);
        expect(key).toBe(sha256(content));
        expect(await store.has(key)).toBe(true);
        expect((await bytesOf(key)).equals(content)).toBe(true);
        expect((await readFile(src)).equals(content)).toBe(true);
      }
    });

    it('streams a file larger than a read chunk and keeps every byte', async () => {
      const content = randomBytes(9 * 1024 * 1024 + 123);
      const key = await store.putFile(await source(content));
      expect(key).toBe(sha256(content));
      expect((await bytesOf(key)).equals(content)).toBe(true);
    });

    it('keeps the same content once, whichever file it came from', async () => {
      const first = await store.putFile(await source('same bytes'));
      expect(await store.putFile(await source('same bytes'))).toBe(first);
      const other = await store.putFile(await source('other bytes'));
      expect(other).not.toBe(first);
      expect((await h.contents()).blobs.sort()).toEqual([first, other].sort());
    });

    it('takes concurrent puts of the same content: one key, one complete blob, nothing else', async () => {
      const content = randomBytes(2 * 1024 * 1024);
      const paths = await Promise.all([1, 2, 3].map(() => source(content)));
      const keys = await Promise.all([...paths, ...paths].map((p) => store.putFile(p)));
      expect(new Set(keys)).toEqual(new Set([sha256(content)]));
      expect(await h.contents()).toEqual({ blobs: [sha256(content)], other: [] });
      expect((await bytesOf(keys[0]!)).equals(content)).toBe(true);
    });

    it('takes concurrent puts of different content, each under its own key', async () => {
      const contents = [1, 2, 3, 4].map((i) => Buffer.from(`disk of edge-${i}\n`.repeat(1000 * i)));
      const keys = await Promise.all(contents.map(async (c) => store.putFile(await source(c))));
      expect(keys).toEqual(contents.map(sha256));
      for (const [i, key] of keys.entries()) expect((await bytesOf(key)).equals(contents[i]!)).toBe(true);
      expect((await h.contents()).blobs.sort()).toEqual([...keys].sort());
    });

    it('rejects localPath of a key never stored with BlobNotFoundError; has and delete say absent', async () => {
      const err = await store.localPath(absent).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(BlobNotFoundError);
      expect(err).toEqual(code('not-found'));
      expect((err as BlobNotFoundError).key).toBe(absent);
      expect(await store.has(absent)).toBe(false);
      expect(await store.delete(absent)).toBe(false);
    });

    it('deletes a blob once; it is then missing until stored again', async () => {
      const key = await store.putFile(await source('x'));
      expect(await store.delete(key)).toBe(true);
      expect(await store.has(key)).toBe(false);
      await expect(store.localPath(key)).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await store.delete(key)).toBe(false);
      expect(await h.contents()).toEqual({ blobs: [], other: [] });
      expect(await store.putFile(await source('x'))).toBe(key);
      expect((await bytesOf(key)).toString()).toBe('x');
    });

    it('refuses malformed keys with code invalid, so no key names anything outside the store', async () => {
      for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'ab', `${'0'.repeat(64)}/..`, '', undefined as unknown as string]) {
        await expect(store.has(bad)).rejects.toEqual(code('invalid'));
        await expect(store.localPath(bad)).rejects.toEqual(code('invalid'));
        await expect(store.delete(bad)).rejects.toEqual(code('invalid'));
      }
    });

    it('fails a put of a missing or unreadable source with an io error naming it, storing nothing', async () => {
      const missing = join(srcDir, 'missing');
      await expect(store.putFile(missing)).rejects.toEqual(code('io'));
      await expect(store.putFile(missing)).rejects.toThrow(missing);
      await expect(store.putFile(srcDir)).rejects.toEqual(code('io'));
      expect(await h.contents()).toEqual({ blobs: [], other: [] });
    });
  });
}
