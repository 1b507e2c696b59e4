// The lab events the simulated Palette appends to its lab's log (LabStore.append), by type.
// Consumers (the lab server, the pages) rely on these names and payloads.
import type { ClusterStatus, HealthStatus } from '../pure/palette';
import type { ProvisioningStep } from '../pure/machines/provisioning';

export interface PaletteEventPayloads {
  'palette.project.created': { name: string };
  'palette.token.created': { name: string; project: string | null };
  'palette.token.deleted': { name: string };
  'palette.profile.saved': { name: string; version: string };
  'palette.profile.deleted': { name: string; version: string };
  /** An admin added the ID (Add Edge Hosts). */
  'palette.host.added': { hostId: string; project: string };
  /** A machine asked with auto registration off and waits for an admin. */
  'palette.host.pending': { hostId: string };
  'palette.host.registered': { hostId: string; project: string; method: 'auto' | 'manual' };
  /** The host's answer became this refusal (repeats of the same answer are not logged). */
  'palette.host.refused': { hostId: string; code: string; message: string };
  'palette.host.deleted': { hostId: string };
  'palette.host.health': { hostId: string; health: 'healthy' | 'unhealthy' };
  'palette.host.assigned': { hostId: string; cluster: string };
  'palette.host.unassigned': { hostId: string; cluster: string };
  'palette.host.provisioning': { hostId: string; cluster: string; step: ProvisioningStep };
  'palette.host.provisioning-failed': { hostId: string; cluster: string; reason: string };
  'palette.cluster.created': { name: string; nodeCount: number };
  /** health is null while it is not known yet (provisioning without failure, deleting). */
  'palette.cluster.status': { name: string; status: ClusterStatus; health: HealthStatus | null };
  'palette.cluster.deleted': { name: string };
}

export type PaletteEventType = keyof PaletteEventPayloads;

export const PALETTE_EVENT_TYPES: readonly PaletteEventType[] = [
  'palette.project.created', 'palette.token.created', 'palette.token.deleted',
  'palette.profile.saved', 'palette.profile.deleted',
  'palette.host.added', 'palette.host.pending', 'palette.host.registered', 'palette.host.refused',
  'palette.host.deleted', 'palette.host.health', 'palette.host.assigned', 'palette.host.unassigned',
  'palette.host.provisioning', 'palette.host.provisioning-failed',
  'palette.cluster.created', 'palette.cluster.status', 'palette.cluster.deleted',
];
