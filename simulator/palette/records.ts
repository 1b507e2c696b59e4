// The documents the simulated Palette keeps in its lab's store, one kind each, and typed access
// to them. Every read is parsed: a document of the wrong shape is a PaletteError('corrupt'),
// never silently trusted. Ids: project, token, cluster by name; profile by `name@version`;
// edge host and agent answer by host ID; cluster events by `<cluster>.<000001>`.
import { z } from 'zod';
import { PROVISIONING_STEPS } from '../pure/machines/provisioning';
import { clusterProfileSchema, clusterSpecSchema, clusterStatuses } from '../pure/palette';
import type { LabStoreOps } from '../store/types';
import { PaletteError } from './errors';

const time = z.number();
const nullableTime = time.nullable();

export const projectDoc = z.object({ name: z.string(), createdAt: time });

export const tokenDoc = z.object({
  name: z.string(),
  value: z.string(),
  /** Free text; records written before descriptions existed read as ''. */
  description: z.string().default(''),
  project: z.string().nullable(),
  expiresAt: time,
  createdAt: time,
});

export const profileDoc = z.object({ profile: clusterProfileSchema, savedAt: time });

export const hostDoc = z.object({
  hostId: z.string(),
  registration: z.enum(['added', 'pending', 'registered']),
  project: z.string(),
  /** How it became registered; null until then. */
  method: z.enum(['auto', 'manual']).nullable(),
  /** The autoRegister flag of the host's latest request; null before it asked. */
  autoRegister: z.boolean().nullable(),
  hostName: z.string(),
  tags: z.record(z.string(), z.string()),
  /** `host`: tags follow what the agent reports; `palette`: set in Palette, the agent's are ignored. */
  tagsFrom: z.enum(['host', 'palette']),
  ip: z.string(),
  mac: z.string(),
  deviceUuid: z.string(),
  installId: z.string(),
  arch: z.string(),
  cpus: z.number(),
  memoryMb: z.number(),
  os: z.string(),
  addedAt: nullableTime,
  firstSeenAt: nullableTime,
  /** Latest request of any kind from the machine. */
  lastSeenAt: nullableTime,
  registeredAt: nullableTime,
  lastHeartbeatAt: nullableTime,
  /** Health as last logged (palette.host.health); null while not registered. */
  health: z.enum(['healthy', 'unhealthy']).nullable(),
  cluster: z.string().nullable(),
  /** The host has reported a provisioning step for its current assignment. */
  assignmentSeen: z.boolean(),
  /**
   * sha256 (hex) of the host key issued with its latest `registered` answer (host-keys.ts); null
   * before that. Records stored before host keys existed read as null: such a host is refused
   * `host-credential` once, registers again and gets a key.
   */
  keySha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().default(null),
});

/**
 * The last answer a host ID got, so a repeated refusal is logged once. `unknown`: the ID had no
 * edge host record when it was answered; such answers are kept for a bounded number of IDs only
 * (agent-answers.ts). Records stored before the flag existed read as false (kept as before).
 */
export const answerDoc = z.object({ answer: z.string(), at: time, unknown: z.boolean().default(false) });

const nodeDoc = z.object({
  hostId: z.string(),
  nodeName: z.string(),
  role: z.enum(['control-plane', 'worker']),
  /** `10.77.0.11/24`, or '' when neither the wizard nor the lab plan gives one. */
  lanIp: z.string(),
  step: z.enum(PROVISIONING_STEPS).nullable(),
  failure: z.string().nullable(),
  /**
   * Added to the Running cluster (Day-2) rather than created with it: a control plane added so
   * joins the existing etcd instead of bootstrapping a new one. Older records read as false.
   */
  day2: z.boolean().default(false),
  /** The profile version the host last reported it runs after an upgrade; null: the one it was provisioned with. */
  version: z.string().nullable().default(null),
});

/** A node taken out of the cluster (Day-2), whose kube records and etcd member the cluster deletes. */
const removedNodeDoc = z.object({
  hostId: z.string(),
  nodeName: z.string(),
  role: z.enum(['control-plane', 'worker']),
  lanIp: z.string(),
});

/**
 * The latest update to a newer profile version (cluster-upgrade.ts): what the hosts are told to
 * boot, the order they are told in, who is done, and how it ended. Kept after it ends, for the
 * page; records older than upgrades read as null.
 */
const upgradeDoc = z.object({
  from: z.string(),
  to: z.string(),
  k8s: z.object({ pack: z.string(), distribution: z.string(), version: z.string() }),
  image: z.object({ name: z.string(), repository: z.string() }),
  layers: z.array(z.string()),
  order: z.array(z.string()),
  done: z.array(z.string()),
  /** The host that booted back into its previous partition, which stopped the roll. */
  failed: z.object({ hostId: z.string(), slot: z.string(), reason: z.string() }).nullable(),
  startedAt: time,
  endedAt: time.nullable(),
});

export const clusterDoc = z.object({
  uid: z.string(),
  name: z.string(),
  project: z.string(),
  spec: clusterSpecSchema,
  k8s: z.object({ pack: z.string(), distribution: z.string(), version: z.string() }),
  image: z.object({ name: z.string(), repository: z.string() }),
  /** The profile's layers above Kubernetes (clusterLayers); records older than this field read as none. */
  layers: z.array(z.string()).default([]),
  nodes: z.array(nodeDoc),
  /** Nodes removed from the Running cluster, until the same host is added again; older records read as none. */
  removed: z.array(removedNodeDoc).default([]),
  status: z.enum(clusterStatuses),
  /** Health as last logged (palette.cluster.status). */
  health: z.enum(['Healthy', 'Unhealthy']).nullable(),
  createdAt: time,
  /** Number of events written so far; the next event's number is this + 1. */
  eventCount: z.number(),
  upgrade: upgradeDoc.nullable().default(null),
});

export const clusterEventDoc = z.object({
  cluster: z.string(),
  at: time,
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});

/** The registry drill (registry-faults.ts): the registry serves a damaged copy of the repository's blob. Id: the repository. */
export const registryFaultDoc = z.object({ repository: z.string(), damagedAt: time });

export type ProjectDoc = z.infer<typeof projectDoc>;
export type TokenDoc = z.infer<typeof tokenDoc>;
export type ProfileDoc = z.infer<typeof profileDoc>;
export type HostDoc = z.infer<typeof hostDoc>;
export type AnswerDoc = z.infer<typeof answerDoc>;
export type ClusterDoc = z.infer<typeof clusterDoc>;
export type NodeDoc = z.infer<typeof nodeDoc>;
export type RemovedNodeDoc = z.infer<typeof removedNodeDoc>;
export type UpgradeDoc = z.infer<typeof upgradeDoc>;
export type ClusterEventDoc = z.infer<typeof clusterEventDoc>;

const KINDS = {
  project: projectDoc,
  token: tokenDoc,
  profile: profileDoc,
  'edge-host': hostDoc,
  'agent-answer': answerDoc,
  cluster: clusterDoc,
  'cluster-event': clusterEventDoc,
  'registry-fault': registryFaultDoc,
} as const;

export type Kind = keyof typeof KINDS;
/** Every kind of document the simulated Palette keeps (a lab reset removes them all). */
export const PALETTE_DOC_KINDS = Object.keys(KINDS) as Kind[];
export type DocOf<K extends Kind> = z.infer<(typeof KINDS)[K]>;

export const profileId = (name: string, version: string): string => `${name}@${version}`;
export const clusterEventId = (cluster: string, n: number): string => `${cluster}.${String(n).padStart(6, '0')}`;

function parse<K extends Kind>(kind: K, id: string, raw: unknown): DocOf<K> {
  const r = KINDS[kind].safeParse(raw);
  if (r.success) return r.data as DocOf<K>;
  const first = r.error.issues[0];
  throw new PaletteError('corrupt', `stored ${kind} "${id}" is damaged (${first ? `${first.path.join('.')}: ${first.message}` : 'bad shape'}); delete the lab and start it again`);
}

/** Typed reads and writes of one lab's Palette documents, on the store or a transaction. */
export interface Records {
  get<K extends Kind>(kind: K, id: string): Promise<DocOf<K> | undefined>;
  /** Every document of the kind, by id. */
  list<K extends Kind>(kind: K): Promise<DocOf<K>[]>;
  /** Every document of the kind with its id, by id. */
  entries<K extends Kind>(kind: K): Promise<{ id: string; doc: DocOf<K> }[]>;
  put<K extends Kind>(kind: K, id: string, doc: DocOf<K>): Promise<void>;
  remove(kind: Kind, id: string): Promise<boolean>;
}

export function records(ops: LabStoreOps, labId: string): Records {
  return {
    async get(kind, id) {
      const row = await ops.get(labId, kind, id);
      return row && parse(kind, id, row.doc);
    },
    async list(kind) {
      return (await ops.list(labId, kind)).map((row) => parse(kind, row.id, row.doc));
    },
    async entries(kind) {
      return (await ops.list(labId, kind)).map((row) => ({ id: row.id, doc: parse(kind, row.id, row.doc) }));
    },
    async put(kind, id, doc) {
      await ops.put(labId, kind, id, doc);
    },
    remove: (kind, id) => ops.remove(labId, kind, id),
  };
}
