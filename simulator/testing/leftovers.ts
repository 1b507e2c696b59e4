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
