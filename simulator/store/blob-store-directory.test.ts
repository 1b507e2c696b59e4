import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, type Dirent, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from './blob-store';
import { describeBlobStoreContract } from './blob-store-contract';
import { openDirectoryBlobStore } from './blob-store-directory';

/** Every file under root: those at `sha256/<aa>/<key>` are blobs, anything else is other. */
function contentsOf(root: string): { blobs: string[]; other: string[] } {
  const blobs: string[] = [];
  const other: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { recursive: true, withFileTypes: true });
  } catch {
    return { blobs, other };
  }
  for (const e of entries.filter((x) => !x.isDirectory())) {
    const rel = relative(root, join(e.parentPath, e.name)).split(sep);
    const isBlob = e.isFile() && rel.length === 3 && rel[0] === 'sha256' && /^[0-9a-f]{64}$/.test(e.name) && rel[1] === e.name.slice(0, 2);
    (isBlob ? blobs : other).push(rel.join('/'));
  }
  return { blobs: blobs.map((p) => p.split('/')[2]!).sort(), other: other.sort() };
}

describeBlobStoreContract('directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'edge-lab-blobs-'));
  return {
    store: openDirectoryBlobStore(join(root, 'store')),
    contents: async () => contentsOf(join(root, 'store')),
    close: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('the directory BlobStore', () => {
  let dir: string;
  let store: BlobStore;
  const sha256 = (b: string): string => createHash('sha256').update(b).digest('hex');
  const source = (content: string): string => {
    const path = join(dir, 'src', sha256(content));
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'edge-lab-blobs-'));
    mkdirSync(join(dir, 'src'));
    store = openDirectoryBlobStore(join(dir, 'store'));
  });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('keeps a blob read-only at <root>/sha256/<aa>/<key>, and localPath is that file itself', async () => {
    const key = await store.putFile(source('memory.state of edge-1\n'));
    const path = join(dir, 'store', 'sha256', key.slice(0, 2), key);
    expect(await store.localPath(key)).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o444);
    expect(readFileSync(path, 'utf8')).toBe('memory.state of edge-1\n');
  });

  it('finds blobs a store opened earlier on the same root put there', async () => {
    const key = await store.putFile(source('disk'));
    const again = openDirectoryBlobStore(join(dir, 'store'));
    expect(await again.has(key)).toBe(true);
    expect(readFileSync(await again.localPath(key), 'utf8')).toBe('disk');
  });

  it('never takes a temporary file a crashed put left behind for a blob', async () => {
    mkdirSync(join(dir, 'store', 'sha256'), { recursive: true });
    writeFileSync(join(dir, 'store', 'sha256', '.tmp-crashed'), 'half a disk');
    expect(await store.has(sha256('half a disk'))).toBe(false);
    expect(contentsOf(join(dir, 'store'))).toEqual({ blobs: [], other: ['sha256/.tmp-crashed'] });
    const key = await store.putFile(source('half a disk'));
    expect(await store.has(key)).toBe(true);
  });

  it('leaves another put\'s temporary file alone when its own temporary name is taken', async () => {
    const clashing = openDirectoryBlobStore(join(dir, 'store'), { newId: () => 'same' });
    mkdirSync(join(dir, 'store', 'sha256'), { recursive: true });
    const theirs = join(dir, 'store', 'sha256', '.tmp-same');
    writeFileSync(theirs, 'half of another put');
    await expect(clashing.putFile(source('mine\n'))).rejects.toMatchObject({ code: 'io' });
    expect(readFileSync(theirs, 'utf8')).toBe('half of another put');
  });

  it('names the source and why in a failed put', async () => {
    const missing = join(dir, 'src', 'missing');
    await expect(store.putFile(missing)).rejects.toThrow(`[store] cannot read the checkpoint source ${missing}: no such file or directory`);
    await expect(store.putFile(join(dir, 'src'))).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('it is a directory') });
  });
});
