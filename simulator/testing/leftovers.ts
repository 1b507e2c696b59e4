import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/** Processes whose command line contains `marker` (read from /proc). */
export async function processesMatching(marker: string): Promise<Array<{ pid: number; cmdline: string }>> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').then((s) => s.replace(/\0/g, ' ').trim(), () => '');
    if (cmdline.includes(marker) && !cmdline.includes('vitest')) out.push({ pid: Number(name), cmdline });
  }
  return out;
}

/** Temp entries the lab creates (test labs, forge and image build staging) still present. */
export async function tempLeftovers(prefixes: readonly string[]): Promise<string[]> {
  const names = await readdir(tmpdir());
  return names.filter((n) => prefixes.some((p) => n.startsWith(p)));
}

/**
 * On the command line of every Chromium a test starts (`--edge-lab-test-browser=<id>`,
 * see browser/browser.ts); it starts with the VM tests' prefix, `edge-lab-test`.
 */
export const BROWSER_MARKER = 'edge-lab-test-browser';
/** In the environment of that Chromium and of what it starts directly (its crash handlers too). */
export const BROWSER_ENV_MARKER = 'EDGE_LAB_TEST_BROWSER';

/**
 * Chromium processes a test left running: each marked browser, every process of its
 * process group (zygotes, renderers, GPU and utility processes carry no marker), and
 * every process with the environment marker (the crash handlers, which leave the group).
 */
export async function browserLeftovers(): Promise<Array<{ pid: number; pgid: number; cmdline: string }>> {
  const all: Array<{ pid: number; pgid: number; cmdline: string; marked: boolean }> = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const pid = Number(name);
    const [cmdline, stat, environ] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, 'utf8').then((s) => s.replace(/\0/g, ' ').trim(), () => ''),
      readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''),
      readFile(`/proc/${pid}/environ`, 'utf8').catch(() => ''),
    ]);
    if (!cmdline || !stat) continue;
    const marked = environ.split('\0').some((v) => v.startsWith(`${BROWSER_ENV_MARKER}=`));
    all.push({ pid, pgid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]), cmdline, marked });
  }
  const groups = new Set(all.filter((p) => p.cmdline.includes(`--${BROWSER_MARKER}=`)).map((p) => p.pgid));
  return all.filter((p) => p.marked || (groups.has(p.pgid) && /chrom(e|ium)/.test(p.cmdline))).map(({ marked: _m, ...p }) => p);
}
