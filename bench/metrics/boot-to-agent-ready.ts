import { performance } from 'node:perf_hooks';
import type { Metric } from '../context';
import { armed } from '../util';

/** An installed host's boot, power button to the agent saying it is up. */
export const bootToAgentReady: Metric = {
  name: 'boot_to_agent_ready_s',
  unit: 's',
  what: 'an installed host (fresh copy of the installed disk) powered on → `agent.ready` on its console',
  target: [{ kind: 'max', value: 2.5 }, { kind: 'maxRatio', value: 1.2 }],
  baseline: { of: 'seconds', factor: 1, label: 'floor' },
  async prepare(ctx) {
    await ctx.installedDisk();
    return {
      async sample() {
        const host = await ctx.installedHost();
        try {
          const ready = armed(host.waitForEvent('agent.ready', 60_000));
          const t0 = performance.now();
          await host.powerOn();
          await ready;
          return { value: (performance.now() - t0) / 1000 };
        } finally {
          await ctx.discard(host);
        }
      },
    };
  },
};
