// The lab events the simulated Palette appends to its lab's log, by type, as zod schemas: the
// Palette emits exactly these payloads (palette/context.ts `emit`), and a page reads an entry of
// one of these types with the same schema (paletteEventOf). Pure.
import { z } from 'zod';
import { PROVISIONING_STEPS } from '../machines/provisioning';
import { clusterStatuses, healthStatuses } from '../palette/cluster';

export const PALETTE_EVENT_SCHEMAS = {
  'palette.project.created': z.object({ name: z.string() }),
  'palette.token.created': z.object({ name: z.string(), project: z.string().nullable() }),
  'palette.token.deleted': z.object({ name: z.string() }),
  'palette.profile.saved': z.object({ name: z.string(), version: z.string() }),
  'palette.profile.deleted': z.object({ name: z.string(), version: z.string() }),
  /** An admin added the ID (Add Edge Hosts). */
  'palette.host.added': z.object({ hostId: z.string(), project: z.string() }),
  /** A machine asked with auto registration off and waits for an admin. */
  'palette.host.pending': z.object({ hostId: z.string() }),
  'palette.host.registered': z.object({ hostId: z.string(), project: z.string(), method: z.enum(['auto', 'manual']) }),
  /** The host's answer became this refusal (repeats of the same answer are not logged). */
  'palette.host.refused': z.object({ hostId: z.string(), code: z.string(), message: z.string() }),
  'palette.host.deleted': z.object({ hostId: z.string() }),
  'palette.host.health': z.object({ hostId: z.string(), health: z.enum(['healthy', 'unhealthy']) }),
  'palette.host.assigned': z.object({ hostId: z.string(), cluster: z.string() }),
  'palette.host.unassigned': z.object({ hostId: z.string(), cluster: z.string() }),
  'palette.host.provisioning': z.object({ hostId: z.string(), cluster: z.string(), step: z.enum(PROVISIONING_STEPS) }),
  'palette.host.provisioning-failed': z.object({ hostId: z.string(), cluster: z.string(), reason: z.string() }),
  /** The registry drill: the lab registry serves a damaged copy of the repository's provider image from now on. */
  'palette.registry.damaged': z.object({ repository: z.string() }),
  /** The image was pushed again: the registry serves it whole. */
  'palette.registry.pushed': z.object({ repository: z.string() }),
  'palette.cluster.created': z.object({ name: z.string(), nodeCount: z.number().int() }),
  /** health is null while it is not known yet (provisioning without failure, deleting). */
  'palette.cluster.status': z.object({ name: z.string(), status: z.enum(clusterStatuses), health: z.enum(healthStatuses).nullable() }),
  'palette.cluster.deleted': z.object({ name: z.string() }),
  /** A Day-2 pool edit: a host joined the Running cluster as a node. */
  'palette.cluster.node-added': z.object({ name: z.string(), hostId: z.string(), role: z.enum(['control-plane', 'worker']) }),
  /** A Day-2 pool edit: a node left the cluster (its host resets at its next heartbeat). */
  'palette.cluster.node-removed': z.object({ name: z.string(), hostId: z.string(), role: z.enum(['control-plane', 'worker']) }),
  /** A Running cluster is being updated to a newer version of its profile (pure/palette/upgrade.ts). */
  'palette.cluster.upgrade-started': z.object({ name: z.string(), from: z.string(), to: z.string() }),
  /** The host's turn in the roll: it is told at its heartbeat to repave itself with `version`. */
  'palette.host.upgrade-turn': z.object({ hostId: z.string(), cluster: z.string(), version: z.string() }),
  /** The host came up on the new image, its node Ready: it marked the new partition good. */
  'palette.host.upgraded': z.object({ hostId: z.string(), cluster: z.string(), version: z.string() }),
  'palette.cluster.upgrade-completed': z.object({ name: z.string(), version: z.string() }),
  /** A host booted back into its previous partition (`slot`): the roll stopped there. */
  'palette.cluster.upgrade-failed': z.object({ name: z.string(), hostId: z.string(), slot: z.string(), reason: z.string() }),
} as const;

export type PaletteEventType = keyof typeof PALETTE_EVENT_SCHEMAS;
export type PaletteEventPayloads = { [T in PaletteEventType]: z.infer<(typeof PALETTE_EVENT_SCHEMAS)[T]> };
export type PaletteEvent = { [T in PaletteEventType]: { type: T } & PaletteEventPayloads[T] }[PaletteEventType];

export const PALETTE_EVENT_TYPES = Object.keys(PALETTE_EVENT_SCHEMAS) as PaletteEventType[];

const isPaletteType = (type: string): type is PaletteEventType => Object.hasOwn(PALETTE_EVENT_SCHEMAS, type);

/**
 * A log entry (`{type, …payload}`) as the Palette event it is; null when its type is not a Palette
 * event's or its payload is not that type's (a log written by another Edge Lab version).
 */
export function paletteEventOf(entry: { type: string } & Record<string, unknown>): PaletteEvent | null {
  if (!isPaletteType(entry.type)) return null;
  const parsed = PALETTE_EVENT_SCHEMAS[entry.type].safeParse(entry);
  return parsed.success ? ({ type: entry.type, ...parsed.data } as PaletteEvent) : null;
}
