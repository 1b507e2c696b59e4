/**
 * What a lab panel says when the lab is not simply live: opening, the simulator
 * not answering, the lab gone, reconnecting, a version mismatch. Pure, so every
 * state has a tested sentence and an action, and no panel is ever blank.
 */
import type { LabSnapshot } from '../client';

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
      return { tone: 'warning', text: `Reconnecting to your lab${c.problem ? ` (${c.problem.message})` : ''}; what you see may be a few seconds old.`, action: null };
    case 'stopped':
      if (!c.problem) return { tone: 'info', text: 'The lab is closed on this page.', action: 'retry' };
      return { tone: 'danger', text: c.problem.message, action: c.problem.code === 'version-mismatch' ? 'reload' : 'retry' };
    case 'open':
      return c.view ? null : { tone: 'info', text: 'Waiting for the lab’s first view…', action: null };
  }
}
