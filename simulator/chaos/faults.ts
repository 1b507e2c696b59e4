/**
 * How each kind of fault is done to a live lab, for real: QEMU and the lab server get SIGKILL,
 * the stick and the power go through the lab's own commands (a person pulling a stick or a
 * plug), the data directory is filled with one large file, and the store is locked by a second
 * SQLite connection holding a write transaction. A fault with nothing to hit (no QEMU running,
 * no stick in) says so instead of pretending.
 */
import { execFile } from 'node:child_process';
import { rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { diskPathOf } from '../labs/lab-vms';
import type { FaultKind } from '../pure/chaos/plan';
import { processesMatching } from '../testing/leftovers';
import type { ChaosPage } from './chaos-page';
import type { ChaosServer } from './chaos-server';

const run = promisify(execFile);

export interface FaultTarget {
  server: ChaosServer;
  page: ChaosPage;
  labId: string;
  /** The VM the fault hits, for the kinds that hit one host. */
  host: string;
}

export type Injection =
  | { hit: false; why: string }
  /** `lift`: for a fault that holds (disk full, store locked), ends it. */
  | { hit: true; what: string; lift?: () => Promise<void> };

const missed = (why: string): Injection => ({ hit: false, why });

async function qemuOf(t: FaultTarget): Promise<number[]> {
  const disk = diskPathOf(join(t.server.dataDir, 'labs', t.labId), t.host);
  return (await processesMatching(disk)).filter((p) => p.cmdline.includes('qemu-system')).map((p) => p.pid);
}

async function hostCommand(t: FaultTarget, name: string, needs: (d: Record<string, unknown>, tags: readonly string[]) => string | null): Promise<Injection> {
  const h = t.page.view().hosts[t.host];
  if (!h) return missed(`the lab has no host ${t.host}`);
  const notThere = needs(h.data as Record<string, unknown>, h.tags);
  if (notThere) return missed(notThere);
  try {
    await t.page.client.command({ kind: 'host', hostId: t.host }, name);
    return { hit: true, what: `${name} on ${t.host} (${h.label})` };
  } catch (err) {
    return missed(`${name} on ${t.host} was refused: ${(err as Error).message}`);
  }
}

const INJECT: Record<FaultKind, (t: FaultTarget, hold: number) => Promise<Injection>> = {
  async 'qemu-kill'(t) {
    const pids = await qemuOf(t);
    if (pids.length === 0) return missed(`no QEMU was running for ${t.host}`);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    return { hit: true, what: `kill -9 ${pids.join(' ')} (${t.host}'s QEMU)` };
  },

  async 'server-kill'(t) {
    const pid = t.server.pid;
    await t.server.killAndRestart();
    await t.page.reconnect(t.server.url);
    return { hit: true, what: `kill -9 ${pid} (the lab server), started again on the same data` };
  },

  'stick-pull': (t) => hostCommand(t, 'REMOVE_USB', (d) => (d.usbInserted ? null : `no stick was in ${t.host}`)),

  'power-cut': (t) => hostCommand(t, 'POWER_OFF', (_d, tags) => (tags.includes('off') ? `${t.host} was already off` : null)),

  async 'disk-fill'(t) {
    if (!t.server.onTmpfs) return missed('the data directory is not a tmpfs of the run\'s own');
    const filler = join(t.server.dataDir, 'chaos-filler');
    // The guests write meanwhile: a size measured a moment ago may no longer fit, so leave more each try.
    let last = '';
    for (let attempt = 0; attempt < 4; attempt++) {
      const s = await statfs(t.server.dataDir);
      const free = s.bavail * s.bsize;
      const leave = (1 + 8 * attempt) * 1024 * 1024;
      if (free <= leave) return missed('the data directory was full already');
      try {
        await run('fallocate', ['-l', String(free - leave), filler]);
        return { hit: true, what: `filled the data directory (${Math.round(free / 1048576)} MiB, ${leave / 1048576} MiB left)`, lift: () => rm(filler, { force: true }) };
      } catch (err) {
        await rm(filler, { force: true });
        last = (err as Error).message.split('\n').slice(-2).join(' ').trim();
      }
    }
    return missed(`the data directory could not be filled: ${last}`);
  },

  async 'store-lock'(t, hold) {
    const db = new Database(join(t.server.dataDir, 'labs.sqlite'), { timeout: 10_000 });
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      return missed(`could not take the store's lock: ${(err as Error).message}`);
    }
    return {
      hit: true,
      what: `a second connection holds the store's write lock for ${(hold / 1000).toFixed(1)} s`,
      lift: async () => { db.exec('COMMIT'); db.close(); },
    };
  },
};

/** Why a fault of `kind` would find nothing to hit now, or null when it would hit. */
export async function nothingToHit(kind: FaultKind, t: FaultTarget): Promise<string | null> {
  const h = t.page.view().hosts[t.host];
  const d = (h?.data ?? {}) as Record<string, unknown>;
  switch (kind) {
    case 'qemu-kill': return (await qemuOf(t)).length > 0 ? null : `no QEMU was running for ${t.host}`;
    case 'stick-pull': return d.usbInserted ? null : `no stick was in ${t.host}`;
    case 'power-cut': return h && !h.tags.includes('off') ? null : `${t.host} was off`;
    default: return null;
  }
}

/** Does the fault; a fault that could not be done is a miss with the reason, never the run's end. */
export async function injectFault(kind: FaultKind, t: FaultTarget, holdMs: number): Promise<Injection> {
  try {
    return await INJECT[kind](t, holdMs);
  } catch (err) {
    // A server that would not start again is not a miss: the lab cannot go on without one.
    if (kind === 'server-kill') throw err;
    return missed(`the fault could not be done: ${(err as Error).message.split('\n')[0]}`);
  }
}
