/**
 * The events of the edge-host statechart, and the pure functions that turn what a
 * real host reports (console events, power changes) into them. Three sources:
 * - the user: {@link HOST_COMMANDS} (what the page may send);
 * - the host itself: its console ({@link hostEventFromConsole}) and its power
 *   changes ({@link hostEventFromPower});
 * - the simulated Palette: assignment, provisioning progress, heartbeats.
 */
import type { ConsoleEvent } from '../console-events';
import type { ProvisioningStep } from './provisioning';
import { REGISTRATION_REFUSAL_CODES, type RegistrationRefusalCode } from '../palette/refusals';

/** Commands a person gives a host, in the order a page shows them. */
export const HOST_COMMANDS = ['POWER_ON', 'POWER_BUTTON', 'RESET', 'POWER_OFF', 'INSERT_USB', 'REMOVE_USB', 'RESUME', 'UNPLUG_CABLE', 'PLUG_CABLE', 'FIT_SMALL_DISK', 'FIT_LARGE_DISK', 'SET_CLOCK_BEHIND', 'SET_CLOCK_RIGHT'] as const;
export type HostCommandType = (typeof HOST_COMMANDS)[number];

/** Why the simulated Palette refused a registration (defined once, in pure/palette/refusals.ts). */
export const REFUSAL_CODES = REGISTRATION_REFUSAL_CODES;
export type RefusalCode = RegistrationRefusalCode | 'unknown';

export function toRefusalCode(code: string): RefusalCode {
  return (REFUSAL_CODES as readonly string[]).includes(code) ? (code as RefusalCode) : 'unknown';
}

/**
 * A power change as the simulator's EdgeHost reports it. Declared here, not
 * imported, because that module is Node-only; EdgeHost's `PowerChange` fits it.
 */
export type PowerChangeLike =
  | { state: 'on'; device: 'usb' | 'disk'; cause: 'power-on' | 'reboot' | 'restore' }
  | { state: 'off'; reason: PowerOffReason };

/**
 * Why a host lost power: the guest shut down, a person cut it, its QEMU process
 * ended on its own, or the lab server restarted (a VM does not outlive the
 * server; the server appends this for every host its charts still held on).
 */
export type PowerOffReason = 'guest-poweroff' | 'hard-poweroff' | 'crashed' | 'server-restarted';

export type HostCommand =
  | { type: 'POWER_ON' }
  | { type: 'POWER_BUTTON' }
  | { type: 'RESET' }
  | { type: 'POWER_OFF' }
  /** `image`: path of the stick image; the machine only passes it to the `insertUsb` effect. */
  | { type: 'INSERT_USB'; image: string }
  | { type: 'REMOVE_USB' }
  /** Continue a host QEMU paused because its disk could not grow (after space was freed). */
  | { type: 'RESUME' }
  /**
   * The network cable of the host's site NIC (its only way to Palette) pulled out or put back:
   * QEMU sets that NIC's link down or up (QMP set_link). Like a stick, the cable's state belongs
   * to the box: it holds across power cycles until someone plugs it back in.
   */
  | { type: 'UNPLUG_CABLE' }
  | { type: 'PLUG_CABLE' }
  /**
   * A drill's disk swap, with the host off: a disk below the installer's minimum in place of the
   * host's own (FIT_SMALL_DISK), and the host's own disk back, as it was (FIT_LARGE_DISK).
   */
  | { type: 'FIT_SMALL_DISK' }
  | { type: 'FIT_LARGE_DISK' }
  /**
   * The clock drill, with the host off: its hardware clock (the RTC its kernel reads at boot) set
   * CLOCK_BEHIND_S behind the real time (SET_CLOCK_BEHIND), or right again (SET_CLOCK_RIGHT).
   */
  | { type: 'SET_CLOCK_BEHIND' }
  | { type: 'SET_CLOCK_RIGHT' };

/** How far behind the clock drill sets a host's hardware clock: 3 hours, as a clock set in another time zone. */
export const CLOCK_BEHIND_S = 3 * 3600;

export type HostPowerEvent =
  | { type: 'POWERED_ON'; device: 'usb' | 'disk'; cause: 'power-on' | 'reboot' | 'restore' }
  | { type: 'POWERED_OFF'; reason: PowerOffReason };

export type HostConsoleEvent =
  | { type: 'NO_BOOTABLE_DEVICE'; reason: string }
  | { type: 'INSTALL_STARTED'; version: string }
  | { type: 'INSTALL_STEP'; step: string }
  | { type: 'INSTALL_FAILED'; reason: string; detail: Record<string, string> }
  | { type: 'INSTALL_COMPLETE'; action: 'none' | 'reboot' | 'poweroff' }
  | { type: 'OS_BOOTED'; slot: string; os: string }
  | { type: 'OS_SHUTDOWN' }
  | { type: 'AGENT_READY'; hostId: string; ip: string | null; mac: string }
  | { type: 'AGENT_REGISTERING'; endpoint: string; mode: 'auto' | 'manual' }
  | { type: 'ENDPOINT_UNREACHABLE'; endpoint: string; retrySeconds: number }
  | { type: 'AWAITING_APPROVAL'; hostId: string }
  | { type: 'REGISTERED'; hostId: string; project: string }
  | { type: 'REGISTRATION_REFUSED'; code: RefusalCode }
  | { type: 'NO_ENDPOINT' }
  | { type: 'HEARTBEAT_FAILED' }
  /** The node of a cluster is Ready again after a later boot (its provisioning was done before). */
  | { type: 'NODE_READY_AGAIN' }
  /** The node took the cluster's VIP, or let it go (`vip` null); `clash`: the MAC of another machine that answers for it. */
  | { type: 'VIP_CHANGED'; vip: string | null; clash?: string }
  /** The etcd leader this node's member sees changed: its LAN address, or null for none. */
  | { type: 'ETCD_LEADER_CHANGED'; leader: string | null }
  /** Its NTP client set the clock from `server`; `offsetS`: how far off it was (server − host). */
  | { type: 'CLOCK_SYNCED'; server: string; offsetS: number }
  /** Its NTP client had no answer from `server`. */
  | { type: 'CLOCK_UNSYNCED'; server: string }
  /** Its etcd member found a peer's clock `drift` off (etcd's words), or stopped finding it (null). */
  | { type: 'CLOCK_DRIFT'; peer: string; drift: string | null };

/**
 * QEMU stopped the VM because a write to its disk failed for want of space (werror=enospc), and
 * ran it again. Not a power change: the guest keeps its memory and goes on where it stopped.
 */
export type HostIoEvent =
  | { type: 'IO_PAUSED'; operation: 'read' | 'write'; nospace: boolean; reason: string }
  | { type: 'IO_RESUMED' };

/** Facts only the (simulated) Palette knows: assignment to a cluster and what follows. */
export type HostPaletteEvent =
  | { type: 'ASSIGNED'; cluster: string }
  | { type: 'UNASSIGNED' }
  | { type: 'PROVISIONING_STEP'; step: ProvisioningStep }
  | { type: 'PROVISIONING_FAILED'; reason: string }
  | { type: 'HEARTBEAT_OK' };

/** The simulator could not carry out a command (e.g. the USB image is missing). */
export type HostCommandFailed = { type: 'COMMAND_FAILED'; command: HostCommandType; message: string };

export type HostEvent = HostCommand | HostPowerEvent | HostConsoleEvent | HostPaletteEvent | HostIoEvent | HostCommandFailed;

/**
 * One console event to a machine event, or null when it means nothing to the chart:
 * - `firmware.boot`: the power change that precedes it carries the same boot device
 *   and routes the boot (see {@link hostEventFromPower}); routing on both would boot twice.
 * - `boot.slot`, `power.button`, `power.watching`, `floor.ready`: progress the chart does not model.
 * - `machine-id`, `machine-ip`: the human lines; `agent.ready` carries both values.
 * - `unknown`: not a contract.
 * - `provision.step`, `provision.failed`: the host prints them as it also reports
 *   them to Palette (palette-api.md, "Provisioning reports"). Palette's reports
 *   drive both charts (PROVISIONING_STEP / PROVISIONING_FAILED, one report to one
 *   event for the host and one for its cluster); mapping the console copies as
 *   well would count every step twice.
 */
export function hostEventFromConsole(e: ConsoleEvent): HostConsoleEvent | null {
  switch (e.type) {
    case 'firmware.no-bootable-device': return { type: 'NO_BOOTABLE_DEVICE', reason: e.reason };
    case 'install.started': return { type: 'INSTALL_STARTED', version: e.version };
    case 'install.step': return { type: 'INSTALL_STEP', step: e.step };
    case 'install.failed': return { type: 'INSTALL_FAILED', reason: e.reason, detail: e.fields };
    case 'install.complete': return { type: 'INSTALL_COMPLETE', action: e.action };
    case 'os.booted': return { type: 'OS_BOOTED', slot: e.slot, os: e.os };
    case 'os.shutdown': return { type: 'OS_SHUTDOWN' };
    case 'agent.ready': return { type: 'AGENT_READY', hostId: e.hostId, ip: e.ip, mac: e.mac };
    case 'agent.registering': return { type: 'AGENT_REGISTERING', endpoint: e.endpoint, mode: e.mode };
    case 'agent.endpoint-unreachable': return { type: 'ENDPOINT_UNREACHABLE', endpoint: e.endpoint, retrySeconds: e.retrySeconds };
    case 'agent.waiting-for-registration': return { type: 'AWAITING_APPROVAL', hostId: e.hostId };
    case 'agent.registered': return { type: 'REGISTERED', hostId: e.hostId, project: e.project };
    case 'agent.registration-refused': return { type: 'REGISTRATION_REFUSED', code: toRefusalCode(e.code) };
    case 'agent.no-endpoint': return { type: 'NO_ENDPOINT' };
    case 'agent.heartbeat-failed': return { type: 'HEARTBEAT_FAILED' };
    case 'cluster.node-ready': return { type: 'NODE_READY_AGAIN' };
    case 'cluster.vip-held': return { type: 'VIP_CHANGED', vip: e.vip };
    case 'cluster.vip-released': return { type: 'VIP_CHANGED', vip: null };
    case 'cluster.vip-conflict': return { type: 'VIP_CHANGED', vip: null, clash: e.mac };
    case 'cluster.etcd-leader': return { type: 'ETCD_LEADER_CHANGED', leader: e.ip };
    case 'clock.synced': return { type: 'CLOCK_SYNCED', server: e.server, offsetS: e.offsetS };
    case 'clock.unsynced': return { type: 'CLOCK_UNSYNCED', server: e.server };
    case 'cluster.clock-drift': return { type: 'CLOCK_DRIFT', peer: e.peer, drift: e.drift };
    case 'firmware.boot':
    case 'boot.slot':
    case 'power.button':
    case 'power.watching':
    case 'floor.ready':
    case 'provision.step':
    case 'provision.failed':
    case 'machine-id':
    case 'machine-ip':
    case 'unknown':
      return null;
    default: return unreachable(e);
  }
}

/** A power change to a machine event. */
export function hostEventFromPower(c: PowerChangeLike): HostPowerEvent {
  return c.state === 'on' ? { type: 'POWERED_ON', device: c.device, cause: c.cause } : { type: 'POWERED_OFF', reason: c.reason };
}

function unreachable(e: never): never {
  throw new Error(`[host-machine] console event ${JSON.stringify(e)} has no mapping; add it to hostEventFromConsole`);
}
