import { describe, expect, it } from 'vitest';
import { parseConsoleLine, type ConsoleEvent, type ConsoleEventType } from '../console-events';
import { hostEventFromConsole, hostEventFromPower, toRefusalCode, type HostConsoleEvent, type PowerChangeLike } from './host.events';

// One row per console event type: what the host printed → what the chart receives.
const TABLE: ReadonlyArray<[ConsoleEvent, HostConsoleEvent | null]> = [
  [{ type: 'firmware.boot', device: 'usb' }, null],
  [{ type: 'firmware.no-bootable-device', reason: 'disk-empty' }, { type: 'NO_BOOTABLE_DEVICE', reason: 'disk-empty' }],
  [{ type: 'install.started', version: '1.2' }, { type: 'INSTALL_STARTED', version: '1.2' }],
  [{ type: 'install.step', step: 'partitioned', fields: { disk_mb: '600' } }, { type: 'INSTALL_STEP', step: 'partitioned' }],
  [
    { type: 'install.failed', reason: 'disk-too-small', fields: { need_mb: '540', have_mb: '128' } },
    { type: 'INSTALL_FAILED', reason: 'disk-too-small', detail: { need_mb: '540', have_mb: '128' } },
  ],
  [{ type: 'install.complete', action: 'reboot' }, { type: 'INSTALL_COMPLETE', action: 'reboot' }],
  [{ type: 'boot.slot', slot: 'active' }, null],
  [{ type: 'os.booted', slot: 'active', os: 'edge-lab' }, { type: 'OS_BOOTED', slot: 'active', os: 'edge-lab' }],
  [{ type: 'os.shutdown' }, { type: 'OS_SHUTDOWN' }],
  [{ type: 'power.button' }, null],
  [{ type: 'power.watching' }, null],
  [
    { type: 'agent.ready', hostId: 'edge-1', ip: '10.0.2.15', mac: '52:54:00:00:00:01' },
    { type: 'AGENT_READY', hostId: 'edge-1', ip: '10.0.2.15', mac: '52:54:00:00:00:01' },
  ],
  [{ type: 'agent.registering', endpoint: 'api.palette.lab', mode: 'manual' }, { type: 'AGENT_REGISTERING', endpoint: 'api.palette.lab', mode: 'manual' }],
  [
    { type: 'agent.endpoint-unreachable', endpoint: 'api.palette.lab', retrySeconds: 4 },
    { type: 'ENDPOINT_UNREACHABLE', endpoint: 'api.palette.lab', retrySeconds: 4 },
  ],
  [{ type: 'agent.waiting-for-registration', hostId: 'edge-1' }, { type: 'AWAITING_APPROVAL', hostId: 'edge-1' }],
  [{ type: 'agent.registered', hostId: 'edge-1', project: 'Default' }, { type: 'REGISTERED', hostId: 'edge-1', project: 'Default' }],
  [{ type: 'agent.registration-refused', code: 'duplicate-host-id' }, { type: 'REGISTRATION_REFUSED', code: 'duplicate-host-id' }],
  [{ type: 'agent.no-endpoint' }, { type: 'NO_ENDPOINT' }],
  [{ type: 'agent.heartbeat-failed' }, { type: 'HEARTBEAT_FAILED' }],
  [{ type: 'machine-id', hostId: 'edge-1' }, null],
  [{ type: 'machine-ip', ip: '10.0.2.15' }, null],
  [{ type: 'floor.ready', uptimeSeconds: 2.3 }, null],
  // Palette's provisioning reports drive the charts; the console copies would count twice.
  [{ type: 'provision.step', step: 'image-pulled' }, null],
  [{ type: 'provision.failed', reason: 'image-checksum' }, null],
  [{ type: 'cluster.node-ready' }, { type: 'NODE_READY_AGAIN' }],
  [{ type: 'cluster.vip-held', vip: '10.77.0.100' }, { type: 'VIP_CHANGED', vip: '10.77.0.100' }],
  [{ type: 'cluster.vip-released', vip: '10.77.0.100' }, { type: 'VIP_CHANGED', vip: null }],
  [{ type: 'cluster.vip-conflict', vip: '10.77.0.100', mac: '0e:a1:0a:4d:00:64' }, { type: 'VIP_CHANGED', vip: null, clash: '0e:a1:0a:4d:00:64' }],
  [{ type: 'cluster.etcd-leader', ip: '10.77.0.12' }, { type: 'ETCD_LEADER_CHANGED', leader: '10.77.0.12' }],
  [{ type: 'clock.synced', server: '10.77.0.123', offsetS: -10800.2 }, { type: 'CLOCK_SYNCED', server: '10.77.0.123', offsetS: -10800.2 }],
  [{ type: 'clock.unsynced', server: '10.77.0.123' }, { type: 'CLOCK_UNSYNCED', server: '10.77.0.123' }],
  [{ type: 'cluster.clock-drift', peer: '10.77.0.12', drift: '3h0m0.5s' }, { type: 'CLOCK_DRIFT', peer: '10.77.0.12', drift: '3h0m0.5s' }],
  [{ type: 'unknown', name: 'something.new', fields: {} }, null],
];

describe('hostEventFromConsole', () => {
  it.each(TABLE.map(([e, out]) => [e.type, e, out] as const))('%s', (_type, event, expected) => {
    expect(hostEventFromConsole(event)).toEqual(expected);
  });

  it('has a row for every console event type', () => {
    // Keys of this record are checked by the compiler against ConsoleEventType.
    const all: Record<ConsoleEventType, true> = {
      'firmware.boot': true, 'firmware.no-bootable-device': true, 'install.started': true, 'install.step': true,
      'install.failed': true, 'install.complete': true, 'boot.slot': true, 'os.booted': true, 'os.shutdown': true,
      'power.button': true, 'power.watching': true, 'agent.ready': true, 'agent.registering': true,
      'agent.endpoint-unreachable': true, 'agent.waiting-for-registration': true, 'agent.registered': true,
      'agent.registration-refused': true, 'agent.no-endpoint': true, 'agent.heartbeat-failed': true,
      'machine-id': true, 'machine-ip': true, 'floor.ready': true, 'provision.step': true, 'provision.failed': true, 'cluster.node-ready': true,
      'cluster.vip-held': true, 'cluster.vip-released': true, 'cluster.vip-conflict': true, 'cluster.etcd-leader': true,
      'clock.synced': true, 'clock.unsynced': true, 'cluster.clock-drift': true, unknown: true,
    };
    expect(new Set(TABLE.map(([e]) => e.type))).toEqual(new Set(Object.keys(all)));
  });

  it('maps what the guest really prints (parsed line → machine event)', () => {
    const e = parseConsoleLine('EDGE-EVENT agent.registration-refused code=token-unknown t=12.5');
    expect(e && hostEventFromConsole(e)).toEqual({ type: 'REGISTRATION_REFUSED', code: 'token-unknown' });
    const held = parseConsoleLine('EDGE-EVENT cluster.vip-held vip=10.77.0.100 t=40.1');
    expect(held && hostEventFromConsole(held)).toEqual({ type: 'VIP_CHANGED', vip: '10.77.0.100' });
    const leader = parseConsoleLine('EDGE-EVENT cluster.etcd-leader ip=10.77.0.13 t=41.0');
    expect(leader && hostEventFromConsole(leader)).toEqual({ type: 'ETCD_LEADER_CHANGED', leader: '10.77.0.13' });
    const none = parseConsoleLine('EDGE-EVENT cluster.etcd-leader ip=none t=52.0');
    expect(none && hostEventFromConsole(none)).toEqual({ type: 'ETCD_LEADER_CHANGED', leader: null });
  });
});

describe('toRefusalCode', () => {
  it.each([
    ['token-unknown', 'token-unknown'],
    ['token-expired', 'token-expired'],
    ['project-missing', 'project-missing'],
    ['project-unknown', 'project-unknown'], // was missing from the host's copy of the list: the page showed the generic hint
    ['duplicate-host-id', 'duplicate-host-id'],
    ['host-limit', 'host-limit'],
    ['host-unknown', 'unknown'], // a heartbeat refusal, never a registration one
    ['', 'unknown'],
  ])('%j → %s', (raw, code) => {
    expect(toRefusalCode(raw)).toBe(code);
  });
});

describe('hostEventFromPower', () => {
  it.each<[PowerChangeLike, unknown]>([
    [{ state: 'on', device: 'usb', cause: 'power-on' }, { type: 'POWERED_ON', device: 'usb', cause: 'power-on' }],
    [{ state: 'on', device: 'disk', cause: 'reboot' }, { type: 'POWERED_ON', device: 'disk', cause: 'reboot' }],
    [{ state: 'off', reason: 'guest-poweroff' }, { type: 'POWERED_OFF', reason: 'guest-poweroff' }],
    [{ state: 'off', reason: 'crashed' }, { type: 'POWERED_OFF', reason: 'crashed' }],
  ])('%j', (change, expected) => {
    expect(hostEventFromPower(change)).toEqual(expected);
  });
});
