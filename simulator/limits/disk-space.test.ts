import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpace, DEFAULT_FLOOR_BYTES, DiskSpaceWatch, MiB, statfsFreeBytes, type DiskSpaceState } from './disk-space';
import { DiskSpaceError } from './errors';

/** A sampler reading `free` (a number, or an error to throw) and a clock whose ticks the test fires. */
function rig(start: number) {
  const s = { free: start as number | Error, samples: 0 };
  const sample = async (): Promise<number> => {
    s.samples++;
    if (s.free instanceof Error) throw s.free;
    return s.free;
  };
  let tick: (() => void) | null = null;
  let periodMs = 0;
  const every = (ms: number, fn: () => void): (() => void) => { periodMs = ms; tick = fn; return () => { tick = null; }; };
  const fire = async (): Promise<void> => { tick?.(); await new Promise((r) => setImmediate(r)); };
  return { s, sample, every, fire, period: () => periodMs, ticking: () => tick !== null };
}

describe('DiskSpaceWatch', () => {
  it('takes its first sample at start, without an event, and samples on every tick', async () => {
    const r = rig(2_000 * MiB);
    const w = await DiskSpaceWatch.start('/var/lab', { sample: r.sample, every: r.every, intervalMs: 5_000 });
    const changes: DiskSpaceState[] = [];
    w.on('change', (c) => changes.push(c));
    expect(r.period()).toBe(5_000);
    expect([w.low, w.free(), w.floorBytes]).toEqual([false, 2_000 * MiB, DEFAULT_FLOOR_BYTES]);
    r.s.free = 1_000 * MiB;
    await r.fire();
    expect([r.s.samples, w.free(), w.low, changes.length]).toEqual([2, 1_000 * MiB, false, 0]);
  });

  it('says when free space crosses the floor down, and back up only past floor + hysteresis', async () => {
    const r = rig(200 * MiB);
    const w = await DiskSpaceWatch.start('/var/lab', { sample: r.sample, every: r.every, floorBytes: 100 * MiB, hysteresisBytes: 10 * MiB });
    const changes: DiskSpaceState[] = [];
    w.on('change', (c) => changes.push(c));

    r.s.free = 99 * MiB;
    await r.fire();
    expect(w.low).toBe(true);
    expect(changes).toEqual([{ dir: '/var/lab', freeBytes: 99 * MiB, floorBytes: 100 * MiB, low: true }]);
    expect(w.error()?.message).toMatch(/^\[disk-space\] free space 99 MiB on \/var\/lab is below the floor of 100 MiB\. .*XDG_STATE_HOME/);

    r.s.free = 105 * MiB; // above the floor, within the hysteresis: still low, no event
    await r.fire();
    expect([w.low, changes.length]).toEqual([true, 1]);

    r.s.free = 110 * MiB;
    await r.fire();
    expect(w.low).toBe(false);
    expect(w.error()).toBeNull();
    expect(changes.map((c) => c.low)).toEqual([true, false]);
  });

  it('starts low without an event when the first sample is below the floor', async () => {
    const r = rig(10 * MiB);
    const w = await DiskSpaceWatch.start('/var/lab', { sample: r.sample, every: r.every });
    expect(w.low).toBe(true);
    expect(w.error()).toBeInstanceOf(DiskSpaceError);
  });

  it('keeps the last state when a sample fails, and says so', async () => {
    const r = rig(50 * MiB);
    const w = await DiskSpaceWatch.start('/var/lab', { sample: r.sample, every: r.every, floorBytes: 100 * MiB });
    const failures: DiskSpaceError[] = [];
    w.on('sample-failed', (e) => failures.push(e));
    r.s.free = Object.assign(new Error('gone'), { code: 'ENOENT' });
    await r.fire();
    expect([w.low, w.free()]).toEqual([true, 50 * MiB]);
    expect(failures[0]).toMatchObject({ code: 'unreadable', dir: '/var/lab' });
    expect(failures[0]!.message).toBe('[disk-space] cannot read the free space of /var/lab (ENOENT); check that the directory exists.');
    await expect(w.check()).rejects.toBeInstanceOf(DiskSpaceError);
  });

  it('refuses to start on a directory it cannot read', async () => {
    const r = rig(0);
    r.s.free = Object.assign(new Error('gone'), { code: 'ENOENT' });
    await expect(DiskSpaceWatch.start('/nope', { sample: r.sample, every: r.every })).rejects.toMatchObject({ code: 'unreadable', dir: '/nope' });
  });

  it('joins a sample in flight instead of starting another, and stops ticking on stop()', async () => {
    const r = rig(1_000 * MiB);
    const w = await DiskSpaceWatch.start('/var/lab', { sample: r.sample, every: r.every });
    const [a, b] = [w.check(), w.check()];
    expect(a).toBe(b);
    await a;
    expect(r.s.samples).toBe(2);
    w.stop();
    expect(r.ticking()).toBe(false);
  });

  it('reads a real filesystem with statfs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edge-lab-unit-disk-space-'));
    try {
      const free = await statfsFreeBytes(dir);
      expect(free).toBeGreaterThan(0);
      const w = await DiskSpaceWatch.start(dir, { floorBytes: 1 });
      expect([w.low, w.free() > 0]).toEqual([false, true]);
      w.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('checkSpace', () => {
  const at = (free: number) => ({ sample: async () => free });

  it('passes when what is needed leaves the floor free', async () => {
    expect(await checkSpace('/var/lab', 100 * MiB, 512 * MiB, at(612 * MiB))).toEqual({ ok: true, freeBytes: 612 * MiB });
  });

  it('says what is wrong and how to fix it when the floor would be crossed', async () => {
    const r = await checkSpace('/root/.local/state/edge-lab', 300 * MiB, 512 * MiB, at(700 * MiB + 123));
    expect(r.ok).toBe(false);
    const e = (r as { error: DiskSpaceError }).error;
    expect(e).toBeInstanceOf(DiskSpaceError);
    expect([e.code, e.dir]).toEqual(['below-floor', '/root/.local/state/edge-lab']);
    expect(e.message).toBe(
      '[disk-space] free space 700 MiB on /root/.local/state/edge-lab is not enough: this needs 300 MiB and at least 512 MiB must stay free (the floor). ' +
      'Edge hosts pause when their disk cannot grow. Free space on that filesystem, or move the lab data directory to a larger one: ' +
      'start the lab with XDG_STATE_HOME set to a directory there (labs live in $XDG_STATE_HOME/edge-lab, by default ~/.local/state/edge-lab), e.g. `XDG_STATE_HOME=/srv/big npm start`.',
    );
  });

  it('without a need, names the floor alone; a caller may give its own fix', async () => {
    const r = await checkSpace('/cache', 0, undefined, { ...at(100 * MiB), fix: 'Set EDGE_LAB_CACHE to a larger filesystem.' });
    expect(!r.ok && r.error.message).toBe('[disk-space] free space 100 MiB on /cache is below the floor of 512 MiB. Edge hosts pause when their disk cannot grow. Set EDGE_LAB_CACHE to a larger filesystem.');
  });

  it('returns an unreadable filesystem as an error, never throws', async () => {
    const r = await checkSpace('/does/not/exist/edge-lab', 0);
    expect(!r.ok && r.error.code).toBe('unreadable');
    expect(!r.ok && r.error.message).toMatch(/^\[disk-space\] cannot read the free space of \/does\/not\/exist\/edge-lab \(ENOENT\)/);
  });
});
