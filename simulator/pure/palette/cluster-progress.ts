// A cluster's provisioning as its hosts report it (simulator/palette-api.md, "Provisioning
// reports"; reference §1 D, §6 "Statuses"): each node's furthest step, its failure, the
// cluster's status and health, and the lines its Events tab shows.
//
// Rules:
// - A step a node has already passed is a repeat (the agent re-reports after a reboot): no change.
// - A failed node stays failed until it reports a step again (a retry, from any step).
// - The cluster is Running once every node is at `node-ready` without a failure; it does not
//   go back to Provisioning.
// - Lab decision, as the reference names no Failed status: a failure leaves the cluster
//   Provisioning with health Unhealthy; the failure is in the events.
import { PROVISIONING_STEPS, type ProvisioningStep } from '../machines/provisioning';
import type { ClusterStatus, HealthStatus } from './cluster';

export type NodeRole = 'control-plane' | 'worker';

export interface NodeProgress {
  hostId: string;
  nodeName: string;
  role: NodeRole;
  /** Furthest step reported; null before the first report. */
  step: ProvisioningStep | null;
  /** Reason of the last failure, until the node reports a step again. */
  failure: string | null;
}

export type ProvisioningReport =
  | { hostId: string; step: ProvisioningStep }
  | { hostId: string; step: 'failed'; reason: string };

export type NoteSeverity = 'info' | 'warning' | 'error';

export interface ProgressNote {
  severity: NoteSeverity;
  message: string;
}

export interface ProgressFacts {
  cluster: string;
  /** e.g. `k3s`, for "started k3s". */
  distribution: string;
  /** Provider image reference, for "pulled …". */
  image: string;
  /** The layers above Kubernetes (clusterLayers), for "applied …". */
  layers?: readonly string[];
}

export interface ProgressResult {
  nodes: NodeProgress[];
  status: ClusterStatus;
  /** What changed for the reporting node: a step it had not reached, a new failure, or nothing. */
  change: 'step' | 'failure' | 'none';
  notes: ProgressNote[];
}

const rank = (s: ProvisioningStep | null): number => (s === null ? -1 : PROVISIONING_STEPS.indexOf(s));

const RUNTIME: Record<string, string> = { k3s: 'k3s', rke2: 'rke2', kubeadm: 'kubeadm (PXK-E)', canonical: 'Canonical Kubernetes' };

function stepMessage(step: ProvisioningStep, n: NodeProgress, facts: ProgressFacts): string {
  const host = `Edge host ${n.hostId}`;
  switch (step) {
    case 'image-pulled': return `${host}: pulled the provider image ${facts.image}`;
    case 'partition-switched': return `${host}: wrote the provider image to its passive partition and made it the next boot (A/B)`;
    case 'rebooted-into-provider-os': return `${host}: rebooted into the provider OS`;
    case 'stages-run': return `${host}: ran the boot and network stages of its user data`;
    case 'runtime-started': return `${host}: started ${RUNTIME[facts.distribution] ?? facts.distribution} as a ${n.role} node`;
    case 'layers-applied': {
      const list = facts.layers ?? [];
      return list.length === 0
        ? `${host}: the profile has no network or add-on layers to apply`
        : `${host}: applied the network and add-on layers (${list.join(', ')}) as far as the lab's runtime allows: recorded on the node, none of them runs (the lab's Kubernetes runs no pods)`;
    }
    case 'node-ready': return `Node ${n.nodeName} (${n.hostId}, ${n.role}) is Ready`;
  }
}

/** Applies one report from a node of the cluster; `report.hostId` must be one of `nodes`. */
export function applyReport(status: ClusterStatus, nodes: readonly NodeProgress[], report: ProvisioningReport, facts: ProgressFacts): ProgressResult {
  const next = nodes.map((n) => ({ ...n }));
  const node = next.find((n) => n.hostId === report.hostId);
  if (!node) return { nodes: next, status, change: 'none', notes: [] };
  const notes: ProgressNote[] = [];
  let change: ProgressResult['change'] = 'none';
  if (report.step === 'failed') {
    const reason = report.reason.trim() || 'no reason given';
    if (node.failure !== reason) {
      node.failure = reason;
      change = 'failure';
      notes.push({ severity: 'error', message: `Provisioning failed on edge host ${node.hostId}: ${reason}` });
    }
  } else if (node.failure !== null) {
    node.failure = null;
    node.step = report.step;
    change = 'step';
    notes.push({ severity: 'info', message: `Edge host ${node.hostId} is provisioning again after its failure` }, { severity: 'info', message: stepMessage(report.step, node, facts) });
  } else if (rank(report.step) > rank(node.step)) {
    node.step = report.step;
    change = 'step';
    notes.push({ severity: 'info', message: stepMessage(report.step, node, facts) });
  }
  let nextStatus = status;
  if (status === 'Provisioning' && next.every((n) => n.step === 'node-ready' && n.failure === null)) {
    nextStatus = 'Running';
    notes.push({ severity: 'info', message: `All ${next.length} node${next.length === 1 ? ' is' : 's are'} Ready: cluster ${facts.cluster} is Running` });
  }
  return { nodes: next, status: nextStatus, change, notes };
}

/**
 * The cluster's health: unknown (null) while provisioning goes well and while deleting;
 * Unhealthy with a failed node, or when Running or Upgrading with a node whose host is Unhealthy.
 */
export function clusterHealth(status: ClusterStatus, nodes: readonly NodeProgress[], unhealthyHosts: ReadonlySet<string>): HealthStatus | null {
  if (status === 'Deleting') return null;
  if (nodes.some((n) => n.failure !== null)) return 'Unhealthy';
  if (status === 'Provisioning') return null;
  return nodes.some((n) => unhealthyHosts.has(n.hostId)) ? 'Unhealthy' : 'Healthy';
}

/**
 * The etcd quorum as Palette can judge it: every control-plane node runs a member, and a member
 * whose host is Unhealthy counts as lost. `quorum` holds while more than half are up.
 */
export function etcdQuorum(nodes: readonly NodeProgress[], unhealthyHosts: ReadonlySet<string>): { members: number; up: number; quorum: boolean } {
  const members = nodes.filter((n) => n.role === 'control-plane');
  const up = members.filter((n) => !unhealthyHosts.has(n.hostId)).length;
  return { members: members.length, up, quorum: up > members.length / 2 };
}

/** Why a Running cluster is Unhealthy, in the words of its Events: the quorum first when it matters. */
export function unhealthyReasons(nodes: readonly NodeProgress[], unhealthyHosts: ReadonlySet<string>): string[] {
  const q = etcdQuorum(nodes, unhealthyHosts);
  const lostMembers = q.members - q.up;
  const quorum = lostMembers === 0 || q.members < 2 ? []
    : [q.quorum
      ? `etcd keeps its quorum (${q.up} of ${q.members} control-plane members up)`
      : `etcd quorum lost (${q.up} of ${q.members} control-plane members up): the cluster's API cannot change or read its state until a majority is back`];
  return [
    ...quorum,
    ...nodes.filter((n) => n.failure !== null).map((n) => `${n.hostId} failed`),
    ...[...unhealthyHosts].map((id) => `edge host ${id} is Unhealthy`),
  ];
}
