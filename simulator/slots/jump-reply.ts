// The answer to a jump (POST /labs/<id>/jump, and a trainer's fast-forward or reset of a
// learner's lab): the phase checked, the lab put there from its scenario's checkpoints.
import type { Context } from 'hono';
import { CheckpointError } from '../checkpoints/errors';
import { CHECKPOINT_PHASES, isCheckpointPhase } from '../checkpoints/phase-checkpoints';
import type { LabSlot } from './lab-slot';
import { LabQueuedError } from '../labs/lab-manager';

/** `slot`: the slot that holds the lab (its restore puts the lab at the phase). */
const CHECKPOINT_STATUS = { 'build-failed': 500, 'not-found': 404, io: 409, 'disk-low': 507 } as const;

export async function jumpReply(c: Context, slot: Pick<LabSlot, 'restore'>, labId: string, phase: unknown): Promise<Response> {
  if (!isCheckpointPhase(phase)) {
    return c.json({ error: 'bad-request', field: 'phase', message: `[lab-server] phase: one of ${CHECKPOINT_PHASES.join(', ')} (done = the cluster Running)` }, 400);
  }
  try {
    const r = await slot.restore(labId, phase);
    return c.json({ ok: true, ...r });
  } catch (err) {
    if (err instanceof LabQueuedError) return c.json({ error: 'queued', position: err.position, message: err.message }, 503);
    if (err instanceof CheckpointError) return c.json({ error: `checkpoint-${err.code}`, message: err.message }, CHECKPOINT_STATUS[err.code]);
    throw err;
  }
}
