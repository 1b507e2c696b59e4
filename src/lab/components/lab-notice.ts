/**
 * What a lab panel says when the lab is not simply live: opening, the simulator
 * not answering, the lab gone, reconnecting, waiting in the queue for a place on
 * this machine, a version mismatch. Pure, so every
 * state has a tested sentence and an action, and no panel is ever blank.
 */
import type { LabSnapshot } from '../client';
import type { LabView } from '../../../simulator/pure/protocol';

export type NoticeAction = 'retry' | 'new-lab' | 'reload';
export interface LabNotice {
  tone: 'info' | 'warning' | 'danger';
  text: string;
  action: NoticeAction | null;
}

/** Null when the lab is open and live: show the lab itself. */
export function labNotice(s: LabSnapshot): LabNotice | null {
  const session = s.session;
  switch (session.status) {
    case 'connecting': return { tone: 'info', text: 'Opening your lab…', action: null };
    case 'simulator-unreachable': return { tone: 'warning', text: session.message, action: 'retry' };
    case 'lab-gone': return { tone: 'warning', text: session.message, action: 'new-lab' };
    case 'error': return { tone: 'danger', text: session.message, action: 'retry' };
    case 'ready': break;
  }
  const c = s.connection;
  switch (c.status) {
    case 'idle':
    case 'connecting':
      return { tone: 'info', text: 'Connecting to your lab…', action: null };
    case 'reconnecting':
      if (c.problem?.code === 'queued') return { tone: 'info', text: queuedWords(c.problem.queuePosition), action: null };
      return { tone: 'warning', text: `Reconnecting to your lab${c.problem ? ` (${c.problem.message})` : ''}; what you see may be a few seconds old.`, action: null };
    case 'stopped':
      if (!c.problem) return { tone: 'info', text: 'The lab is closed on this page.', action: 'retry' };
      return { tone: 'danger', text: c.problem.message, action: c.problem.code === 'version-mismatch' ? 'reload' : 'retry' };
    case 'open':
      return c.view ? null : { tone: 'info', text: 'Waiting for the lab’s first view…', action: null };
  }
}

/** The queue in plain words; the page asks again by itself, so there is nothing to press. */
function queuedWords(position: number | undefined): string {
  const where = position === undefined ? 'You are in the queue' : position === 1 ? 'You are next in the queue' : `You are number ${position} in the queue`;
  return `Your lab is waiting for a free place: this machine runs as many lab hosts as it can. ${where}; your lab starts by itself when a place frees up.`;
}

/**
 * What the lab server says beside the steps while the lab is live (machines/lab-notices.ts): a
 * restart, a host whose VM stopped, a store that cannot write. Each says what to do; none has a
 * button, because the action is on the lab's own parts (power on) or on the machine (free space).
 */
export function serverNotices(view: LabView | null): LabNotice[] {
  const notices = view?.data.notices ?? [];
  return [...notices]
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
    .map((n) => ({ tone: n.severity === 'error' ? 'danger' as const : 'info' as const, text: n.message, action: null }));
}
