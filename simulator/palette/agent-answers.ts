// What an edge host was last told, so that a refusal repeated on every retry (the agent asks
// again every 10 s) is logged once: palette.host.refused is appended only when the answer differs
// from the previous one. Accepted answers of any kind count as one answer, `ok`.
//
// IDs without an edge host record are bounded. Anyone at a guest's console can reach the agent
// endpoint and send a heartbeat for a made-up ID; were each new ID remembered and logged, a loop
// of random IDs would grow the store and the lab's log without end. So answers to IDs Palette
// has a record of (added, pending, registered) are kept as they are; answers to IDs it has none
// of hold one of UNKNOWN_ANSWER_SLOTS slots per lab. A new unknown ID gets a free slot, or one
// held longer than UNKNOWN_ANSWER_HOLD_MS (that answer is pruned); when none is free its answer
// is still given but neither remembered nor logged, and its next retry tries again.
//
// Why slots rather than "the 16 most recent" or a per-minute event budget: with "most recent",
// every new ID would still be logged, so the log grows anyway; with a budget the answer records
// still need their own bound, and a real host's refusal met while the budget is spent would be
// remembered unlogged, so never logged. With slots, both the records and the events are bounded
// (at most UNKNOWN_ANSWER_SLOTS per hold time), and a real host (e.g. one whose record the admin
// deleted: it heartbeats `host-unknown`, then registers again) is logged as before when no flood
// is under way, or at a retry once a slot is free. Its registration, which creates its record,
// is logged in any case.
import { consoleSafe } from '../pure/palette';
import type { Tx } from './context';
import type { AgentRefusal, AgentRefusalCode } from './types';

/** Distinct IDs without a host record whose latest answer is kept (and whose refusal is logged). */
export const UNKNOWN_ANSWER_SLOTS = 16;
/** How long an unknown ID's answer holds its slot against newer unknown IDs. */
export const UNKNOWN_ANSWER_HOLD_MS = 10 * 60_000;

export function refusal(code: AgentRefusalCode, message: string): AgentRefusal {
  return { status: 'refused', code, message: consoleSafe(message) };
}

/**
 * Frees what is needed for `hostId` to hold an unknown-ID slot at `at`: true if it may, after
 * pruning expired slots only when every slot is taken (so, without a flood, nothing is pruned).
 */
async function takeUnknownSlot(tx: Tx, hostId: string, at: number): Promise<boolean> {
  const held = (await tx.rec.entries('agent-answer')).filter((e) => e.doc.unknown && e.id !== hostId);
  if (held.length < UNKNOWN_ANSWER_SLOTS) return true;
  const expired = held.filter((e) => at - e.doc.at >= UNKNOWN_ANSWER_HOLD_MS).sort((a, b) => a.doc.at - b.doc.at);
  const needed = held.length - UNKNOWN_ANSWER_SLOTS + 1;
  if (expired.length < needed) return false;
  for (const e of expired.slice(0, needed)) await tx.rec.remove('agent-answer', e.id);
  return true;
}

/** `known`: Palette has an edge host record of `hostId` (see above for IDs it has none of). */
export async function recordAnswer(
  tx: Tx, hostId: string, reply: { status: string; code?: string; message?: string }, at: number, known: boolean,
): Promise<void> {
  const answer = reply.status === 'refused' ? `refused ${reply.code ?? ''} ${reply.message ?? ''}` : reply.status === 'pending' ? 'pending' : 'ok';
  const prev = await tx.rec.get('agent-answer', hostId);
  if (prev?.answer === answer) {
    // The same answer, now to an ID with a record (its ID was added meanwhile): it no longer holds a slot.
    if (known && prev.unknown) await tx.rec.put('agent-answer', hostId, { ...prev, unknown: false });
    return;
  }
  if (!known && !(await takeUnknownSlot(tx, hostId, at))) return;
  await tx.rec.put('agent-answer', hostId, { answer, at, unknown: !known });
  if (reply.status === 'refused') await tx.emit('palette.host.refused', { hostId, code: reply.code ?? '', message: reply.message ?? '' });
}
