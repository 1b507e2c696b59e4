/**
 * apt's answers about packages (which kernel package, which candidate versions), remembered
 * while nothing they depend on has changed. Each `apt-cache` call loads apt's whole cache and
 * takes most of a second, and a lab server asks five of them at every start; a server started
 * again after a crash must be back within seconds. The answers depend only on apt's package
 * lists, its configuration and dpkg's status file, so their sizes and modification times are
 * the key: `apt-get update`, an install or a changed source makes the next start ask again.
 */
import { readFile, readdir, stat, writeFile, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from './cache';
import { run } from './run';

/** What apt's answers are made of; each is stat'ed (directories: every entry in them). */
const APT_STATE = ['/var/lib/apt/lists', '/var/lib/dpkg/status', '/etc/apt/sources.list', '/etc/apt/sources.list.d', '/etc/apt/preferences', '/etc/apt/preferences.d'];

async function stateKey(paths: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (!s) { parts.push(`${p}:-`); continue; }
    parts.push(`${p}:${s.size}:${s.mtimeMs}`);
    if (s.isDirectory()) {
      for (const name of (await readdir(p)).sort()) {
        const e = await stat(join(p, name)).catch(() => null);
        if (e) parts.push(`${name}:${e.size}:${e.mtimeMs}`);
      }
    }
  }
  return parts.join('|');
}

interface Memo { key: string; answers: Record<string, string> }

const memoFile = (): string => join(cacheRoot(), 'apt-answers.json');

/** `apt-cache <args>`'s stdout: remembered while apt's state is unchanged. `statePaths` is for tests. */
export async function aptCache(args: readonly string[], statePaths: readonly string[] = APT_STATE): Promise<string> {
  const key = await stateKey(statePaths);
  const question = args.join(' ');
  const memo = JSON.parse(await readFile(memoFile(), 'utf8').catch(() => 'null')) as Memo | null;
  const known = memo?.key === key ? memo.answers[question] : undefined;
  if (known !== undefined) return known;
  const { stdout } = await run('apt-cache', args);
  // Written whole and renamed: two servers starting at once each write a complete file.
  const next: Memo = { key, answers: { ...(memo?.key === key ? memo.answers : {}), [question]: stdout } };
  await mkdir(cacheRoot(), { recursive: true });
  const tmp = `${memoFile()}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(next));
  await rename(tmp, memoFile());
  return stdout;
}
