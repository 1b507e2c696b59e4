/**
 * Sample events for walking the host chart with xstate/graph (the model-based tests
 * and the view's "allowed" check share them), and the key that tells two of its
 * states apart.
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { HostEvent } from './host.events';

// One concrete event per kind the chart reacts to (several where a payload routes differently).
export const HOST_SAMPLE_EVENTS: readonly HostEvent[] = [
  { type: 'POWER_ON' }, { type: 'POWER_BUTTON' }, { type: 'RESET' }, { type: 'POWER_OFF' },
  { type: 'INSERT_USB', image: 'installer.img' }, { type: 'REMOVE_USB' },
  { type: 'POWERED_ON', device: 'usb', cause: 'power-on' }, { type: 'POWERED_ON', device: 'disk', cause: 'power-on' },
  { type: 'POWERED_ON', device: 'disk', cause: 'reboot' }, { type: 'POWERED_ON', device: 'disk', cause: 'restore' },
  { type: 'POWERED_OFF', reason: 'hard-poweroff' },
  { type: 'COMMAND_FAILED', command: 'POWER_ON', message: 'no disk' },
  { type: 'COMMAND_FAILED', command: 'INSERT_USB', message: 'no image' },
  { type: 'NO_BOOTABLE_DEVICE', reason: 'disk-empty' },
  { type: 'INSTALL_STARTED', version: '1.0' }, { type: 'INSTALL_STEP', step: 'partitioned' },
  { type: 'INSTALL_FAILED', reason: 'disk-too-small', detail: {} }, { type: 'INSTALL_COMPLETE', action: 'none' },
  { type: 'OS_BOOTED', slot: 'active', os: 'edge-lab' }, { type: 'OS_SHUTDOWN' },
  { type: 'AGENT_READY', hostId: 'edge-1', ip: null, mac: 'm' },
  { type: 'AGENT_REGISTERING', endpoint: 'api.palette.lab', mode: 'auto' },
  { type: 'ENDPOINT_UNREACHABLE', endpoint: 'api.palette.lab', retrySeconds: 1 },
  { type: 'AWAITING_APPROVAL', hostId: 'edge-1' },
  { type: 'REGISTERED', hostId: 'edge-1', project: 'Default' },
  { type: 'REGISTRATION_REFUSED', code: 'token-unknown' },
  { type: 'NO_ENDPOINT' }, { type: 'HEARTBEAT_FAILED' }, { type: 'HEARTBEAT_OK' }, { type: 'NODE_READY_AGAIN' },
  { type: 'VIP_CHANGED', vip: '10.77.0.100' }, { type: 'VIP_CHANGED', vip: null },
  { type: 'ETCD_LEADER_CHANGED', leader: '10.77.0.12' }, { type: 'ETCD_LEADER_CHANGED', leader: null },
  { type: 'ASSIGNED', cluster: 'c1' }, { type: 'UNASSIGNED' },
  { type: 'PROVISIONING_STEP', step: 'image-pulled' }, { type: 'PROVISIONING_STEP', step: 'node-ready' },
  { type: 'PROVISIONING_FAILED', reason: 'image-pull-failed' },
  { type: 'IO_PAUSED', operation: 'write', nospace: true, reason: 'No space left on device' }, { type: 'IO_RESUMED' }, { type: 'RESUME' },
];

/** A state is its value plus the context its guards read; other facts (IDs, steps) do not change behaviour. */
export function hostStateKey(s: AnyMachineSnapshot): string {
  return JSON.stringify([s.value, s.context.usbInserted, s.context.cluster !== null, s.context.ioPause !== null]);
}
