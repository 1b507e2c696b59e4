import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLabServer, type LabServer } from '../../simulator/server/lab-server';
import { createTestNetns, type TestNetns } from '../../simulator/testing/netns';
import type { Metric } from '../context';
import type { LearnerResult } from '../room-learners';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const LEARNERS = 30;
const SPREAD_MS = 10_000;
/** The phase every lab of the class starts at: its host running and registered, ready for commands. */
const START = 'clusterProvisioning';

/**
 * A room's class starting at once: LEARNERS learners on another computer (a network namespace of
 * the run's own) join within SPREAD_MS, each gets a lab whose host runs, and types on its console.
 */
export const room30Joins: Metric = {
  name: 'room_30_joins_s',
  unit: 's',
  what: `${LEARNERS} learners (HTTP and WebSocket clients in another network namespace) join a room's class within ${SPREAD_MS / 1000} s, the class's labs starting at ${START} (host running) and kept warm from the checkpoints: from the first join until every learner's lab is live and its host has answered a command on its console`,
  target: [{ kind: 'max', value: 15 }],
  baseline: null,
  maxIterations: 1,
  notes: [
    'Real hosts: each lab\'s QEMU guest is resumed from the checkpoint\'s memory when the warm lab is made (untimed, before the joins). `room_warm_labs` is how many learners got a warm lab, `room_made_on_demand` how many labs were made on joining; `room_live_max_s` when the last lab was live; `room_wait_max_s` the longest one learner waited from their join to their host\'s answer; `room_failed` learners who got no answer.',
  ],
  async prepare(ctx) {
    const made = await createTestNetns();
    if (!made.ok) throw new Error(`[bench] room_30_joins_s needs a network namespace of its own: ${made.reason}`);
    const netns: TestNetns = made.netns;
    const dir = await mkdtemp(join(tmpdir(), 'edge-lab-bench-room-'));
    let server: LabServer | undefined;
    try {
      await writeFile(join(dir, 'index.html'), '<!doctype html><title>Edge Lab</title>');
      const port = await freePort(netns.hostAddress);
      const publicUrl = `http://${netns.hostAddress}:${port}`;
      server = await startLabServer({ host: netns.hostAddress, port, dataDir: join(dir, 'data'), room: { publicUrl, siteDir: dir }, maxWarmHosts: LEARNERS });
      const s = server;
      return {
        async sample() {
          const k = await s.classes.create({ scenario: 'single-node', name: 'bench room', warm: LEARNERS, startPhase: START });
          ctx.log(`room: making ${LEARNERS} warm labs at ${START} (untimed)`);
          const deadline = Date.now() + 15 * 60_000;
          while ((await s.classes.labIds(k.classId, { warm: true })).length < LEARNERS) {
            if (Date.now() > deadline) throw new Error('[bench] the warm labs were not all made within 15 minutes');
            await new Promise((r) => setTimeout(r, 1000));
          }
          const args = { apiUrl: `${publicUrl}/api`, origin: publicUrl, classId: k.classId, code: k.joinCode, count: LEARNERS, spreadMs: SPREAD_MS, host: 'edge-host-1' };
          const { stdout } = await run('ip', ['netns', 'exec', netns.name, join(REPO, 'node_modules', '.bin', 'tsx'), join(REPO, 'bench', 'room-learners.ts'), JSON.stringify(args)], { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 });
          const results = JSON.parse(stdout.trim().split('\n').at(-1)!) as LearnerResult[];
          const failed = results.filter((r) => r.error);
          for (const f of failed.slice(0, 3)) ctx.log(`room: learner ${f.i} failed: ${f.error}`);
          const answered = results.filter((r) => r.answeredMs !== undefined).map((r) => r.answeredMs!);
          const live = results.filter((r) => r.liveMs !== undefined).map((r) => r.liveMs!);
          const fromWarm = results.filter((r) => r.warm === true).length;
          ctx.log(`room: ${answered.length} of ${LEARNERS} hosts answered, ${fromWarm} learners got a warm lab`);
          const labIds = await s.classes.labIds(k.classId);
          await s.classes.close(k.classId);
          for (const id of labIds) await s.labs.delete(id);
          if (answered.length === 0) throw new Error(`[bench] no learner's host answered: ${failed[0]?.error ?? 'no result'}`);
          return {
            value: Math.max(...answered) / 1000,
            extra: { room_warm_labs: fromWarm, room_made_on_demand: results.filter((r) => r.warm === false).length, room_live_max_s: Math.max(...live) / 1000, room_wait_max_s: Math.max(...results.filter((r) => r.answeredMs !== undefined).map((r) => r.answeredMs! - (r.startedMs ?? 0))) / 1000, room_failed: failed.length },
          };
        },
        async close() {
          await s.close();
          await netns.remove();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      await server?.close().catch(() => {});
      await netns.remove();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  },
};

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
