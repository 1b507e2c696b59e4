/**
 * "Jump to phase" for the tab's own lab: POST /labs/<id>/jump puts the lab at the start of a
 * phase (or with its cluster Running) from the lab server's checkpoints. Shown only to sessions
 * that may do it (solo readers and trainers); says "Jumping…", then how long it took or why not.
 * The lab socket closes with 1001 after a jump and the page reconnects by itself.
 */
import { useState, useSyncExternalStore, type ReactNode } from 'react';
import { JUMP_PHASES, jumpPhaseLabel, jumpSettled, jumpWords, mayJumpOwnLab, type JumpState } from '../class/jump-phases';
import type { JumpPhase } from '../class/class-types';
import type { Lab } from '../client/lab';
import { LAB_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import { callLabRoute } from '../client/lab-api';

export function JumpControl(props: { lab: Lab; disabled?: boolean }): ReactNode {
  const { lab } = props;
  const snap = useSyncExternalStore((l) => lab.subscribe(l), () => lab.getSnapshot(), () => lab.getSnapshot());
  const [phase, setPhase] = useState<JumpPhase>('modelProfile');
  const [state, setState] = useState<JumpState>({ status: 'idle' });
  const session = snap.session;
  if (session.status !== 'ready' || !mayJumpOwnLab(session.role)) return null;
  const jumping = state.status === 'jumping';
  const jump = async (): Promise<void> => {
    setState({ status: 'jumping', phase });
    setState(jumpSettled(phase, await callLabRoute(lab.session, LAB_ROUTES.jump, { body: { phase } })));
  };
  return (
    <span data-jump-control data-jump-state={state.status}>
      <label>
        Jump to phase{' '}
        <select data-jump-phase value={phase} onChange={(e) => setPhase(e.target.value as JumpPhase)} disabled={jumping}>
          {JUMP_PHASES.map((p) => <option key={p} value={p}>{jumpPhaseLabel(p)}</option>)}
        </select>
      </label>{' '}
      <button type="button" className="button button--sm button--secondary" onClick={() => void jump()} disabled={jumping || props.disabled}>Jump</button>{' '}
      <span role="status" data-jump-status>{jumpWords(state)}</span>
    </span>
  );
}
