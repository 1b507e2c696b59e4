/**
 * The lab server a chaos run plays against: a process of its own (so it can be killed -9 and
 * started again on the same data, as a crash would), on a data directory of its own. When the
 * run may fill that directory, it is a small tmpfs mounted for the run (filling the machine's
 * own disk would hurt everything else on it); that needs root, and without root the run leaves
 * the disk-fill fault out and says so.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLabServerProcess, type LabServerProcess } from '../testing/lab-server-process';

const run = promisify(execFile);

/**
 * The tmpfs' size: each single-node lab leaves about 120 MiB (its disk, installers, store), and
 * a fill takes what is free, in memory: so room for the labs and a little more, not a fixed lot.
 */
const tmpfsMb = (labs: number): number => Math.min(8192, 1024 + 160 * labs);
/** The server calls its disk low below this (and refuses new installers); checked twice a second. */
export const CHAOS_DISK_FLOOR_MB = 64;
const DISK_INTERVAL_MS = 500;

export const DATA_DIR_PREFIX = 'edge-lab-chaos-';

export class ChaosServerError extends Error {
  constructor(message: string) {
    super(`[chaos] ${message}`);
    this.name = 'ChaosServerError';
  }
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

export const canMountTmpfs = (): boolean => process.getuid?.() === 0;

export class ChaosServer {
  private process: LabServerProcess | null = null;
  restarts = 0;

  private constructor(readonly dataDir: string, readonly onTmpfs: boolean, private readonly port: number) {}

  static async start(o: { tmpfs: boolean; labs: number }): Promise<ChaosServer> {
    const dataDir = await mkdtemp(join(tmpdir(), DATA_DIR_PREFIX));
    if (o.tmpfs) {
      try {
        await run('mount', ['-t', 'tmpfs', '-o', `size=${tmpfsMb(o.labs)}m,mode=0700`, 'edge-lab-chaos', dataDir]);
      } catch (err) {
        await rm(dataDir, { recursive: true, force: true });
        throw new ChaosServerError(`cannot mount a tmpfs for the lab data at ${dataDir}: ${(err as Error).message.split('\n')[0]}. Run as root, or leave the disk-fill fault out (--kinds).`);
      }
    }
    const server = new ChaosServer(dataDir, o.tmpfs, await freePort());
    try {
      await server.launch();
    } catch (err) {
      await server.close();
      throw err;
    }
    return server;
  }

  get url(): string {
    if (!this.process) throw new ChaosServerError('the lab server is not running');
    return this.process.url;
  }

  get pid(): number { return this.process?.pid ?? 0; }

  private async launch(): Promise<void> {
    this.process = await startLabServerProcess(this.dataDir, this.port, { disk: { floorMb: CHAOS_DISK_FLOOR_MB, intervalMs: DISK_INTERVAL_MS } });
  }

  /** kill -9, then a new server on the same data directory and port. Resolves once it serves. */
  async killAndRestart(): Promise<void> {
    await this.process?.kill();
    this.process = null;
    await this.launch();
    this.restarts++;
  }

  /** Stops the server (SIGTERM: it stops its VMs), unmounts and removes the data directory. */
  async close(): Promise<void> {
    await this.process?.stop().catch(() => undefined);
    this.process = null;
    if (this.onTmpfs) await run('umount', [this.dataDir]).catch(() => run('umount', ['-l', this.dataDir]).catch(() => undefined));
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
