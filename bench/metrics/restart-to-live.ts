import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, LabClient } from '../../simulator/scenarios/lab-client';
import { startLabServerProcess, type LabServerProcess } from '../../simulator/testing/lab-server-process';
import type { Metric } from '../context';

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

/**
 * A crash of the lab server, as a learner lives it: the server process is killed (-9) with a
 * host on, started again on the same data directory, and the page's client reconnects with its
 * last seq. Measured from the kill to the page's lab live again (its view showing the restart)
 * with its host powered on and running again; the same after a clean stop (SIGTERM) is the baseline.
 */
export const restartToLive: Metric = {
  name: 'restart_to_live_s',
  unit: 's',
  what: 'lab server process killed with SIGKILL while a lab\'s host runs → a new server process on the same data directory → the page\'s client reconnected with its last seq, the view naming the restart, POWER_ON sent and the host running again',
  target: [{ kind: 'max', value: 5 }],
  baseline: { extra: 'clean_restart_to_live_s', label: 'the same after a clean stop (SIGTERM)' },
  notes: [
    'Real lab server processes (node with tsx, SQLite, QEMU under TCG) on loopback; the server\'s start (opening the store, checking the guest images) is inside the window. `view_live_s` is the part up to the page\'s view showing the host off after the restart, before it is powered on again. The host boots from an empty disk, so "running again" is its VM started and reporting its boot, not an OS answering.',
  ],
  maxIterations: 3,
  async prepare() {
    const dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-bench-restart-'));
    const port = await freePort();
    let server: LabServerProcess | null = null;
    const once = async (how: 'kill' | 'stop'): Promise<{ live: number; whole: number }> => {
      server ??= await startLabServerProcess(dataDir, port);
      const lab = await createLab(server.url, 'single-node');
      const page = new LabClient(server.url, lab);
      await page.connect();
      await page.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
      await page.waitForView((v) => v.hosts['edge-host-1']?.tags.includes('on') === true, 30_000, 'the host to be on');
      const seq = page.seq;
      const t0 = performance.now();
      await (how === 'kill' ? server.kill() : server.stop());
      page.close();
      server = await startLabServerProcess(dataDir, port);
      const again = new LabClient(server.url, lab);
      again.seq = seq;
      await again.connect();
      await again.waitForView((v) => v.hosts['edge-host-1']?.state === 'poweredOff', 30_000, 'the host off after the restart');
      const live = (performance.now() - t0) / 1000;
      await again.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
      await again.waitForView((v) => v.hosts['edge-host-1']?.tags.includes('on') === true, 30_000, 'the host on again');
      const whole = (performance.now() - t0) / 1000;
      await again.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_OFF');
      await again.waitForView((v) => v.hosts['edge-host-1']?.state === 'poweredOff', 30_000, 'the host off');
      again.close();
      return { live, whole };
    };
    return {
      async sample() {
        const killed = await once('kill');
        const clean = await once('stop');
        return { value: killed.whole, extra: { clean_restart_to_live_s: clean.whole, view_live_s: killed.live } };
      },
      async close() {
        await (server as LabServerProcess | null)?.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};
