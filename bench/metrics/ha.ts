import { failover, loseQuorum, playHa, regainQuorum } from '../../simulator/scenarios/ha-drills';
import type { BenchContext, Metric, Sample } from '../context';
import { benchLabServer } from './lab-server';
import { runHeadlessSingleNode } from './scenario-single-node';

/** Runs of the HA drills per bench: each takes about four minutes of four real VMs. */
const RUNS = 2;

interface HaRun { haS: number; singleNodeS: number; vipMovedS: number; apiBackS: number; vipBackS: number; allReadyS: number }

/**
 * Each run: a fresh lab server; the single-node scenario headless (the baseline of
 * ha_scenario_s), then ha-three-cp headless to a verified Running cluster, then the drills of
 * ha-drills.ts on it. One set of runs serves the three metrics.
 */
function haRuns(ctx: BenchContext): Promise<HaRun[]> {
  return ctx.memo('ha-runs', async () => {
    const runs: HaRun[] = [];
    for (let i = 0; i < RUNS; i++) {
      ctx.log(`ha: run ${i + 1} of ${RUNS} (single-node, then ha-three-cp and its drills)`);
      const { server, close } = await benchLabServer({ maxRunningHosts: 8 });
      try {
        const single = await runHeadlessSingleNode(server);
        const lab = await playHa(server.url);
        try {
          const f = await failover(lab);
          await loseQuorum(lab, f.newHolder);
          const back = await regainQuorum(lab, [f.holder, f.newHolder]);
          runs.push({ haS: lab.playedS, singleNodeS: single.elapsedMs / 1000, vipMovedS: f.vipMovedS, apiBackS: f.apiBackS, vipBackS: back.vipS, allReadyS: back.allReadyS });
        } finally {
          lab.client.close();
        }
      } finally {
        await close();
      }
    }
    return runs;
  });
}

function metric(m: Omit<Metric, 'prepare' | 'maxIterations'>, value: (r: HaRun) => Sample): Metric {
  return {
    ...m,
    maxIterations: RUNS,
    async prepare(ctx) {
      return { sample: async (i) => value((await haRuns(ctx))[i]!) };
    },
  };
}

const NOTE = `${RUNS} runs per bench, each on a fresh lab server: single-node headless, then ha-three-cp headless (four hosts: three control planes with three etcd members, one worker) and its drills (simulator/scenarios/ha-drills.ts). kubectl through the VIP runs on the worker's console under TCG, so every kubectl figure includes starting kubectl there (about 2 s).`;

export const haScenario = metric({
  name: 'ha_scenario_s',
  unit: 's',
  what: '`ha-three-cp` headless on a fresh lab: profile → token → installer → four installs → registrations → cluster Running (three control planes, one worker) → `kubectl get nodes` checked',
  target: [{ kind: 'maxRatio', value: 2.5 }],
  baseline: { extra: 'single_node_s', label: 'single-node headless, same lab server' },
  notes: [NOTE],
}, (r) => ({ value: r.haS, extra: { single_node_s: r.singleNodeS } }));

export const vipFailover = metric({
  name: 'vip_failover_s',
  unit: 's',
  what: 'the VIP holder powered off (Pull the plug) → `kubectl --server http://<VIP>:6443 get nodes` on the worker answers with the nodes again',
  target: [{ kind: 'max', value: 5 }],
  baseline: null,
  notes: [NOTE, '`vip_moved_s` is the same power cut until another control plane reports it holds the VIP (its console event).'],
}, (r) => ({ value: r.apiBackS, extra: { vip_moved_s: r.vipMovedS } }));

export const quorumRecovery = metric({
  name: 'quorum_recovery_s',
  unit: 's',
  what: 'two of three control planes powered on again after the quorum was lost → every node Ready in `kubectl get nodes` through the VIP',
  target: [{ kind: 'max', value: 15 }],
  baseline: null,
  notes: [NOTE, 'The two hosts boot from their disks inside this time. `vip_back_s`: until a host holds the VIP again.'],
}, (r) => ({ value: r.allReadyS, extra: { vip_back_s: r.vipBackS } }));
