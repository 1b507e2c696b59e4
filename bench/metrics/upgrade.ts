import { playHa } from '../../simulator/scenarios/ha-drills';
import { GOOD_VERSION, leaderlessSpells, quorumLost, rollingUpgrade, sampleLetters, saveVersion, seeingLeaderIn, unanswered } from '../../simulator/scenarios/upgrade-drills';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

/** Runs per bench: each is ha-three-cp to Running (about two minutes of four VMs), then the roll. */
const RUNS = 2;

/**
 * Each run: a fresh lab server, ha-three-cp headless to a verified Running cluster, a new profile
 * version (Kubernetes 1.33.1) saved, and the update applied (simulator/scenarios/upgrade-drills.ts).
 * The sample is the time from the update request until the third control plane reported it runs
 * the new version; a run in which the worker saw the etcd quorum lost (fewer than two members naming a
 * leader, and one answering with none) fails.
 */
export const rollingUpgradeS: Metric = {
  name: 'rolling_upgrade_s',
  unit: 's',
  what: '`ha-three-cp` Running → update to a newer profile version → the three control planes repaved one at a time (new image on the passive partition, reboot, node Ready with etcd healthy), with the etcd quorum kept throughout',
  target: [{ kind: 'max', value: 90 }],
  baseline: null,
  maxIterations: RUNS,
  notes: [
    `${RUNS} runs per bench, each on a fresh lab server. The worker asks each etcd member once a second during the roll whether it sees a leader; a sample with the quorum lost (fewer than two do, and one answered that it has none) fails the run. \`all_hosts_s\`: until the worker is repaved too and the cluster is Running on the new version.`,
  ],
  async prepare(ctx) {
    return {
      async sample(i) {
        ctx.log(`rolling_upgrade: run ${i + 1} of ${RUNS} (ha-three-cp, then the roll)`);
        const { server, close } = await benchLabServer({ maxRunningHosts: 8 });
        try {
          const lab = await playHa(server.url);
          try {
            await saveVersion(lab, GOOD_VERSION);
            const roll = await rollingUpgrade(lab, GOOD_VERSION.version);
            if (roll.upgrade.state !== 'done') throw new Error(`[bench] the roll ended ${roll.upgrade.state}: ${JSON.stringify(roll.upgrade)}`);
            if (quorumLost(roll.samples).length > 0) throw new Error(`[bench] the etcd quorum was lost during the roll: members per second ${sampleLetters(roll.samples)}`);
            return { value: roll.controlPlanesS, extra: { all_hosts_s: roll.endedS, least_members_with_leader: Math.min(...roll.samples.map((x) => seeingLeaderIn(x.members))), leaderless_spells: leaderlessSpells(roll.samples).length, unanswered_samples: unanswered(roll.samples).length } };
          } finally {
            lab.client.close();
          }
        } finally {
          await close();
        }
      },
    };
  },
};
