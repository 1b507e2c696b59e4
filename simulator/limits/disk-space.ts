// Free space on the filesystem that holds the labs' disks. A host's qcow2 disk grows as its guest
// writes; on a full filesystem QEMU pauses the VM (werror=enospc, ../vm/qemu/args.ts) and the host
// reports it (EdgeHost 'io'). This module lets the lab see it coming: DiskSpaceWatch samples the
// free space and says when it falls below a floor and when it is back; checkSpace refuses an
// operation that would leave less than the floor, with a message saying how to fix it.
//
// Free space is what statfs calls available (f_bavail × f_bsize): without the blocks ext4 keeps
// for root. QEMU, running as root, could still use those, so the figure errs on the safe side.
import { EventEmitter } from 'node:events';
import { statfs } from 'node:fs/promises';
import { DiskSpaceError } from './errors';

export const MiB = 1024 * 1024;
/** Below this much free space the lab is "low": hosts installing or provisioning may soon pause. */
export const DEFAULT_FLOOR_BYTES = 512 * MiB;
export const DEFAULT_INTERVAL_MS = 10_000;

/** How to fix low space where the labs live (lab-server.ts defaultDataDir: $XDG_STATE_HOME/edge-lab). */
export const DATA_DIR_FIX =
  'Free space on that filesystem, or move the lab data directory to a larger one: start the lab with ' +
  'XDG_STATE_HOME set to a directory there (labs live in $XDG_STATE_HOME/edge-lab, by default ~/.local/state/edge-lab), ' +
  'e.g. `XDG_STATE_HOME=/srv/big npm start`.';

/** Free bytes on the filesystem of `dir`. Rejects if it cannot be read (e.g. `dir` is missing). */
export type FreeBytesSampler = (dir: string) => Promise<number>;

export const statfsFreeBytes: FreeBytesSampler = async (dir) => {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
};

const mib = (bytes: number): string => `${Math.floor(bytes / MiB)} MiB`;

/**
 * The error for `freeBytes` on `dir`'s filesystem when `neededBytes` more would leave less than
 * `floorBytes`: what is wrong, then `fix` (how to fix it).
 */
export function lowSpaceError(dir: string, freeBytes: number, floorBytes: number, neededBytes = 0, fix = DATA_DIR_FIX): DiskSpaceError {
  const what = neededBytes > 0
    ? `free space ${mib(freeBytes)} on ${dir} is not enough: this needs ${mib(neededBytes)} and at least ${mib(floorBytes)} must stay free (the floor)`
    : `free space ${mib(freeBytes)} on ${dir} is below the floor of ${mib(floorBytes)}`;
  return new DiskSpaceError('below-floor', dir, `${what}. Edge hosts pause when their disk cannot grow. ${fix}`);
}

export type SpaceCheck = { ok: true; freeBytes: number } | { ok: false; error: DiskSpaceError };

/**
 * Whether `neededBytes` can be written under `dir` and still leave `floorBytes` free on its
 * filesystem. Never throws: an unreadable filesystem is an error result too.
 */
export async function checkSpace(
  dir: string,
  neededBytes: number,
  floorBytes = DEFAULT_FLOOR_BYTES,
  opts: { sample?: FreeBytesSampler; fix?: string } = {},
): Promise<SpaceCheck> {
  let freeBytes: number;
  try {
    freeBytes = await (opts.sample ?? statfsFreeBytes)(dir);
  } catch (err) {
    return { ok: false, error: unreadable(dir, err) };
  }
  if (freeBytes - neededBytes < floorBytes) return { ok: false, error: lowSpaceError(dir, freeBytes, floorBytes, neededBytes, opts.fix) };
  return { ok: true, freeBytes };
}

function unreadable(dir: string, err: unknown): DiskSpaceError {
  const why = (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
  return new DiskSpaceError('unreadable', dir, `cannot read the free space of ${dir} (${why}); check that the directory exists.`, { cause: err });
}

export interface DiskSpaceWatchOptions {
  /** Low below this many free bytes. Default DEFAULT_FLOOR_BYTES (512 MiB). */
  floorBytes?: number;
  /** Low ends only at floor + this, so space hovering at the floor does not flap. Default floor / 16. */
  hysteresisBytes?: number;
  /** Sampling period. Default 10 s. */
  intervalMs?: number;
  sample?: FreeBytesSampler;
  /** Calls `tick` every `ms` until the returned function is called. Default: an unref'd setInterval. */
  every?: (ms: number, tick: () => void) => () => void;
  /** How to fix low space, for `error()`. Default DATA_DIR_FIX. */
  fix?: string;
}

/** One sample's verdict. */
export interface DiskSpaceState {
  dir: string;
  freeBytes: number;
  floorBytes: number;
  low: boolean;
}

interface DiskSpaceEvents {
  /** `low` flipped: free space fell below the floor, or rose back to floor + hysteresis. */
  change: [DiskSpaceState];
  /** A sample failed; the last state stands until a sample succeeds. */
  'sample-failed': [DiskSpaceError];
}

const defaultEvery = (ms: number, tick: () => void): (() => void) => {
  const t = setInterval(tick, ms);
  t.unref(); // a watch never keeps the process alive
  return () => clearInterval(t);
};

/**
 * Samples the free space of `dir`'s filesystem every interval. `start` takes the first sample
 * (rejecting with a DiskSpaceError 'unreadable' if it fails) and sets `low` from it without an
 * event; 'change' then fires on each crossing. Samples never overlap. `stop()` ends sampling.
 */
export class DiskSpaceWatch extends EventEmitter<DiskSpaceEvents> {
  readonly floorBytes: number;
  readonly hysteresisBytes: number;
  private freeBytes: number;
  private isLow: boolean;
  private inFlight: Promise<DiskSpaceState> | null = null;
  private cancel: (() => void) | null = null;

  private constructor(readonly dir: string, private readonly opts: DiskSpaceWatchOptions, first: number) {
    super();
    this.floorBytes = opts.floorBytes ?? DEFAULT_FLOOR_BYTES;
    this.hysteresisBytes = opts.hysteresisBytes ?? Math.floor(this.floorBytes / 16);
    this.freeBytes = first;
    this.isLow = first < this.floorBytes;
  }

  static async start(dir: string, opts: DiskSpaceWatchOptions = {}): Promise<DiskSpaceWatch> {
    const sample = opts.sample ?? statfsFreeBytes;
    let first: number;
    try {
      first = await sample(dir);
    } catch (err) {
      throw unreadable(dir, err);
    }
    const watch = new DiskSpaceWatch(dir, opts, first);
    watch.cancel = (opts.every ?? defaultEvery)(opts.intervalMs ?? DEFAULT_INTERVAL_MS, () => { void watch.check().catch(() => {}); });
    return watch;
  }

  /** Free space is below the floor (and has not yet risen back to floor + hysteresis). */
  get low(): boolean { return this.isLow; }

  /** Free bytes at the last successful sample. */
  free(): number { return this.freeBytes; }

  get state(): DiskSpaceState {
    return { dir: this.dir, freeBytes: this.freeBytes, floorBytes: this.floorBytes, low: this.isLow };
  }

  /** What is wrong and how to fix it, while low; null otherwise. */
  error(): DiskSpaceError | null {
    return this.isLow ? lowSpaceError(this.dir, this.freeBytes, this.floorBytes, 0, this.opts.fix) : null;
  }

  /** Samples now (joining a sample in flight); rejects with the DiskSpaceError also emitted as 'sample-failed'. */
  check(): Promise<DiskSpaceState> {
    this.inFlight ??= this.sampleOnce().finally(() => { this.inFlight = null; });
    return this.inFlight;
  }

  stop(): void {
    this.cancel?.();
    this.cancel = null;
  }

  private async sampleOnce(): Promise<DiskSpaceState> {
    let free: number;
    try {
      free = await (this.opts.sample ?? statfsFreeBytes)(this.dir);
    } catch (err) {
      const e = unreadable(this.dir, err);
      this.emit('sample-failed', e);
      throw e;
    }
    this.freeBytes = free;
    const low = this.isLow ? free < this.floorBytes + this.hysteresisBytes : free < this.floorBytes;
    if (low !== this.isLow) {
      this.isLow = low;
      this.emit('change', this.state);
    }
    return this.state;
  }
}
