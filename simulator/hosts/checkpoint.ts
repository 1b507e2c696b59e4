import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmLaunch, VmProcess } from '../vm/types';
import type { BootDevice } from './boot-order';
import type { EdgeHost } from './edge-host';
import { HostError } from './errors';
import type { HostIo } from './host-io';

/**
 * A host's whole state in a directory: `memory.state` (QEMU's migration
 * stream: RAM and every device, the console and the user network included),
 * `disk.qcow2` (the disk at the same instant) and `launch.json` (the exact
 * launch; QEMU requires the same machine to load the stream into).
 */
export interface CheckpointInfo {
  dir: string;
  launch: VmLaunch;
  savedAt: string;
}

const POLL_MS = 10;

/** Pauses the host, writes memory and disk, then lets it run on. */
export async function saveCheckpoint(host: EdgeHost, dir: string, io: HostIo, now: () => Date = () => new Date()): Promise<CheckpointInfo> {
  const cur = host.current();
  if (!cur) throw new HostError('not-on', `${host.spec.name} is powered off; a checkpoint needs a running host.`);
  const { proc, launch } = cur;
  await mkdir(dir, { recursive: true });
  await proc.execute('stop');
  try {
    await proc.execute('migrate', { uri: `exec:cat > ${shellQuote(join(dir, 'memory.state'))}` });
    await waitForMigration(proc, 'source');
    // Migration leaves the disk flushed and inactive: a consistent copy.
    await io.copy(launch.disk!.path, join(dir, 'disk.qcow2'));
  } finally {
    await proc.execute('cont').catch(() => {});
  }
  const info: CheckpointInfo = { dir, launch, savedAt: now().toISOString() };
  await writeFile(join(dir, 'launch.json'), JSON.stringify(info, null, 2));
  return info;
}

/** Puts the host back exactly as it was at the checkpoint, running. */
export async function restoreCheckpoint(host: EdgeHost, dir: string, io: HostIo): Promise<void> {
  let info: CheckpointInfo;
  try {
    info = JSON.parse(await readFile(join(dir, 'launch.json'), 'utf8')) as CheckpointInfo;
  } catch (err) {
    throw new HostError('checkpoint-missing', `no checkpoint in ${dir} (launch.json unreadable)`, { cause: err });
  }
  if (host.power === 'on') await host.powerOff();
  await io.copy(join(dir, 'disk.qcow2'), host.spec.diskPath);
  const proc = await host.startFrom({ ...info.launch, disk: { path: host.spec.diskPath } }, `exec:cat ${shellQuote(join(dir, 'memory.state'))}`);
  await waitForMigration(proc, 'target');
}

/** Pauses a running host (its clock and devices stop at this instant). */
export async function pauseHost(host: EdgeHost): Promise<void> {
  const cur = host.current();
  if (!cur) throw new HostError('not-on', `${host.spec.name} is powered off; only a running host can be paused.`);
  await cur.proc.execute('stop');
}

/**
 * Writes a paused host's memory (and every device's state) to `file`. The host stays paused with
 * its disk flushed and inactive: the caller copies the disk, then lets it run on (continueHost)
 * or cuts its power.
 */
export async function saveMemory(host: EdgeHost, file: string): Promise<void> {
  const cur = host.current();
  if (!cur) throw new HostError('not-on', `${host.spec.name} is powered off; only a running host has memory to save.`);
  await cur.proc.execute('migrate', { uri: `exec:cat > ${shellQuote(file)}` });
  await waitForMigration(cur.proc, 'source');
}

/** Lets a host paused by pauseAndSaveMemory run on. */
export async function continueHost(host: EdgeHost): Promise<void> {
  await host.current()?.proc.execute('cont');
}

/**
 * Powers the host on from a memory stream saved by pauseAndSaveMemory, as the host is now
 * (today's ports; the disk at its path must be the one saved with the memory), running.
 */
export async function resumeHost(host: EdgeHost, memoryFile: string, device: BootDevice, stick: string | null): Promise<void> {
  const proc = await host.resumeFrom(device, `exec:cat ${shellQuote(memoryFile)}`, stick);
  await waitForMigration(proc, 'target');
}

async function waitForMigration(proc: VmProcess, side: 'source' | 'target'): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (side === 'source') {
      const r = await proc.execute<{ status?: string; 'error-desc'?: string }>('query-migrate');
      if (r.status === 'completed') return;
      if (r.status === 'failed' || r.status === 'cancelled') throw new HostError('checkpoint-failed', `saving memory failed: ${r['error-desc'] ?? r.status}`);
    } else {
      const r = await proc.execute<{ status: string }>('query-status');
      if (r.status === 'running') return;
      // The stream carries the source's run state: saved while paused, it
      // arrives paused (our saves pause first, for an exact instant).
      if (r.status === 'paused') { await proc.execute('cont'); continue; }
      // Saved while paused on a full disk: restored, and resumed once. If the disk is still full
      // QEMU pauses it again and the host reports that pause (EdgeHost's `io` event); looping on
      // `cont` here would only flap until the deadline.
      if (r.status === 'io-error') { await proc.execute('cont'); return; }
      if (r.status === 'internal-error' || r.status === 'shutdown') throw new HostError('checkpoint-failed', `restoring failed: the VM is ${r.status}`);
    }
    if (Date.now() > deadline) throw new HostError('timeout', `checkpoint ${side === 'source' ? 'save' : 'restore'} did not finish in 60 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
