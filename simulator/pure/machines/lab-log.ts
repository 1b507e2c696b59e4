/**
 * The entries of a lab's log (the per-lab event log in the store) and what each
 * one means to the lab's charts. Everything that changes a chart is first
 * appended to the log; the lab runtime then applies entries in seq order with
 * {@link routeEntry}. So the log alone replays a lab, and a page that reconnects
 * with `since=<seq>` sees every change.
 *
 * Entry types, with their payloads:
 * - `host.*`: what a VM did or was told (power changes, console events already
 *   mapped to chart events, commands and their failures, a finished install);
 * - `lab.*`: the lab chart's commands, check results, installers built, restarts;
 * - `palette.*`: written by the simulated Palette (simulator/palette), see there.
 * Pure: the site can import it to read a log.
 */
import type { ClusterEvent } from './cluster.machine';
import type { HostCommand, HostCommandType, HostConsoleEvent, HostEvent, HostIoEvent, PowerChangeLike } from './host.events';
import { hostEventFromPower } from './host.events';
import type { LabCommandType, LabEvent as LabChartEvent } from './lab.machine';
import { clusterEventForStep, PROVISIONING_STEPS, type ProvisioningStep } from './provisioning';

export type LabLogEntry =
  | { type: 'host.power'; host: string; change: PowerChangeLike }
  | { type: 'host.console'; host: string; event: HostConsoleEvent }
  | { type: 'host.command'; host: string; command: HostCommand; role: string }
  | { type: 'host.command-failed'; host: string; command: HostCommandType; message: string }
  | { type: 'host.installed'; host: string }
  /** QEMU paused the VM on a failed disk write, or ran it again. */
  | { type: 'host.io'; host: string; event: HostIoEvent }
  | { type: 'lab.command'; name: LabCommandType; role: string }
  | { type: 'lab.check-result'; event: LabChartEvent; auto: boolean }
  | { type: 'lab.installer-built'; id: string; sha256: string; size: number }
  /** A machine that is not an edge host was put on the lab LAN, or taken off it (the VIP clash drill). */
  | { type: 'lab.lan-device'; change: 'added' | 'removed'; ip: string; mac: string }
  /** The site's time server on the lab LAN was switched on or off (the clock drill). */
  | { type: 'lab.time-server'; on: boolean; ip: string }
  | { type: 'lab.simulator-restarted' }
  /** The lab was reset to its start (RESTART done): every chart starts afresh. */
  | { type: 'lab.reset' }
  /** The lab was put at the start of `phase` from a checkpoint: every chart is the checkpoint's. */
  | { type: 'lab.checkpoint-restored'; phase: string; charts: LabChartsImage }
  /** The lab's running hosts were saved and stopped (idle), or woke from that. */
  | { type: 'lab.suspended' }
  | { type: 'lab.resumed' }
  | { type: `palette.${string}`; [field: string]: unknown };

/** Every chart of a lab and what they do not hold, as saved (xstate persisted snapshots). */
export interface LabChartsImage {
  lab: unknown;
  hosts: Record<string, unknown>;
  clusters: Record<string, unknown>;
  /** VM name → Palette host ID, as the agent reported it. */
  identities: Record<string, string>;
  /** VMs whose install finished at least once. */
  installed: string[];
  /** VM name → installer id of the stick in it. */
  usb: Record<string, string>;
}

/** What applying one entry does; the runtime carries these out in order. */
export type LabInstruction =
  | { to: 'host'; host: string; event: HostEvent }
  | { to: 'lab'; event: LabChartEvent }
  | { to: 'cluster'; cluster: string; event: ClusterEvent }
  | { to: 'new-cluster'; cluster: string; nodeCount: number }
  | { to: 'forget-cluster'; cluster: string }
  /** The agent on VM `host` calls itself `hostId` (Palette's name for it). */
  | { to: 'identity'; host: string; hostId: string }
  | { to: 'installed'; host: string }
  | { to: 'reset' }
  | { to: 'load'; charts: LabChartsImage };

/** Palette's host ID → the lab's VM name; undefined for a host this lab has no VM for. */
export type HostLookup = (hostId: string) => string | undefined;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isStep = (s: string): s is ProvisioningStep => (PROVISIONING_STEPS as readonly string[]).includes(s);

export function routeEntry(e: LabLogEntry, vmOf: HostLookup): LabInstruction[] {
  switch (e.type) {
    case 'host.power': return [{ to: 'host', host: e.host, event: hostEventFromPower(e.change) }];
    case 'host.console': {
      const out: LabInstruction[] = [{ to: 'host', host: e.host, event: e.event }];
      const id = e.event.type === 'AGENT_READY' || e.event.type === 'REGISTERED' || e.event.type === 'AWAITING_APPROVAL' ? e.event.hostId : null;
      if (id) out.unshift({ to: 'identity', host: e.host, hostId: id });
      return out;
    }
    case 'host.command': return [{ to: 'host', host: e.host, event: e.command }];
    case 'host.command-failed': return [{ to: 'host', host: e.host, event: { type: 'COMMAND_FAILED', command: e.command, message: e.message } }];
    case 'host.installed': return [{ to: 'installed', host: e.host }];
    case 'host.io': return [{ to: 'host', host: e.host, event: e.event }];
    case 'lab.command': return [{ to: 'lab', event: { type: e.name } }];
    case 'lab.check-result': return [{ to: 'lab', event: e.event }];
    case 'lab.reset': return [{ to: 'reset' }];
    case 'lab.checkpoint-restored': return [{ to: 'load', charts: e.charts }];
    case 'lab.suspended':
    case 'lab.resumed':
    case 'lab.installer-built':
    case 'lab.lan-device':
    case 'lab.time-server':
    case 'lab.simulator-restarted':
      return [];
    default: return routePalette(e, vmOf);
  }
}

function routePalette(e: { type: string; [k: string]: unknown }, vmOf: HostLookup): LabInstruction[] {
  const hostId = str(e.hostId);
  const vm = hostId ? vmOf(hostId) : undefined;
  const cluster = str(e.cluster);
  const toHost = (event: HostEvent): LabInstruction[] => (vm ? [{ to: 'host', host: vm, event }] : []);
  switch (e.type) {
    case 'palette.host.assigned': return toHost({ type: 'ASSIGNED', cluster });
    case 'palette.host.unassigned': return toHost({ type: 'UNASSIGNED' });
    case 'palette.host.provisioning': {
      const step = str(e.step);
      if (!isStep(step)) return [];
      return [...toHost({ type: 'PROVISIONING_STEP', step }), { to: 'cluster', cluster, event: clusterEventForStep(step, hostId) }];
    }
    case 'palette.host.provisioning-failed': {
      const reason = str(e.reason) || 'unknown';
      return [...toHost({ type: 'PROVISIONING_FAILED', reason }), { to: 'cluster', cluster, event: { type: 'PROVISIONING_FAILED', reason } }];
    }
    case 'palette.host.health': {
      const healthy = e.health === 'healthy';
      const out = toHost({ type: healthy ? 'HEARTBEAT_OK' : 'HEARTBEAT_FAILED' });
      if (cluster) out.push({ to: 'cluster', cluster, event: { type: healthy ? 'NODE_HEALTHY' : 'NODE_UNHEALTHY', host: hostId } });
      return out;
    }
    case 'palette.cluster.created': {
      const n = typeof e.nodeCount === 'number' && e.nodeCount > 0 ? e.nodeCount : 1;
      return [{ to: 'new-cluster', cluster: str(e.name), nodeCount: n }];
    }
    case 'palette.cluster.status':
      return e.status === 'Deleting' ? [{ to: 'cluster', cluster: str(e.name), event: { type: 'DELETING' } }] : [];
    case 'palette.cluster.upgrade-started': return [{ to: 'cluster', cluster: str(e.name), event: { type: 'UPGRADE_STARTED', version: str(e.to) } }];
    case 'palette.host.upgraded': return [{ to: 'cluster', cluster, event: { type: 'NODE_UPGRADED', host: hostId } }];
    case 'palette.cluster.upgrade-completed': return [{ to: 'cluster', cluster: str(e.name), event: { type: 'UPGRADE_COMPLETED' } }];
    case 'palette.cluster.upgrade-failed': return [{ to: 'cluster', cluster: str(e.name), event: { type: 'UPGRADE_FAILED', host: hostId, slot: str(e.slot) } }];
    case 'palette.cluster.deleted': {
      const name = str(e.name);
      return [{ to: 'cluster', cluster: name, event: { type: 'DELETED' } }, { to: 'forget-cluster', cluster: name }];
    }
    default: return [];
  }
}
