import type { Metric } from '../context';
import { IDLE_WINDOW_S, SETTLE_S, idleWindow } from '../idle';

/** CPU one idle, registered host takes from the machine. */
export const idleHostCpu: Metric = {
  name: 'idle_host_cpu_pct',
  unit: '%',
  what: `one registered host left idle ${IDLE_WINDOW_S} s → its QEMU's utime+stime (/proc/<pid>/stat) over the window, as % of one core`,
  target: [{ kind: 'max', value: 2 }],
  baseline: null,
  notes: [
    `No baseline: the floor guest powers off at once, so there is no idle floor to compare with. The clock-tick resolution is 1/CLK_TCK s, about 0.03 % of one core over ${IDLE_WINDOW_S} s at the usual 100 Hz. The window starts ${SETTLE_S} s after the host prints \`agent.registered\` and spans one heartbeat period. When both idle metrics run, they read the same windows.`,
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
