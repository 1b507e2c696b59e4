// What an edge host was last told, so that a refusal repeated on every retry (the agent asks
// again every 10 s) is logged once: palette.host.refused is appended only when the answer differs
// from the previous one. Accepted answers of any kind count as one answer, `ok`.
import { consoleSafe } from '../pure/palette';
import type { Tx } from './context';
import type { AgentRefusal, AgentRefusalCode } from './types';

export function refusal(code: AgentRefusalCode, message: string): AgentRefusal {
  return { status: 'refused', code, message: consoleSafe(message) };
}

export async function recordAnswer(tx: Tx, hostId: string, reply: { status: string; code?: string; message?: string }, at: number): Promise<void> {
  const answer = reply.status === 'refused' ? `refused ${reply.code ?? ''} ${reply.message ?? ''}` : reply.status === 'pending' ? 'pending' : 'ok';
  const prev = await tx.rec.get('agent-answer', hostId);
  if (prev?.answer === answer) return;
  await tx.rec.put('agent-answer', hostId, { answer, at });
  if (reply.status === 'refused') await tx.emit('palette.host.refused', { hostId, code: reply.code ?? '', message: reply.message ?? '' });
}
