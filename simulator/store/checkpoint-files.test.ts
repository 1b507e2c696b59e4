import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCheckpointFiles, type CheckpointFiles } from './checkpoint-files';
import { StoreError } from './errors';

let dir: string;
let files: CheckpointFiles;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const source = (name: string, content: Buffer | string): string => {
  const path = join(dir, 'src', name);
  writeFileSync(path, content);
  return path;
};
/** Everything under <root>/sha256 except shard directories. */
const stored = (): string[] => readdirSync(join(dir, 'store', 'sha256'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => e.name).sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edge-lab-checkpoints-'));
  mkdirSync(join(dir, 'src'));
  files = openCheckpointFiles(join(dir, 'store'));
});
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('checkpoint files addressed by content', () => {
  it('stores a file under <root>/sha256/<aa>/<hash>, read-only, with the same bytes', async () => {
    const content = Buffer.from('memory.state of edge-1\n');
    const hash = await files.putFile(source('memory.state', content));
    expect(hash).toBe(sha256(content));
    const path = files.pathOf(hash);
    expect(path).toBe(join(dir, 'store', 'sha256', hash.slice(0, 2), hash));
    expect(readFileSync(path).equals(content)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o444);
    expect(await files.has(hash)).toBe(true);
  });

  it('streams a large file and gets the same hash as hashing it whole', async () => {
    const content = randomBytes(9 * 1024 * 1024 + 123);
    const hash = await files.putFile(source('disk.qcow2', content));
    expect(hash).toBe(sha256(content));
    expect(readFileSync(files.pathOf(hash)).equals(content)).toBe(true);
  });

  it('is idempotent, also when the same content is stored concurrently, and leaves no temp files', async () => {
    const a = source('a', 'same bytes');
    const b = source('b', 'same bytes');
    const first = await files.putFile(a);
    expect(await files.putFile(a)).toBe(first);
    const all = await Promise.all([files.putFile(a), files.putFile(b), files.putFile(a)]);
    expect(new Set(all)).toEqual(new Set([first]));
    const other = await files.putFile(source('c', 'other bytes'));
    expect(other).not.toBe(first);
    expect(stored()).toEqual([first, other].sort());
  });

  it('removes a stored file once, and reports unknown hashes as absent', async () => {
    const hash = await files.putFile(source('x', 'x'));
    expect(await files.remove(hash)).toBe(true);
    expect(await files.has(hash)).toBe(false);
    expect(await files.remove(hash)).toBe(false);
    expect(await files.has('0'.repeat(64))).toBe(false);
    expect(await files.putFile(source('x', 'x'))).toBe(hash);
  });

  it('refuses malformed hashes, so no path outside the store can be named', async () => {
    for (const bad of ['../../etc/passwd', 'A'.repeat(64), 'ab', `${'0'.repeat(64)}/..`]) {
      expect(() => files.pathOf(bad)).toThrow(/^\[store\] .*not a checkpoint hash/);
      await expect(files.has(bad)).rejects.toBeInstanceOf(StoreError);
      await expect(files.remove(bad)).rejects.toBeInstanceOf(StoreError);
    }
  });

  it('fails with a [store] error naming a missing or unreadable source, leaving nothing behind', async () => {
    const missing = join(dir, 'src', 'missing');
    await expect(files.putFile(missing)).rejects.toThrow(`[store] cannot read the checkpoint source ${missing}: no such file or directory`);
    await expect(files.putFile(join(dir, 'src'))).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('it is a directory') });
    expect(stored()).toEqual([]);
  });
});
