import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { HostInput } from './host.context';
import type { HostEvent } from './host.events';
import { hostMachine } from './host.machine';

/** A host actor whose effects are fakes that only note what was requested. */
function startHost(input?: HostInput) {
  const effects: string[] = [];
  const note = (name: string) => () => { effects.push(name); };
  const actor = createActor(
    hostMachine.provide({
      actions: {
        powerOn: note('powerOn'),
        pressPowerButton: note('pressPowerButton'),
        reset: note('reset'),
        powerOff: note('powerOff'),
        insertUsb: (_, params) => { effects.push(`insertUsb:${params.image}`); },
        removeUsb: note('removeUsb'),
        unplugCable: note('unplugCable'),
        plugCable: note('plugCable'),
        fitSmallDisk: note('fitSmallDisk'),
        fitLargeDisk: note('fitLargeDisk'),
        setClockBehind: note('setClockBehind'),
        setClockRight: note('setClockRight'),
      },
    }),
    { input },
  ).start();
  const send = (...events: HostEvent[]) => { for (const e of events) actor.send(e); };
  return { actor, effects, send, snap: () => actor.getSnapshot() };
}

const ON_USB: HostEvent = { type: 'POWERED_ON', device: 'usb', cause: 'power-on' };
const ON_DISK: HostEvent = { type: 'POWERED_ON', device: 'disk', cause: 'power-on' };
const REBOOT_DISK: HostEvent = { type: 'POWERED_ON', device: 'disk', cause: 'reboot' };
const AGENT_READY: HostEvent = { type: 'AGENT_READY', hostId: 'edge-1', ip: '10.0.2.15', mac: '52:54:00:00:00:01' };
const REGISTERED: HostEvent = { type: 'REGISTERED', hostId: 'edge-1', project: 'Default' };

describe('host machine: the happy path, bench to cluster', () => {
  it('installs from the stick, registers after a power cycle, provisions and runs', () => {
    const { send, snap, effects } = startHost();
    send({ type: 'INSERT_USB', image: '/lab/installer.img' }, { type: 'POWER_ON' }, ON_USB);
    expect(snap().value).toEqual({ powered: 'installerBooted' });

    send({ type: 'INSTALL_STARTED', version: '1.0' }, { type: 'INSTALL_STEP', step: 'partitioned' }, { type: 'INSTALL_COMPLETE', action: 'none' });
    expect(snap().value).toEqual({ powered: 'installed' });
    expect(snap().context.installAction).toBe('none');

    send({ type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' }, { type: 'REMOVE_USB' }, { type: 'POWER_ON' }, ON_DISK);
    expect(snap().value).toEqual({ powered: { registrationMode: 'booting' } });

    send({ type: 'OS_BOOTED', slot: 'active', os: 'edge-lab' }, AGENT_READY, REGISTERED);
    expect(snap().value).toEqual({ powered: { paired: { lifecycle: 'registered', health: 'healthy' } } });
    expect(snap().context).toMatchObject({ hostId: 'edge-1', project: 'Default', os: 'edge-lab' });

    send({ type: 'ASSIGNED', cluster: 'store-42' }, { type: 'PROVISIONING_STEP', step: 'image-pulled' }, { type: 'PROVISIONING_STEP', step: 'partition-switched' });
    // The reboot into the provider OS is part of provisioning, not a new registration.
    send({ type: 'OS_SHUTDOWN' }, REBOOT_DISK, { type: 'PROVISIONING_STEP', step: 'rebooted-into-provider-os' });
    expect(snap().matches({ powered: { paired: { lifecycle: 'provisioning' } } })).toBe(true);

    send({ type: 'PROVISIONING_STEP', step: 'runtime-started' }, { type: 'PROVISIONING_STEP', step: 'node-ready' });
    expect(snap().value).toEqual({ powered: { paired: { lifecycle: 'running', health: 'healthy' } } });
    expect(effects).toEqual(['insertUsb:/lab/installer.img', 'powerOn', 'powerOff', 'removeUsb', 'powerOn']);
  });
});

describe('host machine: the stick left in reinstalls', () => {
  it('goes back to installerBooted when the host restarts from the stick after installing', () => {
    const { send, snap } = startHost({ usbInserted: true });
    send({ type: 'POWER_ON' }, ON_USB, { type: 'INSTALL_STARTED', version: '1.0' }, { type: 'INSTALL_COMPLETE', action: 'reboot' });
    send({ type: 'POWERED_ON', device: 'usb', cause: 'reboot' });
    expect(snap().value).toEqual({ powered: 'installerBooted' });
    expect(snap().context.installAction).toBeNull();
  });

  it('also when a registered host is reset with the stick in', () => {
    const { send, snap, effects } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'INSERT_USB', image: 'i.img' }, { type: 'RESET' });
    expect(effects.at(-1)).toBe('reset');
    send({ type: 'POWERED_ON', device: 'usb', cause: 'reboot' });
    expect(snap().value).toEqual({ powered: 'installerBooted' });
  });
});

describe('host machine: a cluster\'s node after a later boot', () => {
  // Found by the chaos run: a node that crashed after it was Ready came back "Assigned to a
  // cluster" for good, while kubectl on it was refused for the first seconds of the boot.
  it('is assigned until its cluster service says the node is Ready again, then running', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' });
    send({ type: 'PROVISIONING_STEP', step: 'image-pulled' }, { type: 'PROVISIONING_STEP', step: 'node-ready' });
    expect(snap().value).toMatchObject({ powered: { paired: { lifecycle: 'running' } } });

    send({ type: 'POWERED_OFF', reason: 'crashed' }, { type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED);
    expect(snap().value).toMatchObject({ powered: { paired: { lifecycle: 'assigned' } } });
    send({ type: 'NODE_READY_AGAIN' });
    expect(snap().value).toMatchObject({ powered: { paired: { lifecycle: 'running' } } });
  });

  it('keeps who holds the VIP beside the lifecycle, and forgets it when the host loses power', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' });
    send({ type: 'PROVISIONING_STEP', step: 'node-ready' }, { type: 'VIP_CHANGED', vip: '10.77.0.100' });
    expect(snap()).toMatchObject({ value: { powered: { paired: { lifecycle: 'running' } } }, context: { vip: '10.77.0.100' } });
    send({ type: 'VIP_CHANGED', vip: null });
    expect(snap().context.vip).toBeNull();
    send({ type: 'VIP_CHANGED', vip: '10.77.0.100' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' });
    expect(snap().context.vip).toBeNull();
  });

  it('keeps another machine that answers for the VIP (a clash) until the node holds the VIP or loses power', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' });
    send({ type: 'PROVISIONING_STEP', step: 'node-ready' }, { type: 'VIP_CHANGED', vip: null, clash: '0e:a1:0a:4d:00:64' });
    expect(snap().context).toMatchObject({ vip: null, vipClash: '0e:a1:0a:4d:00:64' });
    send({ type: 'VIP_CHANGED', vip: '10.77.0.100' });
    expect(snap().context).toMatchObject({ vip: '10.77.0.100', vipClash: null });
    send({ type: 'VIP_CHANGED', vip: null, clash: '0e:a1:0a:4d:00:64' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' });
    expect(snap().context.vipClash).toBeNull();
  });

  it('keeps the etcd leader its member sees beside the lifecycle, and forgets it when the host loses power', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' });
    send({ type: 'PROVISIONING_STEP', step: 'node-ready' }, { type: 'ETCD_LEADER_CHANGED', leader: '10.77.0.12' });
    expect(snap()).toMatchObject({ value: { powered: { paired: { lifecycle: 'running' } } }, context: { etcdLeader: '10.77.0.12' } });
    send({ type: 'ETCD_LEADER_CHANGED', leader: null });
    expect(snap().context.etcdLeader).toBeNull();
    send({ type: 'ETCD_LEADER_CHANGED', leader: '10.77.0.13' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' });
    expect(snap().context.etcdLeader).toBeNull();
  });

  it('does not count as Ready a node whose provisioning never got there', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' }, { type: 'NODE_READY_AGAIN' });
    expect(snap().value).toMatchObject({ powered: { paired: { lifecycle: 'assigned' } } });
  });
});

describe('host machine: error states', () => {
  it('shows an install failure with its detail until the next power-on', () => {
    const { send, snap } = startHost({ usbInserted: true });
    send({ type: 'POWER_ON' }, ON_USB, { type: 'INSTALL_STARTED', version: '1.0' });
    send({ type: 'INSTALL_FAILED', reason: 'disk-too-small', detail: { need_mb: '540', have_mb: '128' } });
    expect(snap().value).toEqual({ powered: 'installFailed' });
    expect(snap().hasTag('error')).toBe(true);
    expect(snap().context.fault).toEqual({ reason: 'disk-too-small', detail: { need_mb: '540', have_mb: '128' } });

    send({ type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' });
    expect(snap().context.fault?.reason).toBe('disk-too-small');
    send({ type: 'POWER_ON' }, ON_USB);
    expect(snap().context.fault).toBeNull();
  });

  // Found by the chaos run (seed 1): a stick pulled mid-install, then the power cut; the next
  // POWER_ON's wait for the install stopped at once on the last boot's fault, four times over.
  it('forgets the last boot\'s fault as soon as a person powers on or resets, before the boot reports', () => {
    const { send, snap } = startHost({ usbInserted: true });
    send({ type: 'POWER_ON' }, ON_USB, { type: 'INSTALL_STARTED', version: '1.0' }, { type: 'INSTALL_FAILED', reason: 'usb-removed', detail: {} });
    send({ type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' }, { type: 'POWER_ON' });
    expect(snap().value).toEqual('poweringOn');
    expect(snap().context.fault).toBeNull();

    send(ON_USB, { type: 'INSTALL_STARTED', version: '1.0' }, { type: 'INSTALL_FAILED', reason: 'usb-removed', detail: {} }, { type: 'RESET' });
    expect(snap().context.fault).toBeNull();
  });

  it('shows no bootable device for an empty disk', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, { type: 'NO_BOOTABLE_DEVICE', reason: 'disk-empty' });
    expect(snap().value).toEqual({ powered: 'noBootableDevice' });
    expect(snap().context.fault?.reason).toBe('disk-empty');
  });

  it('retries an unreachable endpoint and registers once it answers', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, { type: 'ENDPOINT_UNREACHABLE', endpoint: 'api.palette.lab', retrySeconds: 2 });
    expect(snap().value).toEqual({ powered: { registrationMode: 'endpointUnreachable' } });
    expect(snap().hasTag('retrying')).toBe(true);
    expect(snap().context.retrySeconds).toBe(2);
    send(REGISTERED);
    expect(snap().matches({ powered: 'paired' })).toBe(true);
    expect(snap().context.retrySeconds).toBeNull();
  });

  it.each(['token-unknown', 'token-expired', 'project-missing', 'duplicate-host-id'] as const)('is refused with %s', (code) => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, { type: 'REGISTRATION_REFUSED', code });
    expect(snap().value).toEqual({ powered: { registrationMode: 'registrationRefused' } });
    expect(snap().context.refusal).toBe(code);
  });

  it('waits for manual registration, and stops for good without an endpoint', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, { type: 'AWAITING_APPROVAL', hostId: 'edge-1' });
    expect(snap().value).toEqual({ powered: { registrationMode: 'awaitingApproval' } });
    send({ type: 'NO_ENDPOINT' });
    expect(snap().value).toEqual({ powered: { registrationMode: 'noEndpoint' } });
  });

  it('fails provisioning, and resumes when the agent reports progress again', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' }, { type: 'PROVISIONING_STEP', step: 'image-pulled' });
    send({ type: 'PROVISIONING_FAILED', reason: 'image-pull-failed' });
    expect(snap().matches({ powered: { paired: { lifecycle: 'provisioningFailed' } } })).toBe(true);
    send({ type: 'PROVISIONING_STEP', step: 'image-pulled' });
    expect(snap().matches({ powered: { paired: { lifecycle: 'provisioning' } } })).toBe(true);
    expect(snap().context.fault).toBeNull();
  });

  it('fails provisioning before its first step (the provider image\'s checksum), and resumes on the retry', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' });
    send({ type: 'PROVISIONING_FAILED', reason: 'image-checksum' });
    expect(snap().matches({ powered: { paired: { lifecycle: 'provisioningFailed' } } })).toBe(true);
    expect(snap().context.fault).toEqual({ reason: 'image-checksum', detail: {} });
    send({ type: 'PROVISIONING_STEP', step: 'image-pulled' });
    expect(snap().matches({ powered: { paired: { lifecycle: 'provisioning' } } })).toBe(true);
    expect(snap().context.fault).toBeNull();
  });

  it('turns unhealthy on a failed heartbeat without losing its place in the lifecycle', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' }, { type: 'HEARTBEAT_FAILED' });
    expect(snap().value).toEqual({ powered: { paired: { lifecycle: 'assigned', health: 'unhealthy' } } });
    send({ type: 'HEARTBEAT_OK' });
    expect(snap().value).toEqual({ powered: { paired: { lifecycle: 'assigned', health: 'healthy' } } });
  });
});

describe('host machine: reboots, restores and commands', () => {
  it('re-registers an assigned host into assigned after a reboot', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, REGISTERED, { type: 'ASSIGNED', cluster: 'c1' }, REBOOT_DISK);
    expect(snap().value).toEqual({ powered: { registrationMode: 'booting' } });
    send(AGENT_READY, REGISTERED);
    expect(snap().value).toEqual({ powered: { paired: { lifecycle: 'assigned', health: 'healthy' } } });
  });

  it('ignores the power-on of a checkpoint restore', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, AGENT_READY, { type: 'POWERED_ON', device: 'disk', cause: 'restore' });
    expect(snap().value).toEqual({ powered: { registrationMode: 'agentReady' } });
  });

  it('allows only the commands that make sense now, and requests no effect for the others', () => {
    const { send, snap, effects } = startHost({ usbInserted: true });
    expect(snap().can({ type: 'POWER_ON' })).toBe(true);
    expect(snap().can({ type: 'RESET' })).toBe(false);
    expect(snap().can({ type: 'INSERT_USB', image: 'x' })).toBe(false);
    send({ type: 'INSERT_USB', image: 'second.img' }, { type: 'RESET' });
    expect(effects).toEqual([]);
    send({ type: 'POWER_ON' });
    expect(snap().value).toBe('poweringOn');
    expect(snap().can({ type: 'POWER_ON' })).toBe(false);
    send({ type: 'POWER_BUTTON' });
    expect(effects).toEqual(['powerOn']);
  });

  it('goes back to powered off when the simulator cannot power on', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, { type: 'COMMAND_FAILED', command: 'POWER_ON', message: 'disk image missing' });
    expect(snap().value).toBe('poweredOff');
    expect(snap().context.commandError).toEqual({ command: 'POWER_ON', message: 'disk image missing' });
  });

  it('puts the USB flag back when inserting the stick failed', () => {
    const { send, snap } = startHost();
    send({ type: 'INSERT_USB', image: 'missing.img' });
    expect(snap().context.usbInserted).toBe(true);
    send({ type: 'COMMAND_FAILED', command: 'INSERT_USB', message: 'USB image missing.img does not exist' });
    expect(snap().context.usbInserted).toBe(false);
    expect(snap().can({ type: 'INSERT_USB', image: 'x' })).toBe(true);
  });

  it('shows the guest shutting down after the power button, then powered off', () => {
    const { send, snap, effects } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, { type: 'POWER_BUTTON' }, { type: 'OS_SHUTDOWN' });
    expect(snap().value).toEqual({ powered: 'shuttingDown' });
    send({ type: 'POWERED_OFF', reason: 'guest-poweroff' });
    expect(snap().value).toBe('poweredOff');
    expect(snap().context.lastPowerOff).toBe('guest-poweroff');
    expect(effects).toEqual(['powerOn', 'pressPowerButton']);
  });

  it('keeps an assignment that arrives before the agent says it is registered, then provisions', () => {
    const host = createActor(hostMachine, { input: undefined }).start();
    host.send({ type: 'POWER_ON' });
    host.send({ type: 'POWERED_ON', device: 'disk', cause: 'power-on' });
    host.send({ type: 'AGENT_READY', hostId: 'edge-1', ip: null, mac: 'm' });
    host.send({ type: 'ASSIGNED', cluster: 'c1' });
    expect(host.getSnapshot().context.cluster).toBe('c1');
    host.send({ type: 'REGISTERED', hostId: 'edge-1', project: 'Default' });
    expect(host.getSnapshot().value).toMatchObject({ powered: { paired: { lifecycle: 'assigned' } } });
    host.send({ type: 'PROVISIONING_STEP', step: 'image-pulled' });
    expect(host.getSnapshot().value).toMatchObject({ powered: { paired: { lifecycle: 'provisioning' } } });
    host.stop();
  });
});

describe('the network cable', () => {
  it('is pulled and put back in any state, stays out across power cycles, and is put back where it was if the command failed', () => {
    const { send, snap, effects } = startHost();
    expect(snap().can({ type: 'PLUG_CABLE' })).toBe(false);
    send({ type: 'UNPLUG_CABLE' });
    expect(snap().context.cableUnplugged).toBe(true);
    expect(snap().can({ type: 'UNPLUG_CABLE' })).toBe(false);
    send({ type: 'POWER_ON' }, ON_DISK, { type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' }, { type: 'POWER_ON' }, ON_DISK);
    expect(snap().context.cableUnplugged).toBe(true);
    send({ type: 'PLUG_CABLE' });
    expect(snap().context.cableUnplugged).toBe(false);
    expect(effects.filter((e) => e.endsWith('Cable'))).toEqual(['unplugCable', 'plugCable']);

    send({ type: 'UNPLUG_CABLE' }, { type: 'COMMAND_FAILED', command: 'UNPLUG_CABLE', message: 'set_link refused' });
    expect(snap().context.cableUnplugged).toBe(false);
    expect(snap().context.commandError).toEqual({ command: 'UNPLUG_CABLE', message: 'set_link refused' });
  });
});

describe('the drill\'s small disk', () => {
  it('is swapped in and out only with the power off, and put back where it was if the swap failed', () => {
    const { send, snap, effects } = startHost();
    expect(snap().can({ type: 'FIT_LARGE_DISK' })).toBe(false);
    send({ type: 'FIT_SMALL_DISK' });
    expect(snap().context.smallDisk).toBe(true);
    expect(snap().can({ type: 'FIT_SMALL_DISK' })).toBe(false);
    send({ type: 'POWER_ON' }, ON_DISK);
    // Running: no swap either way; the small disk stays in.
    expect(snap().can({ type: 'FIT_LARGE_DISK' })).toBe(false);
    send({ type: 'FIT_LARGE_DISK' });
    expect(snap().context.smallDisk).toBe(true);
    send({ type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' }, { type: 'FIT_LARGE_DISK' });
    expect(snap().context.smallDisk).toBe(false);
    expect(effects.filter((e) => e.endsWith('Disk'))).toEqual(['fitSmallDisk', 'fitLargeDisk']);

    send({ type: 'FIT_SMALL_DISK' }, { type: 'COMMAND_FAILED', command: 'FIT_SMALL_DISK', message: 'powered on' });
    expect(snap().context.smallDisk).toBe(false);
  });
});

describe('the clock drill', () => {
  it('sets the hardware clock behind and right only with the power off, and undoes a set that failed', () => {
    const { send, snap, effects } = startHost();
    expect(snap().can({ type: 'SET_CLOCK_RIGHT' })).toBe(false);
    send({ type: 'SET_CLOCK_BEHIND' });
    expect(snap().context.clockBehind).toBe(true);
    send({ type: 'POWER_ON' }, ON_DISK);
    expect(snap().can({ type: 'SET_CLOCK_RIGHT' })).toBe(false);
    send({ type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' }, { type: 'SET_CLOCK_RIGHT' });
    expect(snap().context.clockBehind).toBe(false);
    expect(effects.filter((e) => e.startsWith('setClock'))).toEqual(['setClockBehind', 'setClockRight']);
    send({ type: 'SET_CLOCK_BEHIND' }, { type: 'COMMAND_FAILED', command: 'SET_CLOCK_BEHIND', message: 'powered on' });
    expect(snap().context.clockBehind).toBe(false);
  });

  it('keeps what the NTP client and etcd said of the clock for the current boot only; a set clock stays set when the server goes away', () => {
    const { send, snap } = startHost();
    send({ type: 'POWER_ON' }, ON_DISK, { type: 'CLOCK_UNSYNCED', server: '10.77.0.123' });
    expect(snap().context.clock).toEqual({ synced: false, server: '10.77.0.123' });
    send({ type: 'CLOCK_DRIFT', peer: '10.77.0.12', drift: '3h0m0.5s' }, { type: 'CLOCK_SYNCED', server: '10.77.0.123', offsetS: -10800.2 });
    expect(snap().context).toMatchObject({ clock: { synced: true, server: '10.77.0.123', offsetS: -10800.2 }, clockDrift: { peer: '10.77.0.12', drift: '3h0m0.5s' } });
    send({ type: 'CLOCK_UNSYNCED', server: '10.77.0.123' }, { type: 'CLOCK_DRIFT', peer: '10.77.0.12', drift: null });
    expect(snap().context).toMatchObject({ clock: { synced: true }, clockDrift: null });
    send({ type: 'CLOCK_DRIFT', peer: '10.77.0.13', drift: '2s' }, { type: 'POWER_OFF' }, { type: 'POWERED_OFF', reason: 'hard-poweroff' });
    expect(snap().context).toMatchObject({ clock: null, clockDrift: null });
  });
});
