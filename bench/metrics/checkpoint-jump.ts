import { threeNode } from '../../simulator/pure/scenarios/three-node';
import { createLab } from '../../simulator/scenarios/lab-client';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

const PHASE = 'clusterProvisioning';

/**
 * A trainer's jump: a three-host lab put at the start of Cluster Provisioning
 * (three installed, registered hosts running) from the scenario's cached
 * checkpoint, against playing the scenario to the same point.
 */
export const checkpointJump3Hosts: Metric = {
  name: 'checkpoint_jump_3_hosts_s',
  unit: 's',
  what: `\`POST /labs/<id>/jump {phase: "${PHASE}"}\` on a fresh three-node lab, until the reply (the lab reopened with its three hosts resumed from memory and running) and its view is served with every host on`,
  target: [{ kind: 'max', value: 2 }],
  baseline: { extra: 'played_s', label: 'playing the scenario to that phase' },
  notes: [
    'The checkpoints are made once per run, untimed, by playing three-node headless (phase-checkpoints.ts); the baseline is how long that play took to reach the start of Cluster Provisioning (profile, token, installer, three installs, handoff, three registrations, plus the earlier checkpoints\' captures), the same figure beside every sample.',
    'Each sample opens a new lab (three hosts off, no disks) and jumps it: the old VMs\' power is cut, the lab\'s records, installers and VM identities are replaced in one transaction, each disk becomes a qcow2 overlay on the checkpoint\'s read-only disk, and the three VMs load their memory streams in parallel. `jump_server_ms` is the server\'s own figure for that part.',
  ],
  async prepare(ctx) {
    const { server, close } = await benchLabServer({ maxRunningHosts: 12 });
    ctx.log('checkpoint jump: making the three-node checkpoints (plays the scenario once; untimed)');
    const times = await server.checkpoints.build(threeNode);
    const playedMs = times[PHASE];
    if (playedMs === undefined) throw new Error(`[bench] making the three-node checkpoints did not reach ${PHASE}`);
    return {
      async sample() {
        const lab = await createLab(server.url, 'three-node');
        try {
          const auth = { authorization: `Bearer ${lab.token}`, 'content-type': 'application/json' };
          const t0 = performance.now();
          const res = await fetch(`${server.url}/labs/${lab.labId}/jump`, { method: 'POST', headers: { ...auth, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ phase: PHASE }) });
          const reply = (await res.json()) as { ok?: boolean; ms?: number; message?: string };
          if (!res.ok || !reply.ok) throw new Error(`[bench] the jump failed (${res.status}): ${reply.message ?? JSON.stringify(reply)}`);
          const view = (await (await fetch(`${server.url}/labs/${lab.labId}/view`, { headers: auth })).json()) as { view: { hosts: Record<string, { tags: string[] }> } };
          const seconds = (performance.now() - t0) / 1000;
          const off = Object.entries(view.view.hosts).filter(([, h]) => h.tags.includes('off')).map(([n]) => n);
          if (Object.keys(view.view.hosts).length !== 3 || off.length > 0) throw new Error(`[bench] after the jump the lab's hosts are not all on (off: ${off.join(', ') || 'none'})`);
          return { value: seconds, extra: { played_s: playedMs / 1000, jump_server_ms: reply.ms ?? NaN } };
        } finally {
          await server.labs.delete(lab.labId);
        }
      },
      close,
    };
  },
};
