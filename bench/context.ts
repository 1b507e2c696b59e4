import { rm } from 'node:fs/promises';
import type { EdgeHost } from '../simulator/hosts/edge-host';
import { realHostIo } from '../simulator/hosts/host-io';
import type { VmLab } from '../simulator/testing/vm-lab';
import { QemuDriver } from '../simulator/vm/qemu/qemu-driver';
import type { VmLaunch } from '../simulator/vm/types';
import { bootFloor, floorLaunch, type FloorRun } from './floor';
import type { Check, Unit } from './stats';

/** One measurement; `extra` holds side facts reported beside the metric (same unit conventions, named). */
export interface Sample {
  value: number;
  extra?: Record<string, number>;
}

export interface Sampler {
  /** Takes sample `i` (0-based). Must leave no VM running when it returns or throws. */
  sample(i: number): Promise<Sample>;
  /** Releases what `prepare` made. */
  close?(): Promise<void>;
}

/** What a metric's ratio is taken against: a value of floor boots taken beside it, times `factor`. */
export interface FloorBaseline {
  of: keyof Pick<FloorRun, 'seconds' | 'rssMb'>;
  factor: number;
  /** How the table names it, e.g. `floor` or `10 × floor`. */
  label: string;
}

/**
 * A baseline the metric measures itself, beside each sample and in the same unit, and
 * returns as `Sample.extra[extra]` (e.g. the same page without a lab part, loaded
 * alternately with the page measured).
 */
export interface SampleBaseline {
  extra: string;
  /** How the table names it, e.g. `page without a lab part`. */
  label: string;
}

export function isFloorBaseline(b: Metric['baseline']): b is FloorBaseline {
  return typeof b === 'object' && b !== null && 'of' in b;
}

export interface Metric {
  name: string;
  unit: Unit;
  /** One line: what is measured, from when to when. */
  what: string;
  target: Check[];
  /**
   * Floor boots beside each sample; a baseline the metric measures itself; 'self': this
   * metric is the baseline; null: no meaningful baseline (said so in the report).
   */
  baseline: FloorBaseline | SampleBaseline | 'self' | null;
  /** Fixed notes the report prints for this metric. */
  notes?: string[];
  /** At most this many samples, for a metric whose one sample takes minutes (fewer are said in the report). */
  maxIterations?: number;
  /** Untimed setup shared by all samples (installs, checkpoints…). */
  prepare(ctx: BenchContext): Promise<Sampler>;
}

/**
 * What metrics share within one run: the lab (images, endpoint, hosts), the
 * installed disk, the floor launch and a memo for measurements two metrics
 * read from the same runs.
 */
export class BenchContext {
  private readonly driver = new QemuDriver();
  private floorTemplate: { launch: VmLaunch; ready: Promise<void> } | null = null;
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly scratch = new Set<string>();
  private readonly cleanups: Array<() => Promise<void>> = [];
  private closing: Promise<void> | null = null;

  constructor(readonly lab: VmLab, readonly log: (line: string) => void) {}

  /** Registers work for the end of the run (e.g. closing something several metrics share), run newest first. */
  atEnd(fn: () => Promise<void>): void {
    this.cleanups.push(fn);
  }

  /** Runs every atEnd cleanup once, all of them even when some fail; rejects with the failures. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const errors: string[] = [];
      for (let fn = this.cleanups.pop(); fn; fn = this.cleanups.pop()) {
        await fn().catch((err: unknown) => { errors.push(err instanceof Error ? err.message : String(err)); });
      }
      if (errors.length) throw new Error(errors.join('; '));
    })();
    return this.closing;
  }

  /** The disk of a host installed from the lab's standard user-data (made once, untimed). */
  installedDisk(): Promise<string> {
    return this.memo('installed-disk', async () => {
      this.log('installing the golden disk (untimed; once per run)');
      return this.lab.installedDisk(this.lab.userData());
    });
  }

  /** A new host with its own copy of the installed disk; give it back with `discard`. */
  async installedHost(): Promise<EdgeHost> {
    const disk = await this.installedDisk();
    const host = this.lab.host({ diskFrom: disk });
    this.scratch.add(host.spec.diskPath);
    return host;
  }

  /** A new host with a blank disk, created now so that powering on does not include it. */
  async blankHost(): Promise<EdgeHost> {
    const host = this.lab.host();
    this.scratch.add(host.spec.diskPath);
    await realHostIo.ensureDisk(host.spec.diskPath, host.spec.diskSizeMb);
    return host;
  }

  /** Cuts the host's power (reaped) and deletes its disk copy. */
  async discard(host: EdgeHost): Promise<void> {
    await host.powerOff();
    if (this.scratch.delete(host.spec.diskPath)) await rm(host.spec.diskPath, { force: true });
  }

  /** One floor boot with a host's exact launch but the floor initrd. */
  async floor(): Promise<FloorRun> {
    if (!this.floorTemplate) {
      // A host that is never powered on lends its spec (and its disk path) to the floor.
      const template = this.lab.host({ name: 'bench-floor' });
      const ready = realHostIo.ensureDisk(template.spec.diskPath, template.spec.diskSizeMb);
      this.floorTemplate = { launch: floorLaunch(template, this.lab.images.floorInitrd), ready };
    }
    await this.floorTemplate.ready;
    return bootFloor(this.driver, this.floorTemplate.launch);
  }

  /** Runs `make` once per key; later callers get the same promise. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memos.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.memos.set(key, p);
      p.catch(() => this.memos.delete(key)); // a failure is not cached
    }
    return p;
  }
}
