/**
 * Pure view logic of the cluster overview: a node's provisioning step in words, the Events log
 * newest first, and the cluster's summary lines.
 */
import type { ClusterDetail, ClusterEventView, ClusterNodeView, ClusterView } from '../../../../simulator/pure/palette/views';
import { DASH } from './format';
import type { ProvisioningStep } from '../../../../simulator/pure/machines/provisioning';

export const NO_CLUSTER_TEXT = 'No cluster yet: create one with the wizard above.';

const STEP_WORDS: Record<ProvisioningStep, string> = {
  'image-pulled': 'Provider image pulled',
  'partition-switched': 'Image written to the A/B partitions',
  'rebooted-into-provider-os': 'Rebooted into the provider OS',
  'stages-run': 'User data stages run',
  'runtime-started': 'Kubernetes started',
  'layers-applied': 'Network and add-on layers recorded (the lab runs no pods)',
  'node-ready': 'Node ready',
};

/** A node's furthest step; before the first report it waits for the host's next heartbeat. */
export function stepLabel(step: ClusterNodeView['step']): string {
  if (step === null) return 'Waiting for the host to pick up the assignment';
  return STEP_WORDS[step] ?? step;
}

export function roleLabel(role: ClusterNodeView['role']): string {
  return role === 'control-plane' ? 'Control plane' : 'Worker';
}

export function nodeCells(n: ClusterNodeView): { hostId: string; nodeName: string; role: string; lanIp: string; step: string; failure: string } {
  return { hostId: n.hostId, nodeName: n.nodeName || DASH, role: roleLabel(n.role), lanIp: n.lanIp || DASH, step: stepLabel(n.step), failure: n.failure ?? DASH };
}

/** The Events tab, newest first (stable for events of the same millisecond: later ones first). */
export function eventsNewestFirst(events: readonly ClusterEventView[]): ClusterEventView[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => b.e.at - a.e.at || b.i - a.i).map((x) => x.e);
}

/** The overview's summary, label and value. */
export function clusterSummary(c: ClusterView | ClusterDetail): [string, string][] {
  const ready = c.nodes.filter((n) => n.step === 'node-ready' && !n.failure).length;
  return [
    ['Profile', `${c.profile.name} ${c.profile.version}`],
    ['Kubernetes', `${c.k8s.distribution} ${c.k8s.version}`],
    ['Provider image', c.image || DASH],
    ['VIP', c.vip || DASH],
    ['Project', c.project],
    ['Nodes ready', `${ready} of ${c.nodes.length}`],
  ];
}

/**
 * Who holds the cluster's VIP now, from the hosts' own reports (the lab view): the lab host and its
 * Palette ID, `nobody` when no node of this cluster holds it, or null when there is no VIP or the
 * cluster is not Running yet.
 */
export function vipHolderText(c: ClusterView | ClusterDetail, hosts: Readonly<Record<string, { data: { vip?: string | null; vipClash?: string | null; hostId?: string | null } }>>): string | null {
  if (!c.vip || c.status !== 'Running') return null;
  const ids = new Set(c.nodes.map((n) => n.hostId));
  const nodes = Object.entries(hosts).filter(([, h]) => ids.has(h.data.hostId ?? ''));
  const held = nodes.filter(([, h]) => h.data.vip === c.vip);
  const clash = nodes.find(([, h]) => h.data.vipClash)?.[1].data.vipClash;
  if (held.length === 0 && clash) return `nobody: another machine on the LAN (${clash}) answers for ${c.vip}, so the control plane does not take it`;
  if (held.length === 0) return 'nobody: no control-plane node can hold it now (with several, they need etcd\'s quorum to elect one)';
  return held.map(([name, h]) => (h.data.hostId && h.data.hostId !== name ? `${name} (${h.data.hostId})` : name)).join(', ');
}

/** Health while provisioning goes well is not known yet; say so rather than show nothing. */
export function healthLabel(health: ClusterView['health']): string {
  return health ?? 'Not known yet';
}
