import { performance } from 'node:perf_hooks';
import type { ConsoleEvent } from '../../simulator/pure/console-events';
import type { Metric } from '../context';
import { armed } from '../util';

/** A whole install from the Edge Installer stick, as a site technician would run it. */
export const install: Metric = {
  name: 'install_s',
  unit: 's',
  what: 'a blank host with a forged installer stick (`install: poweroff: true`) powered on → the host powers itself off after installing',
  target: [{ kind: 'max', value: 10 }],
  baseline: { of: 'seconds', factor: 1, label: 'floor' },
  notes: ['The stick is forged and each blank disk created before the clock starts; `complete_s` is when `install.complete` appeared on the console.'],
  async prepare(ctx) {
    ctx.log('forging the installer stick (untimed)');
    const stick = await ctx.lab.forge(ctx.lab.userData('', '  poweroff: true\n'), 'bench-installer.img');
    return {
      async sample() {
        const host = await ctx.blankHost();
        try {
          await host.insertUsb(stick);
          let completeAt = Number.NaN;
          const onEvent = (e: ConsoleEvent): void => { if (e.type === 'install.complete' && Number.isNaN(completeAt)) completeAt = performance.now(); };
          host.on('event', onEvent);
          const off = armed(host.waitForPower((p) => p.state === 'off', 120_000));
          const t0 = performance.now();
          await host.powerOn();
          const result = await off;
          const seconds = (performance.now() - t0) / 1000;
          host.off('event', onEvent);
          if (result.state !== 'off' || result.reason !== 'guest-poweroff') throw new Error(`[bench] the install did not end in a guest power-off: ${JSON.stringify(result)}`);
          if (Number.isNaN(completeAt)) throw new Error('[bench] the host powered off without `install.complete` on its console');
          return { value: seconds, extra: { complete_s: (completeAt - t0) / 1000 } };
        } finally {
          await ctx.discard(host);
        }
      },
    };
  },
};
