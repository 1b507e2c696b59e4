/**
 * "Restart this phase": puts the lab back at the start of the phase it is in, from the lab
 * server's phase checkpoints (POST /labs/<id>/jump with that phase): the hosts, Palette and
 * every chart as they were when the phase began. For solo readers and trainers only.
 */
import { useState, type ReactNode } from 'react';
import { stepAt } from '../../../simulator/pure/machines/lab.steps';
import { labStepPath } from '../../../simulator/pure/scenarios/scenario-steps';
import type { LabView } from '../../../simulator/pure/protocol';
import { jumpPhaseLabel, jumpSettled, jumpWords, mayJumpOwnLab, type JumpState } from '../class/jump-phases';
import type { Lab } from '../client/lab';
import { LAB_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import { callLabRoute } from '../client/lab-api';

export function RestartPhase(props: { lab: Lab; view: LabView; role: string | null | undefined; disabled?: boolean }): ReactNode {
  const [state, setState] = useState<JumpState>({ status: 'idle' });
  const phase = stepAt(labStepPath(props.view))?.phase;
  if (!phase || !mayJumpOwnLab(props.role)) return null;
  const restart = async (): Promise<void> => {
    if (!window.confirm(`Put the lab back at the start of ${jumpPhaseLabel(phase)}? What you did in this phase is undone.`)) return;
    setState({ status: 'jumping', phase });
    setState(jumpSettled(phase, await callLabRoute(props.lab.session, LAB_ROUTES.jump, { body: { phase } })));
  };
  return (
    <p data-restart-phase data-jump-state={state.status}>
      <button type="button" className="button button--link button--sm" onClick={() => void restart()} disabled={state.status === 'jumping' || props.disabled}>
        Restart this phase
      </button>{' '}
      <span role="status">{jumpWords(state)}</span>
    </p>
  );
}
