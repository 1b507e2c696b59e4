/**
 * Pure projections of the charts' snapshots into the plain, readonly objects the server
 * sends to pages (guideline 9): the state, a human label, the tags, a whitelisted slice
 * of the context, and `allowed`, the commands the snapshot accepts now, asked of
 * `snapshot.can(...)`. A page renders these and never decides a guard itself.
 */
import type { PageDrillId } from '../drills/drill-checks';
import type { ActingRole } from '../roles/vocabulary';
import type { SnapshotFrom, StateValue } from 'xstate';
import type { ClusterMachine } from './cluster.machine';
import { CLUSTER_COMMANDS, type ClusterCommandType } from './cluster.machine';
import type { HostClock, HostContext } from './host.context';
import { HOST_COMMANDS, type HostCommand, type HostCommandType, type PowerOffReason, type RefusalCode } from './host.events';
import { hostHint, HOST_STATE_LABELS } from './host.labels';
import type { HostMachine } from './host.machine';
import { LAB_COMMANDS, type LabCommandType, type LabContext, type LabMachine } from './lab.machine';
import {
  LAB_PHASES, PHASE_LABELS, stepAt, type HostCustodian, type HostHandoff, type LabCheck, type LabPhase, type SessionRole,
} from './lab.steps';
import type { ProvisioningStep } from './provisioning';
import { leafPaths } from './state-paths';

interface ViewBase<TCommand extends string> {
  /** The raw state value, and the dotted paths of its atomic states. */
  readonly value: StateValue;
  readonly states: readonly string[];
  readonly label: string;
  readonly tags: readonly string[];
  readonly allowed: readonly TCommand[];
}

export interface HostView extends ViewBase<HostCommandType> {
  readonly kind: 'host';
  /** What the learner should do now, or null. */
  readonly hint: string | null;
  readonly context: {
    readonly usbInserted: boolean;
    /** The site NIC's cable is out (UNPLUG_CABLE): the host cannot reach Palette until it is back in. */
    readonly cableUnplugged: boolean;
    /** The drill's small disk is in the host instead of its own (FIT_SMALL_DISK). */
    readonly smallDisk: boolean;
    /** Its hardware clock is set behind (SET_CLOCK_BEHIND). */
    readonly clockBehind: boolean;
    /** Its NTP client's last word this boot, or null. */
    readonly clock: HostClock | null;
    /** Its etcd member's last complaint about a peer's clock, or null. */
    readonly clockDrift: { readonly peer: string; readonly drift: string } | null;
    readonly hostId: string | null;
    readonly ip: string | null;
    readonly mac: string | null;
    readonly project: string | null;
    readonly cluster: string | null;
    readonly installStep: string | null;
    readonly provisioningStep: ProvisioningStep | null;
    readonly fault: { readonly reason: string; readonly detail: Readonly<Record<string, string>> } | null;
    readonly refusal: RefusalCode | null;
    readonly endpoint: string | null;
    readonly registrationMethod: 'auto' | 'manual' | null;
    readonly retrySeconds: number | null;
    readonly lastPowerOff: PowerOffReason | null;
    readonly ioPause: { readonly operation: 'read' | 'write'; readonly nospace: boolean; readonly reason: string } | null;
    readonly commandError: { readonly command: HostCommandType; readonly message: string } | null;
    readonly vip: string | null;
    /** The LAN address of the etcd leader this host's member sees, or null. */
    readonly etcdLeader: string | null;
    /** The MAC of another machine that answers for the VIP this host would hold, or null. */
    readonly vipClash: string | null;
  };
}

export interface ClusterView extends ViewBase<ClusterCommandType> {
  readonly kind: 'cluster';
  readonly context: {
    readonly name: string;
    readonly nodeCount: number;
    readonly step: ProvisioningStep | null;
    readonly readyNodes: readonly string[];
    readonly unhealthyNodes: readonly string[];
    readonly failure: { readonly reason: string } | null;
    /** The latest upgrade (null before the first): its target version, the hosts done, where it failed. */
    readonly upgrade?: { readonly version: string; readonly upgraded: readonly string[]; readonly failedOn: { readonly host: string; readonly slot: string } | null } | null;
  };
}

export interface LabView extends ViewBase<LabCommandType> {
  readonly kind: 'lab';
  /** Position in the lab's event log; a page that reconnects asks for what follows. */
  readonly seq: number;
  readonly phases: readonly { readonly id: LabPhase; readonly label: string; readonly status: 'done' | 'active' | 'pending' }[];
  /** The step to do now, or null when every phase is done. */
  readonly step: { readonly path: string; readonly label: string; readonly role: ActingRole; readonly check: LabCheck } | null;
  readonly context: {
    readonly role: SessionRole;
    readonly expectedHosts: number;
    readonly profile: string | null;
    /** Whether a token exists; its value is a credential and stays on the server. */
    readonly hasToken: boolean;
    readonly installer: string | null;
    readonly installedHosts: readonly string[];
    readonly registeredHosts: readonly string[];
    readonly cluster: string | null;
    /** Who holds the hosts now (IT/Ops on the staging bench, then the site technician). */
    readonly custody: HostCustodian;
    /** The handoffs the lab recorded, oldest first. */
    readonly handoffs: readonly HostHandoff[];
    readonly lastFailure: { readonly check: LabCheck; readonly message: string } | null;
    /** Each Troubleshooting drill's last "Check my work" answer, by drill id. */
    readonly drillChecks: Readonly<Partial<Record<PageDrillId, { readonly passed: boolean; readonly message: string }>>>;
  };
}

const HOST_PROBES: Readonly<Record<HostCommandType, HostCommand>> = {
  POWER_ON: { type: 'POWER_ON' },
  POWER_BUTTON: { type: 'POWER_BUTTON' },
  RESET: { type: 'RESET' },
  POWER_OFF: { type: 'POWER_OFF' },
  INSERT_USB: { type: 'INSERT_USB', image: '' },
  REMOVE_USB: { type: 'REMOVE_USB' },
  RESUME: { type: 'RESUME' },
  UNPLUG_CABLE: { type: 'UNPLUG_CABLE' },
  PLUG_CABLE: { type: 'PLUG_CABLE' },
  FIT_SMALL_DISK: { type: 'FIT_SMALL_DISK' },
  FIT_LARGE_DISK: { type: 'FIT_LARGE_DISK' },
  SET_CLOCK_BEHIND: { type: 'SET_CLOCK_BEHIND' },
  SET_CLOCK_RIGHT: { type: 'SET_CLOCK_RIGHT' },
};

const plainValue = (v: StateValue): StateValue => JSON.parse(JSON.stringify(v)) as StateValue;

export function toHostView(snapshot: SnapshotFrom<HostMachine>): HostView {
  const states = leafPaths(snapshot.value);
  const c: HostContext = snapshot.context;
  return {
    kind: 'host',
    value: plainValue(snapshot.value),
    states,
    label: states.map((s) => HOST_STATE_LABELS[s] ?? s).join(' · ') + (c.ioPause ? ' · Paused: disk full' : ''),
    hint: hostHint(states, c),
    // A paused host is in trouble whatever its state: the page marks it as an error.
    tags: [...new Set([...snapshot.tags, ...(c.ioPause ? ['error', 'paused'] : [])])].sort(),
    context: {
      usbInserted: c.usbInserted, cableUnplugged: c.cableUnplugged ?? false, smallDisk: c.smallDisk ?? false, clockBehind: c.clockBehind ?? false, clock: c.clock ? { ...c.clock } : null, clockDrift: c.clockDrift ? { ...c.clockDrift } : null, hostId: c.hostId, ip: c.ip, mac: c.mac, project: c.project, cluster: c.cluster,
      installStep: c.installStep, provisioningStep: c.provisioningStep,
      fault: c.fault && { reason: c.fault.reason, detail: { ...c.fault.detail } },
      refusal: c.refusal, endpoint: c.endpoint, registrationMethod: c.registrationMethod, retrySeconds: c.retrySeconds,
      lastPowerOff: c.lastPowerOff,
      ioPause: c.ioPause && { ...c.ioPause },
      commandError: c.commandError && { ...c.commandError },
      vip: c.vip,
      // A chart restored from before this field existed has none.
      etcdLeader: c.etcdLeader ?? null,
      vipClash: c.vipClash ?? null,
    },
    allowed: HOST_COMMANDS.filter((t) => snapshot.can(HOST_PROBES[t])),
  };
}

const CLUSTER_LABELS: Readonly<Record<string, string>> = {
  'running.healthy': 'Running · Healthy',
  'running.unhealthy': 'Running · Unhealthy',
  failed: 'Failed',
  deleting: 'Deleting',
  deleted: 'Deleted',
};

function clusterLabel(first: string, c: SnapshotFrom<ClusterMachine>['context']): string {
  if (first.startsWith('provisioning.')) return `Provisioning${c.step ? ` (${c.step})` : ''}`;
  const u = c.upgrade;
  if (first === 'upgrading' && u) return `Upgrading to ${u.version} (${u.upgraded.length} of ${c.nodeCount} hosts done)`;
  const label = CLUSTER_LABELS[first] ?? first;
  return first.startsWith('running.') && u?.failedOn ? `${label} · upgrade to ${u.version} failed on ${u.failedOn.host}` : label;
}

export function toClusterView(snapshot: SnapshotFrom<ClusterMachine>): ClusterView {
  const states = leafPaths(snapshot.value);
  const c = snapshot.context;
  const first = states[0] ?? '';
  return {
    kind: 'cluster',
    value: plainValue(snapshot.value),
    states,
    label: clusterLabel(first, c),
    tags: Array.from(snapshot.tags).sort(),
    context: {
      name: c.name, nodeCount: c.nodeCount, step: c.step, readyNodes: [...c.readyNodes], unhealthyNodes: [...c.unhealthyNodes],
      failure: c.failure && { ...c.failure },
      upgrade: c.upgrade && { version: c.upgrade.version, upgraded: [...c.upgrade.upgraded], failedOn: c.upgrade.failedOn && { ...c.upgrade.failedOn } },
    },
    allowed: CLUSTER_COMMANDS.filter((t) => snapshot.can({ type: t })),
  };
}

export function toLabView(snapshot: SnapshotFrom<LabMachine>, seq: number): LabView {
  const states = leafPaths(snapshot.value);
  const path = states[0] ?? '';
  const step = stepAt(path);
  const active = LAB_PHASES.indexOf(path.split('.')[0] as LabPhase);
  const c: LabContext = snapshot.context;
  return {
    kind: 'lab',
    seq,
    value: plainValue(snapshot.value),
    states,
    label: step ? `${PHASE_LABELS[step.phase]}: ${step.label}` : 'All four phases done',
    tags: Array.from(snapshot.tags).sort(),
    // `done` is not a phase: every phase is then done (indexOf gives -1).
    phases: LAB_PHASES.map((id, i) => ({
      id,
      label: PHASE_LABELS[id],
      status: active < 0 || i < active ? ('done' as const) : i === active ? ('active' as const) : ('pending' as const),
    })),
    step: step ? { path: step.path, label: step.label, role: step.role, check: step.check } : null,
    context: {
      role: c.role, expectedHosts: c.expectedHosts, profile: c.profile, hasToken: c.token !== null, installer: c.installer,
      installedHosts: [...c.installedHosts], registeredHosts: [...c.registeredHosts], cluster: c.cluster,
      custody: c.custody, handoffs: c.handoffs.map((h) => ({ ...h })),
      lastFailure: c.lastFailure && { ...c.lastFailure },
      // (absent from snapshots saved before drill checks existed)
      drillChecks: Object.fromEntries(Object.entries(c.drillChecks ?? {}).map(([k, v]) => [k, { ...v }])),
    },
    allowed: LAB_COMMANDS.filter((t) => snapshot.can({ type: t })),
  };
}
