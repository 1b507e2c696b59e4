import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { ensureGuestImages } from '../images/guest-images';
import { browserLeftovers, processesMatching, tempLeftovers } from './leftovers';
import { LEFTOVER_REPORT_ENV } from './leftover-report';
import { TEST_VM_PREFIX } from './vm-lab';
import { DATA_DIR_PREFIX as CHAOS_DATA_DIR_PREFIX } from '../chaos/chaos-server';
import { leftoverTestNetns, removeTestNetns } from './netns';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One phase-checkpoint cache for the whole suite (lab servers' `checkpointsDir`): made once, used by every file. */
    checkpointsDir: string;
  }
}

let checkpointsDir: string | null = null;
const execFileAsync = promisify(execFile);

/**
 * VM suite setup: guest images are built (or found cached) once, before any
 * test times out waiting for them, and a checkpoint cache is shared by the
 * suite's lab servers. Teardown removes that cache, then fails the run if any
 * QEMU process, Chromium of a browser test, temp file or network namespace of
 * the suite outlived it, after removing them.
 */
export async function setup(project: TestProject): Promise<void> {
  await ensureGuestImages((line) => console.log(`[vm-tests] ${line}`));
  checkpointsDir = await mkdtemp(join(tmpdir(), 'edge-lab-checkpoint-cache-'));
  project.provide('checkpointsDir', checkpointsDir);
}

export async function teardown(): Promise<void> {
  if (checkpointsDir) await rm(checkpointsDir, { recursive: true, force: true });
  // Browsers first: their main process also matches the prefix below.
  const browsers = await browserLeftovers();
  for (const p of browsers) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  const procs = [...await processesMatching(`${TEST_VM_PREFIX}-`), ...await processesMatching(CHAOS_DATA_DIR_PREFIX)].filter((p) => !browsers.some((b) => b.pid === p.pid));
  const temps = await tempLeftovers([`${TEST_VM_PREFIX}-`, CHAOS_DATA_DIR_PREFIX, 'edge-lab-forge-', 'edge-lab-tree-', 'edge-lab-kernel-', 'edge-lab-runtime-']);
  for (const p of procs) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
  const namespaces = await leftoverTestNetns();
  for (const n of namespaces) await removeTestNetns(n);
  // A chaos run's tmpfs (chaos/chaos-server.ts) is unmounted before its directory goes.
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.includes(`/${CHAOS_DATA_DIR_PREFIX}`));
  for (const m of mounts) await execFileAsync('umount', ['-l', m]).catch(() => undefined);
  temps.push(...mounts.map((m) => `${m} (a mounted tmpfs)`));
  if (procs.length || browsers.length || temps.length || namespaces.length) {
    const report = process.env[LEFTOVER_REPORT_ENV];
    const text = `[vm-tests] leftovers after the suite: ${procs.length} QEMU process(es) ${procs.map((p) => p.pid).join(' ')}; ${browsers.length} Chromium process(es) ${browsers.map((p) => p.pid).join(' ')}; temp entries: ${temps.join(' ') || 'none'}; network namespaces: ${namespaces.join(' ') || 'none'}`;
    if (report) await writeFile(report, `${text}\n`);
    throw new Error(text);
  }
}
