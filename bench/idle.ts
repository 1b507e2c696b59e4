import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context';
import { clockTicksPerSecond, cpuPercentOfOneCore, readComm, readCpuTicks, readPssMb, readRssMb } from './proc';
import { armed, sleep } from './util';

/** One full heartbeat period of the agent (30 s), so every window holds one beat. */
export const IDLE_WINDOW_S = 30;
/**
 * After registering, the host finishes its boot off the critical path
 * (persistent partition, late and USB drivers); idle starts when that is done.
 */
export const SETTLE_S = 5;

/** One idle window of one registered host: what its QEMU process cost. */
export interface IdleWindow {
  rssMb: number;
  pssMb: number;
  cpuPct: number;
  windowS: number;
}

/**
 * Window `i`: a fresh host from the installed disk boots and registers
 * (untimed), settles for SETTLE_S, then is left alone for IDLE_WINDOW_S while its QEMU's CPU time
 * is counted; RSS and PSS are read at the end. Memoised per `i`, so the RSS
 * and CPU metrics describe the same windows when both are run.
 */
export function idleWindow(ctx: BenchContext, i: number): Promise<IdleWindow> {
  return ctx.memo(`idle-window-${i}`, async () => {
    const host = await ctx.installedHost();
    try {
      const registered = armed(host.waitForEvent('agent.registered', 60_000));
      await host.powerOn();
      await registered;
      await sleep(SETTLE_S * 1000);
      const pid = host.pid;
      if (!pid) throw new Error('[bench] the idle host has no process id');
      const comm = await readComm(pid);
      if (!comm.startsWith('qemu')) throw new Error(`[bench] pid ${pid} of the idle host is \`${comm}\`, not QEMU`);
      const hz = await clockTicksPerSecond();
      const ticks0 = await readCpuTicks(pid);
      const t0 = performance.now();
      await sleep(IDLE_WINDOW_S * 1000);
      const ticks1 = await readCpuTicks(pid);
      const windowS = (performance.now() - t0) / 1000;
      const [rssMb, pssMb] = [await readRssMb(pid), await readPssMb(pid)];
      if (host.pid !== pid) throw new Error('[bench] the idle host restarted during its window');
      return { rssMb, pssMb, cpuPct: cpuPercentOfOneCore(ticks1 - ticks0, hz, windowS), windowS };
    } finally {
      await ctx.discard(host);
    }
  });
}
