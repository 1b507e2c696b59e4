/**
 * What the edge-host chart remembers besides its state, and the one pure function
 * that records the facts an event carries. The chart decides *whether* an event is
 * taken (states and guards); {@link recordFact} only says what it leaves behind.
 */
import type { HostCommandType, HostEvent, PowerOffReason, RefusalCode } from './host.events';
import type { ProvisioningStep } from './provisioning';

export interface HostFault {
  /** e.g. `disk-too-small`, `disk-empty`, `usb-not-bootable`, or a provisioning failure. */
  reason: string;
  detail: Readonly<Record<string, string>>;
}

export interface HostContext {
  /** A USB stick is in the host (set by the commands; undone if the simulator reports they failed). */
  usbInserted: boolean;
  /** The site NIC's cable is out (UNPLUG_CABLE; undone by PLUG_CABLE, or if the simulator reports the command failed). */
  cableUnplugged: boolean;
  /** The drill's small disk is in the host instead of its own (FIT_SMALL_DISK; undone by FIT_LARGE_DISK). */
  smallDisk: boolean;
  /** Its hardware clock is set CLOCK_BEHIND_S behind (SET_CLOCK_BEHIND; undone by SET_CLOCK_RIGHT). */
  clockBehind: boolean;
  /** Identity the agent printed; kept across reboots (it is derived from the hardware). */
  hostId: string | null;
  ip: string | null;
  mac: string | null;
  /** Facts of the current boot; cleared when the host powers on again. */
  os: string | null;
  installStep: string | null;
  installAction: 'none' | 'reboot' | 'poweroff' | null;
  fault: HostFault | null;
  endpoint: string | null;
  registrationMethod: 'auto' | 'manual' | null;
  retrySeconds: number | null;
  refusal: RefusalCode | null;
  /** Facts Palette holds; they survive reboots. */
  project: string | null;
  cluster: string | null;
  provisioningStep: ProvisioningStep | null;
  lastPowerOff: PowerOffReason | null;
  /**
   * QEMU paused the VM on a failed disk write (its disk lives on the lab server's filesystem, which
   * is full). Kept beside the state, not as one: the host is still installing (or registering…)
   * and goes on from there once resumed. Cleared by IO_RESUMED and by any power change.
   */
  ioPause: { operation: 'read' | 'write'; nospace: boolean; reason: string } | null;
  commandError: { command: HostCommandType; message: string } | null;
  /** The cluster VIP this host holds now (a control-plane node), or null; a fact of the current boot. */
  vip: string | null;
  /** The LAN address of the etcd leader this host's member reported last (a control-plane node of several), or null; a fact of the current boot. */
  etcdLeader: string | null;
  /** The MAC of another machine on the LAN that answers for the cluster VIP this lone control plane would hold, or null; a fact of the current boot. */
  vipClash: string | null;
  /** Its NTP client's last word this boot: the clock set from `server` (by `offsetS`), or `server` not answering; null before. */
  clock: HostClock | null;
  /** Its etcd member's last complaint about a peer's clock (`drift` as etcd prints it, e.g. `3h0m0.52s`), or null; a fact of the current boot. */
  clockDrift: { peer: string; drift: string } | null;
}

export type HostClock = { synced: true; server: string; offsetS: number } | { synced: false; server: string };

export interface HostInput {
  /** The stick is already in when the chart starts (a lab set up by a scenario). */
  usbInserted?: boolean;
}

export function initialHostContext(input: HostInput | undefined): HostContext {
  return {
    usbInserted: input?.usbInserted ?? false,
    cableUnplugged: false,
    smallDisk: false,
    clockBehind: false,
    hostId: null, ip: null, mac: null,
    os: null, installStep: null, installAction: null, fault: null,
    endpoint: null, registrationMethod: null, retrySeconds: null, refusal: null,
    project: null, cluster: null, provisioningStep: null,
    lastPowerOff: null, commandError: null, ioPause: null, vip: null, etcdLeader: null, vipClash: null, clock: null, clockDrift: null,
  };
}

const FRESH_BOOT: Partial<HostContext> = {
  os: null, installStep: null, installAction: null, fault: null,
  endpoint: null, registrationMethod: null, retrySeconds: null, refusal: null,
  lastPowerOff: null, commandError: null, ioPause: null, vip: null, etcdLeader: null, vipClash: null, clock: null, clockDrift: null,
};

/** The context after `event` was taken. Pure; unknown facts leave the context as it is. */
export function recordFact(c: HostContext, event: HostEvent): HostContext {
  switch (event.type) {
    case 'POWERED_ON': return { ...c, ...FRESH_BOOT };
    case 'POWERED_OFF': return { ...c, lastPowerOff: event.reason, ioPause: null, vip: null, etcdLeader: null, vipClash: null, clock: null, clockDrift: null };
    case 'IO_PAUSED': return { ...c, ioPause: { operation: event.operation, nospace: event.nospace, reason: event.reason } };
    case 'IO_RESUMED': return { ...c, ioPause: null };
    // A person starting the host again: the last boot's fault is history from here on (a wait
    // for this boot must not stop on it before the new boot reports).
    case 'POWER_ON':
    case 'RESET': return { ...c, commandError: null, fault: null };
    case 'INSERT_USB': return { ...c, usbInserted: true, commandError: null };
    case 'REMOVE_USB': return { ...c, usbInserted: false, commandError: null };
    case 'UNPLUG_CABLE': return { ...c, cableUnplugged: true, commandError: null };
    case 'PLUG_CABLE': return { ...c, cableUnplugged: false, commandError: null };
    case 'FIT_SMALL_DISK': return { ...c, smallDisk: true, commandError: null };
    case 'FIT_LARGE_DISK': return { ...c, smallDisk: false, commandError: null };
    case 'SET_CLOCK_BEHIND': return { ...c, clockBehind: true, commandError: null };
    case 'SET_CLOCK_RIGHT': return { ...c, clockBehind: false, commandError: null };
    case 'COMMAND_FAILED': {
      // The optimistic USB and cable flags are put back: each is where it was before the command.
      const usb = event.command === 'INSERT_USB' ? false : event.command === 'REMOVE_USB' ? true : c.usbInserted;
      const cableOut = event.command === 'UNPLUG_CABLE' ? false : event.command === 'PLUG_CABLE' ? true : (c.cableUnplugged ?? false);
      const small = event.command === 'FIT_SMALL_DISK' ? false : event.command === 'FIT_LARGE_DISK' ? true : (c.smallDisk ?? false);
      const behind = event.command === 'SET_CLOCK_BEHIND' ? false : event.command === 'SET_CLOCK_RIGHT' ? true : (c.clockBehind ?? false);
      return { ...c, usbInserted: usb, cableUnplugged: cableOut, smallDisk: small, clockBehind: behind, commandError: { command: event.command, message: event.message } };
    }
    case 'NO_BOOTABLE_DEVICE': return { ...c, fault: { reason: event.reason, detail: {} } };
    case 'INSTALL_STEP': return { ...c, installStep: event.step };
    case 'INSTALL_FAILED': return { ...c, fault: { reason: event.reason, detail: { ...event.detail } } };
    case 'INSTALL_COMPLETE': return { ...c, installAction: event.action };
    case 'OS_BOOTED': return { ...c, os: event.os };
    case 'AGENT_READY': return { ...c, hostId: event.hostId, ip: event.ip, mac: event.mac };
    case 'AGENT_REGISTERING': return { ...c, endpoint: event.endpoint, registrationMethod: event.mode };
    case 'ENDPOINT_UNREACHABLE': return { ...c, endpoint: event.endpoint, retrySeconds: event.retrySeconds };
    case 'AWAITING_APPROVAL': return { ...c, hostId: event.hostId, refusal: null, retrySeconds: null };
    case 'REGISTERED': return { ...c, hostId: event.hostId, project: event.project, refusal: null, retrySeconds: null };
    case 'REGISTRATION_REFUSED': return { ...c, refusal: event.code, retrySeconds: null };
    case 'ASSIGNED': return { ...c, cluster: event.cluster, provisioningStep: null, fault: null };
    case 'UNASSIGNED': return { ...c, cluster: null, provisioningStep: null, fault: null };
    case 'PROVISIONING_STEP': return { ...c, provisioningStep: event.step, fault: null };
    case 'PROVISIONING_FAILED': return { ...c, fault: { reason: event.reason, detail: {} } };
    case 'VIP_CHANGED': return { ...c, vip: event.vip, vipClash: event.clash ?? null };
    case 'ETCD_LEADER_CHANGED': return { ...c, etcdLeader: event.leader };
    case 'CLOCK_SYNCED': return { ...c, clock: { synced: true, server: event.server, offsetS: event.offsetS } };
    // A server that stops answering later does not make a set clock wrong: only "never set" is kept.
    case 'CLOCK_UNSYNCED': return c.clock?.synced ? c : { ...c, clock: { synced: false, server: event.server } };
    case 'CLOCK_DRIFT': return { ...c, clockDrift: event.drift === null ? null : { peer: event.peer, drift: event.drift } };
    default: return c;
  }
}
