import { freemem } from 'node:os';
import { singleNode } from '../../simulator/pure/scenarios/single-node';
import { createLab, LabClient } from '../../simulator/scenarios/lab-client';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

const STEP = 10;
/** The most labs tried: about 16 GB of guests and QEMU, leaving the rest of this machine's 24 GiB. */
const MOST = 70;
const ANSWER_MS = 1000;
const SETTLE_MS = 15_000;

/**
 * How many single-host labs this machine holds at once, each with its host
 * running idle (installed, registered, waiting for a cluster) and still
 * answering on its console within a second.
 */
export const labsPerMachine: Metric = {
  name: 'labs_per_machine',
  unit: 'labs',
  what: `single-node labs opened ${STEP} at a time, each jumped to the start of Cluster Provisioning (its host running, registered, idle); after ${SETTLE_MS / 1000} s of quiet every lab's host gets \`echo\` typed on its console in turn: the most labs at which every one answered within ${ANSWER_MS} ms`,
  target: [{ kind: 'min', value: 50 }],
  baseline: null,
  maxIterations: 1,
  notes: [
    `One sample (it takes minutes). The labs come from the scenario's checkpoint (made untimed first), so their hosts are what a learner's would be at that point, without ${MOST} installs. The run stops adding labs at the first round where a host answered late or not at all, or at ${MOST} labs (memory: a host is a 192 MB guest plus QEMU).`,
    '`slowest_answer_ms` is the slowest console answer of the last round that passed; `free_memory_mb` the machine\'s free memory then.',
  ],
  async prepare(ctx) {
    const { server, close } = await benchLabServer({ maxRunningHosts: MOST + 5 });
    ctx.log('labs per machine: making the single-node checkpoints (untimed)');
    await server.checkpoints.build(singleNode);
    return {
      async sample() {
        const labs: { labId: string; client: LabClient }[] = [];
        let held = 0;
        let slowest = 0;
        let free = 0;
        try {
          for (let n = STEP; n <= MOST; n += STEP) {
            while (labs.length < n) {
              const opened = await createLab(server.url, 'single-node');
              await server.checkpoints.jump(opened.labId, 'clusterProvisioning');
              const client = new LabClient(server.url, opened);
              await client.connect();
              labs.push({ labId: opened.labId, client });
            }
            await new Promise((r) => setTimeout(r, SETTLE_MS));
            let worst = 0;
            let failed = '';
            for (const [i, l] of labs.entries()) {
              const t0 = performance.now();
              const out = await l.client.run('edge-host-1', `echo answer-$((${i}+1))`, 10_000).catch((err: unknown) => `failed: ${String(err)}`);
              const ms = performance.now() - t0;
              worst = Math.max(worst, ms);
              if (!out.includes(`answer-${i + 1}`) || ms > ANSWER_MS) { failed = `lab ${i + 1} answered in ${ms.toFixed(0)} ms${out.startsWith('failed') ? ` (${out.slice(0, 200)})` : ''}`; break; }
            }
            ctx.log(`labs per machine: ${n} labs, slowest answer ${worst.toFixed(0)} ms${failed ? `; stop: ${failed}` : ''}`);
            if (failed) break;
            held = n;
            slowest = worst;
            free = freemem() / 1024 / 1024;
          }
        } finally {
          for (const l of labs) l.client.close();
          for (const l of labs) await server.labs.delete(l.labId).catch(() => {});
        }
        return { value: held, extra: { slowest_answer_ms: slowest, free_memory_mb: free } };
      },
      close,
    };
  },
};
