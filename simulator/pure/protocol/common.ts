// Building blocks shared by both directions of the lab protocol: the version, lab roles, ids,
// console chunks and the lab view. Pure (zod only): the site and the simulator import the same
// schemas, so what one side sends is exactly what the other side accepts.
import { z } from 'zod';
import { findForbiddenHostIdChar, HOST_ID_MAX_LENGTH } from '../host-id';
import { base64ByteLength, isBase64 } from './base64';
import { LAB_ROLES, type LabRole } from '../roles/vocabulary';
import { HOST_CUSTODIANS, LAB_PHASE_IDS, type HostCustodian } from '../machines/lab.steps';

/**
 * Bumped on any change a peer built from the previous version would reject or misread. Objects
 * are strict (unknown keys are refused), so adding a field is such a change too.
 */
export const PROTOCOL_VERSION = 2;

/** The roles a lab session is opened for (roles/vocabulary.ts); tokens carry one of them. */
export { LAB_ROLES, type LabRole };
export const labRoleSchema = z.enum(LAB_ROLES);

/** Lab ids appear in URLs (`/labs/<id>/…`) unescaped, so they are limited to URL-safe characters. */
export const LAB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const labIdSchema = z
  .string()
  .regex(LAB_ID_PATTERN, { error: 'a lab id is 1-64 letters, digits, _ or -, starting with a letter or digit' });

export const hostIdSchema = z
  .string()
  .min(1, { error: 'a host ID cannot be empty' })
  .max(HOST_ID_MAX_LENGTH, { error: `a host ID has at most ${HOST_ID_MAX_LENGTH} characters` })
  .refine((s) => findForbiddenHostIdChar(s) === undefined, { error: 'a host ID cannot contain whitespace or / ? # & + % , $ ~ ! @ * ( ) { } | = ; : < > \' . ^ "' });

/** Position in a lab's event log; the first event is 1, and 0 means "nothing yet". */
export const seqSchema = z.number().int().nonnegative();
/** Milliseconds since the epoch, from the lab's (injected) clock. */
export const timestampSchema = z.number().int().nonnegative();

/** Largest console chunk in either direction; larger output is split into several messages. */
export const MAX_CONSOLE_CHUNK_BYTES = 64 * 1024;
export const consoleDataSchema = z
  .string()
  .refine(isBase64, { error: 'must be padded base64 (A-Z a-z 0-9 + /, = to a multiple of 4)' })
  .refine((s) => base64ByteLength(s) <= MAX_CONSOLE_CHUNK_BYTES, {
    error: `carries more than ${MAX_CONSOLE_CHUNK_BYTES} bytes; split it into several messages`,
    abort: true,
  });
/** Byte offset of a chunk's first byte in the host's console stream since the lab began. */
export const consoleOffsetSchema = z.number().int().nonnegative();

/** An XState state value: a state name, or nested regions of them. */
export type StateValue = string | { [region: string]: StateValue };
export const stateValueSchema: z.ZodType<StateValue> = z.lazy(() => z.union([z.string(), z.record(z.string(), stateValueSchema)]));

/** Event names the reader may send now, as the statechart's `snapshot.can(…)` decided. */
const allowedSchema = z.array(z.string().min(1));

/**
 * The projection of one statechart (an edge host, a cluster) the pages render. Pages never
 * recompute a guard: `may` is the whole truth about what this reader may do now.
 */
export const machineViewSchema = z.strictObject({
  state: stateValueSchema,
  /** Human label of the current state, e.g. "Registration mode". */
  label: z.string(),
  tags: z.array(z.string()),
  /** Every event the chart accepts now, whoever sends it (the statechart view shows them). */
  allowed: allowedSchema,
  /**
   * Of `allowed`, what the session that receives this view may send now: its role may perform it
   * (roles/permissions.ts) and, for a host, its role has custody of the hosts. The page offers
   * exactly these; the server still refuses anything else.
   */
  may: allowedSchema,
  /** A whitelisted slice of the chart's context; its keys are the chart's business. */
  data: z.record(z.string(), z.json()),
});
export type MachineView = z.infer<typeof machineViewSchema>;

export const PHASE_STATUSES = ['pending', 'active', 'done', 'failed'] as const;
export const phaseViewSchema = z.strictObject({
  /** "model-profile", "install-handoff", "registration" or "cluster-provisioning" (machines/lab.steps.ts PHASE_IDS). */
  id: z.enum(LAB_PHASE_IDS),
  label: z.string(),
  status: z.enum(PHASE_STATUSES),
});
export type PhaseView = z.infer<typeof phaseViewSchema>;

/**
 * An edge host's view: its `data` holds the host chart's context (host.context.ts) plus `hint`, what
 * to do next in words. The fields pages read are typed here; the others pass as JSON.
 */
export const hostViewSchema = machineViewSchema.extend({
  data: z.object({
    usbInserted: z.boolean().optional(),
    /** The site NIC's cable is out: the host cannot reach Palette until someone plugs it back in. */
    cableUnplugged: z.boolean().optional(),
    /** The drill's small disk is in the host instead of its own. */
    smallDisk: z.boolean().optional(),
    /** Its hardware clock is set behind (the clock drill). */
    clockBehind: z.boolean().optional(),
    /** Its NTP client's last word this boot: the clock set from `server` (by `offsetS`), or `server` not answering. */
    clock: z.object({ synced: z.boolean(), server: z.string(), offsetS: z.number().optional() }).nullable().optional(),
    /** Its etcd member's last complaint about a peer's clock. */
    clockDrift: z.object({ peer: z.string(), drift: z.string() }).nullable().optional(),
    /** The ID the agent printed (MachineID), once it did. */
    hostId: z.string().nullable().optional(),
    hint: z.string().nullable().optional(),
    commandError: z.object({ command: z.string(), message: z.string() }).nullable().optional(),
    fault: z.object({ reason: z.string() }).catchall(z.json()).nullable().optional(),
    refusal: z.string().nullable().optional(),
    /** The cluster VIP this host holds now, if any. */
    vip: z.string().nullable().optional(),
    /** The LAN address of the etcd leader this host's member sees, if it reported one. */
    etcdLeader: z.string().nullable().optional(),
    /** The MAC of another machine on the LAN that answers for the VIP this host would hold (the VIP clash drill). */
    vipClash: z.string().nullable().optional(),
  }).catchall(z.json()),
});
export type HostMachineView = z.infer<typeof hostViewSchema>;

/** The lab's step now: what to do, who does it (a role), and where in the lab chart it is. */
export const labStepSchema = z.object({ path: z.string(), label: z.string(), role: z.string() }).catchall(z.json());

/** The lab as a page sees it: the lab chart's own view plus its phases, hosts and clusters. */
export const labViewSchema = machineViewSchema.extend({
  /** The lab chart's context: the step now, custody of the hosts (labCustody), what the lab has recorded, the last failed check. */
  data: z.object({
    step: labStepSchema.nullable().optional(),
    lastFailure: z.object({ message: z.string() }).catchall(z.json()).nullable().optional(),
    /** Each Troubleshooting drill's last "Check my work" answer, by drill id (pure/drills/drill-checks.ts). */
    drillChecks: z.record(z.string(), z.object({ passed: z.boolean(), message: z.string() })).optional(),
    /** The installer built last, and the cluster created, once they are. */
    installer: z.string().nullable().optional(),
    cluster: z.string().nullable().optional(),
    installedHosts: z.array(z.string()).optional(),
    registeredHosts: z.array(z.string()).optional(),
    /** News beside the guide's steps (machines/lab-notices.ts): a restart, a crashed host, a store that cannot write. */
    notices: z.array(z.object({
      kind: z.string(),
      severity: z.enum(['error', 'info']),
      message: z.string(),
      hosts: z.array(z.string()),
    })).optional(),
  }).catchall(z.json()),
  /** When the snapshot behind this view was taken. */
  at: timestampSchema,
  phases: z.array(phaseViewSchema),
  /** Keyed by host ID. */
  hosts: z.record(z.string(), hostViewSchema),
  /** Keyed by cluster name. */
  clusters: z.record(z.string(), machineViewSchema),
});
export type LabView = z.infer<typeof labViewSchema>;

/**
 * Who holds the lab's hosts: IT/Ops on the staging bench until they hand them over to the
 * site (the lab command HAND_OFF), then the site technician (the lab chart's HOST_CUSTODIANS).
 */
export { HOST_CUSTODIANS, type HostCustodian };
export const hostCustodianSchema = z.enum(HOST_CUSTODIANS);
export const hostHandoffSchema = z.strictObject({ from: hostCustodianSchema, to: hostCustodianSchema, what: z.literal('hosts') });
/** The custody part of the lab view: `custody` and `handoffs` (oldest first) in the lab's `data`. */
export const labCustodySchema = z.strictObject({ custody: hostCustodianSchema, handoffs: z.array(hostHandoffSchema) });
export type LabCustody = z.infer<typeof labCustodySchema>;

/** The custody a lab view carries in its `data`, or null when it carries none (or a malformed one). */
export function labCustody(view: Pick<LabView, 'data'>): LabCustody | null {
  const parsed = labCustodySchema.safeParse({ custody: view.data.custody, handoffs: view.data.handoffs });
  return parsed.success ? parsed.data : null;
}

/** A lab log entry: a `type` plus whatever fields that type carries. */
export const labEventSchema = z.looseObject({ type: z.string().min(1) });
export type LabEvent = z.infer<typeof labEventSchema>;

/** Error and result codes are short kebab-case words a program can switch on. */
export const codeSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, { error: 'a code is kebab-case, e.g. not-allowed' });
