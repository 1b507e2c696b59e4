// The agent's side of a rolling upgrade (simulator/palette-api.md, "Upgrade"): the heartbeat
// reply that tells a host it is its turn, and the host's reports (POST …/upgrade):
//   started   it wrote the new image to its passive partition and reboots into it;
//   upgraded  it came up on the new image, its node is Ready (on a control plane, with its etcd
//             member healthy), and it marked the new partition good: the next host is told;
//   failed    the new image did not come up within its boot tries and the host booted back into
//             its previous partition (`slot`): the roll stops and the cluster reports it.
// A report about another version, or from a host whose turn it is not, changes nothing and is
// answered `ok` (a host repeats a report that got no answer; the roll may have moved on since).
import { blobPath } from '../pure/palette';
import { upgradeTurn } from '../pure/palette/upgrade';
import { recordAnswer, refusal } from './agent-answers';
import { checkPathHost, parseBody, upgradeBody } from './agent-bodies';
import { addNotes, saveCluster } from './cluster-state';
import { tellTurn } from './cluster-upgrade';
import type { Ctx } from './context';
import { hostKeyMatches } from './host-keys';
import type { ClusterDoc } from './records';
import type { createRegistry } from './registry';
import type { Palette, UpgradeReply } from './types';

type Registry = ReturnType<typeof createRegistry>;

/** The upgrade reply for `hostId` when it is its turn in `c`'s roll; undefined otherwise. */
export function upgradeReplyFor(c: ClusterDoc, hostId: string, registry: Registry): UpgradeReply | undefined {
  const u = c.upgrade;
  if (c.status !== 'Upgrading' || !u || upgradeTurn(u.order, u.done) !== hostId) return undefined;
  const blob = registry.forRepository(u.image.repository);
  return {
    status: 'upgrade', cluster: c.name, version: u.to,
    image: blob ? blobPath(blob.repository, blob.sha256) : '', imageSha256: blob?.sha256 ?? '',
    k8sVersion: u.k8s.version, distribution: u.k8s.distribution, layers: u.layers.join(','),
  };
}

export function agentUpgradeApi(ctx: Ctx): Pick<Palette['hosts'], 'agentUpgrade'> {
  return {
    async agentUpgrade(hostId, body, opts = {}) {
      const badPath = checkPathHost(hostId);
      if (badPath) return badPath;
      const parsed = parseBody(upgradeBody, body);
      if (!parsed.ok) return parsed.reply;
      const r = parsed.value;
      const mismatch = checkPathHost(hostId, r.hostId);
      if (mismatch) return mismatch;
      const now = ctx.deps.now();
      return ctx.write(async (tx) => {
        const h = await tx.rec.get('edge-host', hostId);
        if (!h || h.registration !== 'registered') {
          const reply = refusal('host-unknown', `Palette has no registration of host ${hostId}; it has to register first.`);
          await recordAnswer(tx, hostId, reply, now, h !== undefined);
          return reply;
        }
        if (!hostKeyMatches(h.keySha256, opts.hostKey)) {
          return refusal('host-credential', `Palette did not accept the host key sent for host ${hostId}: it is missing, from another host, or replaced by a newer registration. The agent registers again to get a new one.`);
        }
        const c = h.cluster === r.cluster ? await tx.rec.get('cluster', r.cluster) : undefined;
        const node = c?.nodes.find((n) => n.hostId === hostId);
        if (!c || !node) {
          const reply = refusal('not-assigned', `Host ${hostId} is not in cluster ${r.cluster}. Its upgrade report was ignored.`);
          await recordAnswer(tx, hostId, reply, now, true);
          return reply;
        }
        const u = c.upgrade;
        if (c.status !== 'Upgrading' || !u || u.to !== r.version || upgradeTurn(u.order, u.done) !== hostId) return { status: 'ok' as const };
        const before = { status: c.status, health: c.health };
        if (r.result === 'started') {
          await tx.rec.put('edge-host', hostId, { ...h, assignmentSeen: true });
          await addNotes(tx, c, [{ severity: 'info', message: `Edge host ${hostId}: wrote the provider image of ${u.to} to its ${r.slot || 'passive'} partition and reboots into it (boot tries counted; the previous partition stays as the fallback)` }], now);
        } else if (r.result === 'upgraded') {
          u.done.push(hostId);
          node.version = u.to;
          await tx.emit('palette.host.upgraded', { hostId, cluster: c.name, version: u.to });
          await addNotes(tx, c, [{ severity: 'info', message: `Edge host ${hostId} runs ${u.to} from its ${r.slot || 'new'} partition and node ${node.nodeName} is Ready${node.role === 'control-plane' ? ' with its etcd member healthy' : ''} (${u.done.length} of ${u.order.length})` }], now);
          if (!(await tellTurn(tx, c, now, (id) => ctx.waiters.wake(id)))) {
            Object.assign(c.spec.profile, { version: u.to });
            Object.assign(c, { k8s: { ...u.k8s }, image: { ...u.image }, layers: [...u.layers], status: 'Running' });
            u.endedAt = now;
            await tx.emit('palette.cluster.upgrade-completed', { name: c.name, version: u.to });
            await addNotes(tx, c, [{ severity: 'info', message: `Cluster ${c.name} upgraded to ${u.to}: all ${u.order.length} hosts repaved, one at a time; it is Running` }], now);
          }
        } else {
          const reason = r.reason || 'the new image did not come up';
          u.failed = { hostId, slot: r.slot || 'previous', reason };
          u.endedAt = now;
          c.status = 'Running';
          await tx.emit('palette.cluster.upgrade-failed', { name: c.name, hostId, slot: u.failed.slot, reason });
          await addNotes(tx, c, [{
            severity: 'error',
            message: `Upgrade failed on ${hostId}: booted back into ${u.failed.slot} (${reason}). The roll stopped: ${u.done.length === 0 ? 'no host runs' : `${u.done.join(', ')} run${u.done.length === 1 ? 's' : ''}`} ${u.to}, the others ${u.from}; cluster ${c.name} stays on ${u.from} until a newer version is applied`,
          }], now);
        }
        await saveCluster(tx, c, before, now);
        await recordAnswer(tx, hostId, { status: 'ok' }, now, true);
        return { status: 'ok' as const };
      });
    },
  };
}
