// Status and health of an edge host as the Edge Hosts grid shows them (reference §5): Ready
// (paired, free), In-Use (in a cluster), Unpaired (not paired yet: an ID added by hand that no
// machine has claimed, or a machine waiting for manual registration). Health comes from the
// host's periodic contact: Unhealthy once HEARTBEAT_TIMEOUT_MS pass without one; unpaired hosts
// have no health (the grid's grey icon).
import type { HostStatus } from './cluster-nodes';

/** Lab decision: 60 s, two missed beats of the agent's 30 s heartbeat. */
export const HEARTBEAT_TIMEOUT_MS = 60_000;

export type Registration = 'added' | 'pending' | 'registered';
export type HostHealth = 'healthy' | 'unhealthy';

export function hostStatus(registration: Registration, cluster: string | null): HostStatus {
  if (registration !== 'registered') return 'Unpaired';
  return cluster === null ? 'Ready' : 'In-Use';
}

/** Health of a registered host whose last contact (register or heartbeat) was at `lastContactAt`. */
export function hostHealth(lastContactAt: number, now: number): HostHealth {
  return now - lastContactAt >= HEARTBEAT_TIMEOUT_MS ? 'unhealthy' : 'healthy';
}
