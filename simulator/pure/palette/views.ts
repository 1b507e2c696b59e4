// The simulated Palette's views: the JSON its page API answers with (simulator/palette/http-api.md),
// as zod schemas with the types inferred from them. The server builds values of these types; the
// page parses what it receives with the same schemas (pure/protocol/http-routes.ts). Objects are
// not strict: a page ignores fields it does not know, so the server may add some.
import { z } from 'zod';
import { PROVISIONING_STEPS } from '../machines/provisioning';
import { LAYER_TYPES } from './catalog';
import { clusterSpecSchema, clusterStatuses, healthStatuses } from './cluster';
import { hostStatuses } from './cluster-nodes';
import { clusterProfileSchema } from './profile';

export const projectViewSchema = z.object({
  name: z.string(),
  /** What `stylus.site.projectUid` names (project-uid.ts). */
  uid: z.string(),
  createdAt: z.number(),
});
export type ProjectView = z.infer<typeof projectViewSchema>;

/** A provider image in the lab registry (GET /v1/registry): what the hosts download, and the registry drill's state. */
export const registryImageSchema = z.object({
  repository: z.string(),
  /** The digest Palette announces to the hosts (`sha256:…`). */
  digest: z.string(),
  size: z.number(),
  /** The registry drill: it serves a damaged copy (same size, one byte changed) until the image is pushed again. */
  damaged: z.boolean(),
  damagedAt: z.number().nullable(),
});
export type RegistryImage = z.infer<typeof registryImageSchema>;

export const tokenViewSchema = z.object({
  name: z.string(),
  /** The value for `stylus.site.edgeHostToken`; shown once, at creation (tokenRow leaves it out). */
  value: z.string(),
  /** Free text the tenant admin wrote (Palette's Description field); may be empty. */
  description: z.string().default(''),
  /** Default project; null when the token has none. */
  project: z.string().nullable(),
  expiresAt: z.number(),
  createdAt: z.number(),
  expired: z.boolean(),
});
export type TokenView = z.infer<typeof tokenViewSchema>;

/**
 * A token as Palette's list shows it: no value. Palette shows the value once, when the token is
 * created ("save the token value after creating it"); the list keeps its last characters so a
 * reader can tell which token a host's user data holds.
 */
export const tokenRowSchema = tokenViewSchema.omit({ value: true }).extend({ valueEnd: z.string() });
export type TokenRow = z.infer<typeof tokenRowSchema>;

/** How many of a value's last characters the list shows. */
export const TOKEN_VALUE_END_CHARS = 4;
export const tokenRow = ({ value, ...rest }: TokenView): TokenRow => ({ ...rest, valueEnd: value.slice(-TOKEN_VALUE_END_CHARS) });

export const profileViewSchema = z.object({
  name: z.string(),
  version: z.string(),
  profile: clusterProfileSchema,
  savedAt: z.number(),
  /** Names of the clusters created from this version. */
  usedBy: z.array(z.string()),
});
export type ProfileView = z.infer<typeof profileViewSchema>;

/** One row of the Edge Hosts grid. */
export const edgeHostRowSchema = z.object({
  hostId: z.string(),
  status: z.enum(hostStatuses),
  /** null while Unpaired (the grid's grey icon). */
  health: z.enum(healthStatuses).nullable(),
  registration: z.enum(['added', 'pending', 'registered']),
  method: z.enum(['auto', 'manual']).nullable(),
  tags: z.record(z.string(), z.string()),
  cluster: z.string().nullable(),
  cpus: z.number(),
  memoryMb: z.number(),
  /** What the host reports, or the provider image tag once it is in a cluster. */
  os: z.string(),
  ip: z.string(),
  mac: z.string(),
  arch: z.string(),
  project: z.string(),
  hostName: z.string(),
  firstSeenAt: z.number().nullable(),
  registeredAt: z.number().nullable(),
  lastHeartbeatAt: z.number().nullable(),
});
export type EdgeHostRow = z.infer<typeof edgeHostRowSchema>;

export const clusterNodeViewSchema = z.object({
  hostId: z.string(),
  nodeName: z.string(),
  role: z.enum(['control-plane', 'worker']),
  lanIp: z.string(),
  step: z.enum(PROVISIONING_STEPS).nullable(),
  failure: z.string().nullable(),
  /** The profile version the host runs, as it last reported (after an upgrade) or was provisioned with. */
  version: z.string().optional(),
});
export type ClusterNodeView = z.infer<typeof clusterNodeViewSchema>;

export const clusterViewSchema = z.object({
  uid: z.string(),
  name: z.string(),
  project: z.string(),
  status: z.enum(clusterStatuses),
  /** null while not known yet (provisioning without failure). */
  health: z.enum(healthStatuses).nullable(),
  profile: z.object({ name: z.string(), version: z.string() }),
  k8s: z.object({ pack: z.string(), distribution: z.string(), version: z.string() }),
  image: z.string(),
  vip: z.string(),
  nodes: z.array(clusterNodeViewSchema),
  createdAt: z.number(),
  /** The wizard's data as accepted. */
  spec: clusterSpecSchema,
  /** The latest update to a newer profile version (pure/palette/upgrade.ts); null before the first. */
  upgrade: z.object({
    from: z.string(),
    to: z.string(),
    /** Host IDs in the order they are repaved, those done, and the one told now (null once it ended). */
    order: z.array(z.string()),
    done: z.array(z.string()),
    current: z.string().nullable(),
    state: z.enum(['rolling', 'done', 'failed']),
    failed: z.object({ hostId: z.string(), slot: z.string(), reason: z.string() }).nullable(),
  }).nullish(),
});
export type ClusterView = z.infer<typeof clusterViewSchema>;

export const clusterEventViewSchema = z.object({
  at: z.number(),
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type ClusterEventView = z.infer<typeof clusterEventViewSchema>;

export const clusterDetailSchema = clusterViewSchema.extend({ events: z.array(clusterEventViewSchema) });
export type ClusterDetail = z.infer<typeof clusterDetailSchema>;

/** GET /v1/catalog: the packs a profile may use, by layer, and the provider images the lab's registry holds. */
export const catalogSchema = z.object({
  layers: z.partialRecord(z.enum(LAYER_TYPES), z.string()),
  packs: z.array(z.looseObject({
    name: z.string(),
    displayName: z.string(),
    layer: z.enum(LAYER_TYPES),
    versions: z.array(z.string()),
    distribution: z.string().optional(),
    cnis: z.array(z.string()).optional(),
    multiNode: z.boolean().optional(),
  })),
  providerImages: z.array(z.looseObject({
    name: z.string(),
    os: z.object({ name: z.string(), version: z.string() }),
    k8sDistribution: z.string(),
    k8sVersion: z.string(),
    twoNode: z.boolean(),
    available: z.boolean(),
  })),
});
export type CatalogView = z.infer<typeof catalogSchema>;
