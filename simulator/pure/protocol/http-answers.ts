// The lab server's HTTP answers that both sides know, as zod schemas: the server builds values of
// these types, the page parses what it receives with the same schemas. Objects are not strict here
// (unlike socket frames): a page ignores fields it does not know, so the server may add some.
import { z } from 'zod';
import { LAB_PHASES } from '../machines/lab.steps';
import { trainerDrillSchema } from '../drills/trainer-drills';

/** A phase a lab can be put at the start of: one of the four, or `done` (the cluster is Running). */
export const jumpPhaseSchema = z.enum([...LAB_PHASES, 'done']);
export type JumpPhase = z.infer<typeof jumpPhaseSchema>;

/** POST …/jump → 200. `ms` is how long putting the lab there took; `built` whether the checkpoints had to be made first. */
export const jumpResultSchema = z.object({ ok: z.literal(true), phase: jumpPhaseSchema, ms: z.number(), built: z.boolean() });
export type JumpResult = z.infer<typeof jumpResultSchema>;

/** POST /classes/<id>/labs/<labId>/hosts/<vm>/drill → 200: the drill's host command went through. */
export const drillResultSchema = z.object({ ok: z.literal(true), drill: trainerDrillSchema, host: z.string() });
export type DrillResult = z.infer<typeof drillResultSchema>;

/** One learner's lab on the class dashboard. */
export const labSummarySchema = z.object({
  labId: z.string(),
  learner: z.string(),
  role: z.string(),
  /** active: its hosts may run; queued: it waits for a place (queuePosition, 1 = next); suspended: set aside; closed: not open now. */
  place: z.enum(['active', 'queued', 'suspended', 'closed']),
  queuePosition: z.number().int().nullable(),
  /** null while the lab's view is not known (it never opened since the server started). */
  phase: jumpPhaseSchema.nullable(),
  step: z.object({ path: z.string(), label: z.string(), role: z.string() }).nullable(),
  /** `cable`: whether the host's network cable is in; `disk`: the host's own disk, or the drill's one that is too small
   * (a trainer's drill, or the learner's, may have changed either: pure/drills/trainer-drills.ts). */
  hosts: z.array(z.object({ name: z.string(), label: z.string(), power: z.enum(['on', 'off']), cable: z.enum(['in', 'out']), disk: z.enum(['own', 'small']), clock: z.enum(['right', 'behind']).optional() })),
  /** ms since the epoch, by the lab server's clock. */
  lastActivityAt: z.number().nullable(),
  lastFailedCheck: z.object({ message: z.string(), at: z.number().nullable() }).nullable(),
  /** The Troubleshooting drills the learner checked, each with its last answer (pure/drills/drill-checks.ts). */
  drills: z.array(z.object({ drill: z.string(), passed: z.boolean(), message: z.string() })).optional(),
  /** A walkthrough's shared lab: who joined it, with which role. */
  members: z.array(z.object({ role: z.string(), joinedAt: z.number() })).optional(),
});
export type LabSummary = z.infer<typeof labSummarySchema>;

/** GET /classes/<id> (the trainer's). */
export const classInfoSchema = z.object({
  classId: z.string(),
  name: z.string(),
  scenario: z.string(),
  capacity: z.object({ maxRunningHosts: z.number(), runningHosts: z.number(), queued: z.number(), warmBudget: z.number() }),
  warm: z.object({ target: z.number(), ready: z.number() }),
  learners: z.object({ max: z.number() }),
  /** The scenario's phase checkpoints (fast-forward and reset use them). */
  checkpoints: z.object({ state: z.enum(['ready', 'making', 'missing']), error: z.string().nullable() }),
  labs: z.array(labSummarySchema),
});
export type ClassInfo = z.infer<typeof classInfoSchema>;

/** An Edge Installer (POST and GET /labs/<id>/installers). */
export const installerSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  /** Bytes of the stick image. */
  size: z.number(),
  createdAt: z.number(),
  /** Files on the stick with their sha256. */
  files: z.record(z.string(), z.string()),
});
export type Installer = z.infer<typeof installerSchema>;
