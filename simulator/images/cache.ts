import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Content-addressed cache of built guest images. An entry's directory is named
 * by a hash of everything that went into it; it appears atomically (built in a
 * temporary sibling, then renamed), so a crash never leaves a half entry.
 */
export function cacheRoot(): string {
  return process.env.EDGE_LAB_CACHE ?? join(homedir(), '.cache', 'edge-lab');
}

export function hashOf(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(typeof p === 'string' ? p : Buffer.from(p));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Hash of every file under `dir` (names and contents), in a stable order. */
export async function hashTree(dir: string): Promise<string> {
  const parts: (string | Uint8Array)[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name.endsWith('.test.ts')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p, `${rel}${e.name}/`);
      else if (e.isFile()) parts.push(`${rel}${e.name}`, await readFile(p));
    }
  };
  await walk(dir, '');
  return hashOf(parts);
}

/**
 * Returns the cache directory for (name, key), building it with `build(tmpDir)`
 * when absent. Contract: `build` writes its outputs into tmpDir only.
 */
export async function cached(name: string, key: string, build: (dir: string) => Promise<void>): Promise<{ dir: string; built: boolean }> {
  const dir = join(cacheRoot(), `${name}-${key.slice(0, 16)}`);
  if (await exists(dir)) return { dir, built: false };
  await removeAbandonedBuilds(cacheRoot());
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    await build(tmp);
    await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another process finished the same entry first: theirs is as good as ours.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      await rm(tmp, { recursive: true, force: true });
    });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return { dir, built: true };
}

/** Removes `*.tmp-<pid>-*` build directories whose process is gone (a crash mid-build). */
async function removeAbandonedBuilds(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const n of names) {
    const m = /\.tmp-(\d+)-\d+$/.exec(n);
    if (m && !isAlive(Number(m[1]))) await rm(join(root, n), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}
