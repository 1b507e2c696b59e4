import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { restoreCheckpoint, saveCheckpoint } from '../../simulator/hosts/checkpoint';
import { realHostIo } from '../../simulator/hosts/host-io';
import type { Metric } from '../context';
import { armed } from '../util';

/**
 * `VmLab.run` types `…; echo "@@$((n+0))@@"` and waits for the shell to print
 * `@@n@@`. The console echoes the typed line first, which tells us n.
 */
const TYPED = /@@\$\(\((\d+)\+0\)\)@@/;

/** Time of the command's answer on the console, read from the bytes as they arrive. */
function answerWatcher(): { onConsole: (bytes: Uint8Array) => void; at: () => number } {
  let seen = '';
  let marker: string | null = null;
  let at = Number.NaN;
  return {
    onConsole(bytes) {
      if (!Number.isNaN(at)) return;
      seen += Buffer.from(bytes).toString('latin1');
      if (!marker) {
        const m = TYPED.exec(seen);
        if (!m) { seen = seen.slice(-256); return; }
        marker = `@@${m[1]}@@`;
        seen = seen.slice(m.index + m[0].length);
      }
      if (seen.includes(marker)) at = performance.now();
      else seen = seen.slice(-marker.length);
    },
    at: () => at,
  };
}

/** Putting a registered host back from a checkpoint, until it is usable again. */
export const checkpointRestore: Metric = {
  name: 'checkpoint_restore_s',
  unit: 's',
  what: 'restoreCheckpoint of a registered host (powered off) → the host answers `echo ok` typed on its console (`lab.run`)',
  target: [{ kind: 'max', value: 0.3 }],
  baseline: { of: 'seconds', factor: 1, label: 'floor' },
  notes: [
    'The clock stops when the answer\'s end marker arrives on the console (a console listener), not when `lab.run` returns: `lab.run` polls every 50 ms, which would add up to 50 ms. `restore_s` is when restoreCheckpoint resolved (disk copied, memory loaded, VM running).',
  ],
  async prepare(ctx) {
    const host = await ctx.installedHost();
    const dir = join(ctx.lab.dir, 'bench-checkpoint');
    try {
      ctx.log('booting a host to registration and saving its checkpoint (untimed)');
      const registered = armed(host.waitForEvent('agent.registered', 60_000));
      await host.powerOn();
      await registered;
      await ctx.lab.run(host, 'echo ok', /ok/);
      await saveCheckpoint(host, dir, realHostIo);
      await host.powerOff();
    } catch (err) {
      await ctx.discard(host);
      throw err;
    }
    return {
      async sample() {
        await host.powerOff(); // off before the clock starts, so a previous power-off is not timed
        const watcher = answerWatcher();
        const onConsole = watcher.onConsole;
        try {
          const t0 = performance.now();
          await restoreCheckpoint(host, dir, realHostIo);
          const restoredAt = performance.now();
          host.on('console', onConsole);
          await ctx.lab.run(host, 'echo ok', /ok/);
          const answeredAt = watcher.at();
          if (Number.isNaN(answeredAt)) throw new Error('[bench] lab.run returned but the console listener saw no end marker');
          return { value: (answeredAt - t0) / 1000, extra: { restore_s: (restoredAt - t0) / 1000 } };
        } finally {
          host.off('console', onConsole);
          await host.powerOff();
        }
      },
      async close() {
        await ctx.discard(host);
      },
    };
  },
};
