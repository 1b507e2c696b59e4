import { performance } from 'node:perf_hooks';
import type { EdgeHost } from '../../simulator/hosts/edge-host';
import type { Metric } from '../context';
import { median } from '../stats';
import { armed } from '../util';
import { cpus } from 'node:os';

export const CONCURRENT_HOSTS = 10;

/** A site's worth of hosts booting at once on this machine. */
export const boot10Concurrent: Metric = {
  name: 'boot_10_concurrent_s',
  unit: 's',
  what: `${CONCURRENT_HOSTS} installed hosts powered on together → every one of them has printed \`agent.ready\` (wall time)`,
  target: [{ kind: 'max', value: 15 }],
  baseline: { of: 'seconds', factor: CONCURRENT_HOSTS, label: `${CONCURRENT_HOSTS} × floor` },
  notes: [
    `This machine has ${cpus().length} core(s) for ${CONCURRENT_HOSTS} TCG guests of one vCPU each, so the boots queue for CPU and this number is bound by the cores, not by the guests. The baseline is ${CONCURRENT_HOSTS} floor boots one after another: a ratio near or under 1× means booting ten hosts at once costs no more than ten bare kernels booted in turn. The disk copies are made before the clock starts; \`first_ready_s\` and \`median_host_ready_s\` are per-host times within the run.`,
  ],
  async prepare(ctx) {
    await ctx.installedDisk();
    return {
      async sample() {
        const hosts: EdgeHost[] = [];
        try {
          for (let k = 0; k < CONCURRENT_HOSTS; k++) hosts.push(await ctx.installedHost());
          const readyAt: number[] = [];
          const isReady = new Set<EdgeHost>();
          const ready = hosts.map((h) => armed(h.waitForEvent('agent.ready', 180_000).then(() => { readyAt.push(performance.now()); isReady.add(h); })));
          const t0 = performance.now();
          await Promise.all(hosts.map((h) => h.powerOn()));
          await Promise.all(ready).catch((err: unknown) => {
            // Say where each stuck host stopped: its console's last lines.
            const stuck = hosts.filter((h) => !isReady.has(h)).map((h) => `${h.spec.name} (${h.power}): …${h.console.text().slice(-400).replace(/\s+/g, ' ')}`);
            throw new Error(`${String(err instanceof Error ? err.message : err)}; not ready: ${stuck.join(' | ')}`);
          });
          const wall = (performance.now() - t0) / 1000;
          const sorted = readyAt.map((t) => (t - t0) / 1000).sort((a, b) => a - b);
          return { value: wall, extra: { first_ready_s: sorted[0]!, median_host_ready_s: median(sorted) } };
        } finally {
          await Promise.all(hosts.map((h) => ctx.discard(h)));
        }
      },
    };
  },
};
