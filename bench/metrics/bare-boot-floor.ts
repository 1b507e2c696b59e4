import type { Metric } from '../context';

/** The baseline: the least a boot of this kernel on this machine can cost. */
export const bareBootFloor: Metric = {
  name: 'bare_boot_floor_s',
  unit: 's',
  what: 'QEMU spawn → `EDGE-EVENT floor.ready` from the floor initrd (same kernel, kernel command line, q35 machine and devices as a host: disk, NIC restrict=on, xhci, balloon)',
  target: [],
  baseline: 'self',
  notes: [
    'The baseline of the other timings: what the kernel and QEMU cost before any Edge Lab code runs. `guest_uptime_s` is the guest\'s own /proc/uptime at the line, so the rest is QEMU start-up and firmware.',
  ],
  async prepare(ctx) {
    return {
      async sample() {
        const run = await ctx.floor();
        return { value: run.seconds, extra: { guest_uptime_s: run.guestUptimeS, ...(Number.isFinite(run.rssMb) ? { rss_at_ready_mb: run.rssMb } : {}) } };
      },
    };
  },
};
