import type { Metric } from '../context';
import { IDLE_WINDOW_S, idleWindow } from '../idle';

/** CPU one idle, registered host takes from the machine. */
export const idleHostCpu: Metric = {
  name: 'idle_host_cpu_pct',
  unit: '%',
  what: `one registered host left idle ${IDLE_WINDOW_S} s → its QEMU's utime+stime (/proc/<pid>/stat) over the window, as % of one core`,
  target: [{ kind: 'max', value: 2 }],
  baseline: null,
  notes: [
    'No baseline: the floor guest powers off at once, so there is no idle floor to compare with. The clock-tick resolution is 1/CLK_TCK s, 0.1 % of one core over 10 s at the usual 100 Hz. The window starts as soon as the host prints `agent.registered` (heartbeats included). When both idle metrics run, they read the same windows.',
  ],
  async prepare(ctx) {
    await ctx.installedDisk();
    return {
      async sample(i) {
        const w = await idleWindow(ctx, i);
        return { value: w.cpuPct, extra: { window_s: w.windowS } };
      },
    };
  },
};
