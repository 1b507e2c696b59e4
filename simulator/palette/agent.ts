// The edge agent's side of Palette (simulator/palette-api.md): registration, heartbeats with
// long poll, and provisioning reports. Every reply the agent acts on is a value with `status`
// (the HTTP layer sends it as 200); a body the agent would never send is a BadRequest (400).
// A `registered` answer issues the host a fresh key (host-keys.ts); heartbeats and reports for a
// host are accepted only with that host's current key, and one without it writes nothing.
// A registration that would create a record beyond the lab's cap (host-limit.ts) is refused
// `host-limit`; answers to IDs without a record are remembered for a bounded few (agent-answers.ts).
import { addressOf, applyReport, blobPath, decideRegistration, type ProvisioningReport } from '../pure/palette';
import { releaseHost } from './cluster-delete';
import { isLeaving, releaseRemovedHost } from './cluster-pools';
import { upgradeReplyFor } from './agent-upgrade';
import { checkPathHost, heartbeatBody, parseBody, provisioningBody, registerBody, type RegisterBody } from './agent-bodies';
import { recordAnswer, refusal } from './agent-answers';
import { hashHostKey, hostKeyMatches, newHostKey } from './host-keys';
import { hostLimitConsoleMessage, hostRoomLeft } from './host-limit';
import type { AssignmentWatch } from './assignment-watch';
import { addNotes, saveCluster } from './cluster-state';
import type { Ctx, Tx } from './context';
import { blankHost, liveHealth } from './host-views';
import type { ClusterDoc, HostDoc, NodeDoc } from './records';
import type { createRegistry } from './registry';
import type { AssignedReply, HeartbeatReply, Palette, RegisterReply } from './types';

type Registry = ReturnType<typeof createRegistry>;

const hostCredential = (hostId: string) =>
  refusal('host-credential', `Palette did not accept the host key sent for host ${hostId}: it is missing, from another host, or replaced by a newer registration. The agent registers again to get a new one.`);

const hostUnknown = (hostId: string) =>
  refusal('host-unknown', `Palette has no registration of host ${hostId}; it has to register first (restart the host, or add its ID again in Clusters > Edge Hosts).`);

/** Fills in what the machine reports about itself. Identity fields only ever get filled, not changed. */
function refresh(h: HostDoc, req: RegisterBody, now: number): void {
  Object.assign(h, {
    hostName: req.hostName, arch: req.arch, cpus: req.cpus, memoryMb: req.memoryMb, os: req.os,
    autoRegister: req.autoRegister, lastSeenAt: now, firstSeenAt: h.firstSeenAt ?? now,
  });
  if (req.ip !== '') h.ip = req.ip;
  if (h.tagsFrom === 'host') h.tags = { ...req.tags };
  for (const k of ['mac', 'deviceUuid', 'installId'] as const) if (req[k] !== '') h[k] = req[k];
}

/** After contact from a registered host: log its recovery, and its cluster's health with it. */
async function markContact(tx: Tx, h: HostDoc, now: number): Promise<void> {
  if (h.registration !== 'registered' || h.health === 'healthy') return;
  h.health = 'healthy';
  await tx.emit('palette.host.health', { hostId: h.hostId, health: 'healthy' });
  await tx.rec.put('edge-host', h.hostId, h);
  const c = h.cluster === null ? undefined : await tx.rec.get('cluster', h.cluster);
  if (c) await saveCluster(tx, c, { status: c.status, health: c.health }, now);
}

export function agentApi(ctx: Ctx, registry: Registry, watch: AssignmentWatch): Pick<Palette['hosts'], 'agentRegister' | 'agentHeartbeat' | 'agentProvisioning' | 'keyHolder'> {
  const { deps } = ctx;

  const assigned = (c: ClusterDoc, node: NodeDoc): AssignedReply => {
    const blob = registry.forRepository(c.image.repository);
    const lanOf = (n: NodeDoc): string => n.lanIp || deps.lanAddressOf?.(n.hostId) || '';
    // Every control-plane node with a LAN address runs an etcd member; the list is the cluster's etcd.
    const etcd = c.nodes.filter((n) => n.role === 'control-plane').map((n) => addressOf(lanOf(n))).filter((a) => a !== '');
    return {
      status: 'assigned', cluster: c.name, nodeRole: node.role, nodeName: node.nodeName,
      k8sVersion: c.k8s.version, distribution: c.k8s.distribution,
      image: blob ? blobPath(blob.repository, blob.sha256) : '', imageSha256: blob?.sha256 ?? '',
      lanIp: lanOf(node), vip: c.spec.vip, etcd: etcd.join(','),
      layers: c.layers.join(','),
      ntp: (c.spec.ntpServers ?? []).join(','),
      etcdState: node.role === 'control-plane' && node.day2 ? 'existing' : 'new',
      removedNodes: c.removed.map((r) => r.nodeName).join(','),
      removedMembers: c.removed.filter((r) => r.role === 'control-plane').map((r) => addressOf(r.lanIp)).filter((a) => a !== '').join(','),
    };
  };

  /** The heartbeat answer from the store as it is now (no write). */
  const currentHeartbeat = async (hostId: string): Promise<HeartbeatReply> => {
    const h = await ctx.rec.get('edge-host', hostId);
    if (!h || h.registration === 'added') return hostUnknown(hostId);
    if (h.registration === 'pending') return { status: 'pending' };
    const c = h.cluster === null ? undefined : await ctx.rec.get('cluster', h.cluster);
    const node = c?.nodes.find((n) => n.hostId === hostId);
    if (c && c.status === 'Deleting') return { status: 'reset', cluster: c.name, why: 'cluster-deleted' };
    // Removed from the cluster (Day-2), its record still naming it: it resets as for a deletion.
    if (c && !node) return { status: 'reset', cluster: c.name, why: 'host-removed' };
    const turn = c && node ? upgradeReplyFor(c, hostId, registry) : undefined;
    if (turn) return turn;
    return c && node ? assigned(c, node) : { status: 'ok' };
  };

  return {
    async agentRegister(body): Promise<RegisterReply> {
      const parsed = parseBody(registerBody, body);
      if (!parsed.ok) return parsed.reply;
      const req = parsed.value;
      const now = deps.now();
      return ctx.write(async (tx) => {
        const [tokens, projects, existing] = await Promise.all([tx.rec.list('token'), tx.rec.list('project'), tx.rec.get('edge-host', req.hostId)]);
        const decision = decideRegistration({
          hostId: req.hostId, token: req.token, projectName: req.projectName, projectUid: req.projectUid, autoRegister: req.autoRegister, now,
          machine: { mac: req.mac, deviceUuid: req.deviceUuid, installId: req.installId },
          tokens: tokens.map((t) => ({ name: t.name, value: t.value, expiresAt: t.expiresAt, ...(t.project !== null ? { defaultProject: t.project } : {}) })),
          projects: projects.map((p) => p.name),
          hosts: existing ? [{ hostId: existing.hostId, project: existing.project, state: existing.registration, machine: { mac: existing.mac, deviceUuid: existing.deviceUuid, installId: existing.installId } }] : [],
        });
        if (decision.status === 'refused') {
          const reply = refusal(decision.code, decision.consoleMessage);
          await recordAnswer(tx, req.hostId, reply, now, existing !== undefined);
          return reply;
        }
        if (!existing && (await hostRoomLeft(tx.rec)) === 0) {
          const reply = refusal('host-limit', hostLimitConsoleMessage(req.hostId));
          await recordAnswer(tx, req.hostId, reply, now, false);
          return reply;
        }
        const h = existing ?? blankHost(req.hostId, decision.project);
        refresh(h, req, now);
        // Every `registered` answer carries a new key; the previous one stops working with this write.
        const hostKey = decision.status === 'registered' ? newHostKey() : '';
        if (hostKey !== '') h.keySha256 = hashHostKey(hostKey);
        h.project = decision.project;
        if (decision.status === 'registered' && h.registration !== 'registered') {
          const method = existing?.registration === 'added' ? 'manual' : 'auto';
          Object.assign(h, { registration: 'registered', method, registeredAt: now, health: 'healthy' });
          await tx.emit('palette.host.registered', { hostId: h.hostId, project: h.project, method });
        } else if (decision.status === 'pending' && !existing) {
          h.registration = 'pending';
          await tx.emit('palette.host.pending', { hostId: h.hostId });
        }
        await tx.rec.put('edge-host', h.hostId, h);
        await markContact(tx, h, now);
        const reply: RegisterReply = decision.status === 'registered'
          ? { status: 'registered', project: h.project, hostKey }
          : { status: 'pending', message: decision.consoleMessage };
        await recordAnswer(tx, h.hostId, reply, now, true);
        return reply;
      });
    },

    async agentHeartbeat(hostId, body, opts = {}) {
      const badPath = checkPathHost(hostId);
      if (badPath) return badPath;
      const parsed = parseBody(heartbeatBody, body);
      if (!parsed.ok) return parsed.reply;
      const mismatch = checkPathHost(hostId, parsed.value.hostId);
      if (mismatch) return mismatch;
      const { ip, wait, reset } = parsed.value;
      const now = deps.now();
      const first = await ctx.write(async (tx): Promise<{ reply: HeartbeatReply } | { news: boolean; seq: number }> => {
        const h = await tx.rec.get('edge-host', hostId);
        if (!h || h.registration === 'added') {
          const reply = hostUnknown(hostId);
          await recordAnswer(tx, hostId, reply, now, h !== undefined);
          return { reply };
        }
        // Not logged: a request without the host's key must not change anything Palette shows.
        // A pending host has no key yet (its agent keeps asking to register, it does not beat).
        if (h.registration !== 'registered' || !hostKeyMatches(h.keySha256, opts.hostKey)) return { reply: hostCredential(hostId) };
        h.lastSeenAt = now;
        h.lastHeartbeatAt = now;
        if (ip !== '') h.ip = ip;
        await tx.rec.put('edge-host', hostId, h);
        await markContact(tx, h, now);
        // Back from a reset out of a cluster being deleted, or one it was removed from: the host is released.
        if (reset !== '' && h.cluster === reset) {
          const c = await tx.rec.get('cluster', reset);
          if (c?.status === 'Deleting') await releaseHost(tx, c, hostId, 'reset', now);
          else if (c && isLeaving(c, hostId)) await releaseRemovedHost(tx, c, hostId, 'reset', now);
        }
        await recordAnswer(tx, hostId, { status: 'ok' }, now, true);
        // News: an assignment the host has not acted on yet is answered at once.
        return { news: h.cluster !== null && !h.assignmentSeen, seq: await tx.lastSeq() };
      });
      if ('reply' in first) return first.reply;
      if (!first.news && wait > 0 && !opts.signal?.aborted) {
        watch.from(first.seq);
        await ctx.waiters.wait(hostId, wait * 1000, opts.signal);
      }
      return currentHeartbeat(hostId);
    },

    async agentProvisioning(hostId, body, opts = {}) {
      const badPath = checkPathHost(hostId);
      if (badPath) return badPath;
      const parsed = parseBody(provisioningBody, body);
      if (!parsed.ok) return parsed.reply;
      const mismatch = checkPathHost(hostId, parsed.value.hostId);
      if (mismatch) return mismatch;
      const r = parsed.value;
      const now = deps.now();
      return ctx.write(async (tx) => {
        const h = await tx.rec.get('edge-host', hostId);
        if (!h || h.registration !== 'registered') {
          const reply = hostUnknown(hostId);
          await recordAnswer(tx, hostId, reply, now, h !== undefined);
          return reply;
        }
        if (!hostKeyMatches(h.keySha256, opts.hostKey)) return hostCredential(hostId);
        const c = h.cluster === r.cluster ? await tx.rec.get('cluster', r.cluster) : undefined;
        if (!c || !c.nodes.some((n) => n.hostId === hostId)) {
          const where = h.cluster === null ? 'is not assigned to any cluster' : `is assigned to cluster ${h.cluster}`;
          const reply = refusal('not-assigned', `Host ${hostId} is not assigned to cluster ${r.cluster}: it ${where}. Its report was ignored.`);
          await recordAnswer(tx, hostId, reply, now, true);
          return reply;
        }
        const before = { status: c.status, health: c.health };
        const report: ProvisioningReport = r.step === 'failed' ? { hostId, step: 'failed', reason: r.reason } : { hostId, step: r.step };
        const result = applyReport(c.status, c.nodes, report, { cluster: c.name, distribution: c.k8s.distribution, image: c.image.name, layers: c.layers });
        c.nodes = c.nodes.map((n) => ({ ...n, ...result.nodes.find((x) => x.hostId === n.hostId) }));
        c.status = result.status;
        const node = result.nodes.find((n) => n.hostId === hostId);
        if (result.change === 'step' && node?.step) await tx.emit('palette.host.provisioning', { hostId, cluster: c.name, step: node.step });
        if (result.change === 'failure' && node?.failure) await tx.emit('palette.host.provisioning-failed', { hostId, cluster: c.name, reason: node.failure });
        await addNotes(tx, c, result.notes, now);
        await saveCluster(tx, c, before, now);
        if (!h.assignmentSeen) await tx.rec.put('edge-host', hostId, { ...h, assignmentSeen: true });
        await recordAnswer(tx, hostId, { status: 'ok' }, now, true);
        return { status: 'ok' as const };
      });
    },

    async keyHolder(hostKey) {
      if (hostKey === '') return undefined;
      const hosts = await ctx.rec.list('edge-host');
      return hosts.find((h) => h.registration === 'registered' && hostKeyMatches(h.keySha256, hostKey))?.hostId;
    },
  };
}
