import type { Metric } from '../context';
import { IDLE_WINDOW_S, idleWindow } from '../idle';

/** Memory one idle, registered host holds on the machine. */
export const idleHostRss: Metric = {
  name: 'idle_host_rss_mb',
  unit: 'MB',
  what: `one registered host left idle ${IDLE_WINDOW_S} s → its QEMU's VmRSS (/proc/<pid>/status) at the end`,
  target: [{ kind: 'max', value: 150 }],
  baseline: { of: 'rssMb', factor: 1, label: 'floor RSS' },
  notes: [
    'MB here means MiB. Baseline: the floor QEMU\'s VmRSS at the instant it printed `floor.ready` (same machine and devices, a kernel that just booted), a lower bound for a running guest. `pss_mb` (/proc/<pid>/smaps_rollup Pss) splits pages shared with other processes, such as the QEMU binary and libraries, so it is nearer to what each additional host costs. The window starts as soon as the host prints `agent.registered`.',
  ],
  async prepare(ctx) {
    await ctx.installedDisk();
    return {
      async sample(i) {
        const w = await idleWindow(ctx, i);
        return { value: w.rssMb, extra: { pss_mb: w.pssMb } };
      },
    };
  },
};
