import { execFile } from 'node:child_process';
import { mkdir, open, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VmLab } from '../testing/vm-lab';
import type { EdgeHost, HostIoChange } from './edge-host';

// A real VM whose disk sits on a tiny filesystem that fills up (issue 13). The disk is a qcow2
// overlay on a 16 MiB tmpfs mounted for this test (we run as root), backed by an installed disk
// outside it, so only what the guest writes from now on needs room; a filler file takes half of
// it. The tmpfs lives inside the lab's directory and is unmounted in afterAll, whatever happened.
const run = promisify(execFile);
const MiB = 1024 * 1024;

let lab: VmLab;
let tiny: string | null = null;

beforeAll(async () => {
  lab = await VmLab.create();
  const installed = await lab.installedDisk(lab.userData());
  tiny = join(lab.dir, 'tiny');
  await mkdir(tiny);
  await run('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'edge-lab-test-tiny', tiny]);
  await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', installed, '-F', 'qcow2', join(tiny, 'disk.qcow2')]);
  await writeFiller(join(tiny, 'filler'), 8 * MiB);
  // lab.host() puts a host's disk at <lab dir>/<name>.qcow2: point that at the overlay.
  await symlink(join(tiny, 'disk.qcow2'), join(lab.dir, 'full.qcow2'));
}, 180_000);

afterAll(async () => {
  // QEMU must be gone before the tmpfs can be unmounted; then dispose removes the lab directory.
  await Promise.all(lab?.hosts.map((h) => h.powerOff().catch(() => {})) ?? []);
  if (tiny) await unmount(tiny);
  await lab?.dispose();
});

describe('a host whose disk fills up', () => {
  it('pauses on ENOSPC, says so, resumes once space is freed, and powers off while paused', async () => {
    const host = lab.host({ name: 'full' });
    await host.powerOn();
    await host.waitForEvent('agent.ready', 60_000);

    // The guest writes 12 MiB to its persistent partition; 8 MiB are free: QEMU pauses it.
    const paused = nextIo(host, 'paused', 60_000);
    const wrote = lab.run(host, `${waitForPersistent()}; dd if=/dev/zero of=/usr/local/fill bs=64k count=192 conv=fsync 2>&1; echo WROTE-$?`, /WROTE-0/, 90_000);
    wrote.catch(() => {}); // awaited below; a failure before then must not go unhandled
    expect(await paused).toMatchObject({ state: 'paused', device: 'disk', operation: 'write', nospace: true });
    expect(host.ioPaused?.nospace).toBe(true);
    expect((await host.current()!.proc.execute<{ status: string }>('query-status')).status).toBe('io-error');
    expect(host.power).toBe('on');

    // Freeing space alone does nothing (QEMU never retries on its own); resume() does.
    await rm(join(tiny!, 'filler'));
    const resumed = nextIo(host, 'resumed', 10_000);
    await host.resume();
    expect(await resumed).toEqual({ state: 'resumed' });
    expect(await wrote).toContain('WROTE-0'); // the write that failed was retried: nothing lost
    expect(await lab.run(host, 'echo ALIVE-$((40+2))', /ALIVE-42/)).toContain('ALIVE-42');
    expect(host.ioPaused).toBeNull();

    // Full again, then powered off while paused: the stepped shutdown skips the button nobody
    // can press and ends by signal in bounded time.
    await writeFiller(join(tiny!, 'filler-2'), Infinity);
    const pausedAgain = nextIo(host, 'paused', 60_000);
    host.writeConsole('dd if=/dev/zero of=/usr/local/fill-2 bs=64k count=64 conv=fsync\n');
    await pausedAgain;
    const t0 = performance.now();
    expect(['sigterm', 'sigkill']).toContain(await host.shutdown(10_000));
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(host.power).toBe('off');
    expect(host.ioPaused).toBeNull();
  });
});

/** Resolves with the next 'io' change of `state`. */
function nextIo(host: EdgeHost, state: HostIoChange['state'], timeoutMs: number): Promise<HostIoChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { host.off('io', on); reject(new Error(`[test] no io ${state} within ${timeoutMs} ms`)); }, timeoutMs);
    const on = (c: HostIoChange): void => { if (c.state === state) { clearTimeout(timer); host.off('io', on); resolve(c); } };
    host.on('io', on);
  });
}

/** Shell: wait until the OS has mounted its persistent partition (it does so after the agent starts). */
function waitForPersistent(): string {
  return 'for i in $(seq 100); do grep -q " /usr/local " /proc/mounts && break; usleep 100000; done';
}

/** Writes `bytes` of zeros to `path`, or as many as fit when Infinity (stopping at ENOSPC). */
async function writeFiller(path: string, bytes: number): Promise<void> {
  const fh = await open(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let left = bytes; left > 0; left -= chunk.length) {
      try {
        await fh.write(chunk, 0, Math.min(chunk.length, left));
      } catch (err) {
        if (bytes === Infinity && (err as NodeJS.ErrnoException).code === 'ENOSPC') return;
        throw err;
      }
    }
  } finally {
    await fh.close();
  }
}

/** Unmounts, retrying while busy; as a last resort detaches it (lazy) so nothing stays mounted. */
async function unmount(dir: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      await run('umount', [dir]);
      return;
    } catch (err) {
      if (/not mounted/.test(String((err as { stderr?: string }).stderr))) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await run('umount', ['-l', dir]);
}
