/**
 * The lab's four phases as the lab server's view has them, the step to do now
 * with who does it, "Check my work" when the view allows CHECK, and "Show me"
 * (the step done for the reader) with what the reader would have done by hand.
 * Renders the view only: every decision (status, allowed commands) comes from
 * the server.
 */
import { useId, type ReactNode } from 'react';
import type { LabView } from '../../../simulator/pure/protocol';
import styles from './lab.module.css';
import { stepOwnership } from './role-words';

const STATUS_WORDS: Readonly<Record<string, string>> = { done: 'done', active: 'now', pending: 'next', failed: 'failed' };

/** Where "Show me" is: not pressed, doing the step, or its outcome. */
export type ShowMeState =
  | { status: 'idle' }
  | { status: 'doing'; label: string }
  | { status: 'done'; label: string; detail: string }
  | { status: 'failed'; label: string; message: string };

export interface ShowMeProps {
  /** One line: what the reader does by hand for the step "Show me" would do. */
  byHand: string;
  state: ShowMeState;
  onShowMe: () => void;
  /** E.g. while the lab is not connected. */
  disabled?: boolean;
}

/** The outcome of "Show me" in words, or '' before it was pressed. */
export function showMeWords(state: ShowMeState): string {
  switch (state.status) {
    case 'idle': return '';
    case 'doing': return `Doing it for you: ${state.label}…`;
    case 'done': return `Done for you: ${state.label}.${state.detail ? ` (${state.detail})` : ''}`;
    case 'failed': return `Could not do “${state.label}” for you: ${state.message}`;
  }
}

export function PhaseProgress(props: { view: LabView; onCheck?: () => void; checking?: boolean; showMe?: ShowMeProps; myRole?: string | null }): ReactNode {
  const { view } = props;
  const { data } = view;
  const owner = data.step ? stepOwnership(data.step.role, props.myRole ?? null) : null;
  // Show me does the step as the reader; a step of another role is theirs to do.
  const showMe = owner && !owner.mine ? undefined : props.showMe;
  const hintId = useId();
  const canCheck = view.may.includes('CHECK') && props.onCheck;
  const doing = showMe?.state.status === 'doing';
  return (
    <div className={styles.progress} data-lab-state={JSON.stringify(view.state)}>
      <ol className={styles.phases}>
        {view.phases.map((p) => (
          <li key={p.id} className={styles[p.status]} data-phase={p.id} data-status={p.status}>
            <span className={styles.phaseLabel}>{p.label}</span> <span className={styles.badge}>{STATUS_WORDS[p.status] ?? p.status}</span>
          </li>
        ))}
      </ol>
      <p className={styles.step}>
        {data.step ? <>Now: <strong>{data.step.label}</strong> <span className={styles.role}>({data.step.role})</span></> : <strong>All four phases are done.</strong>}
      </p>
      {owner?.words ? <p className={`${styles.step} ${styles.role}`} data-step-owner={owner.mine ? 'mine' : 'theirs'}>{owner.words}</p> : null}
      {data.lastFailure ? <p className={styles.failure} role="status">{data.lastFailure.message}</p> : null}
      {canCheck || showMe ? (
        <div className={styles.buttons}>
          {canCheck ? (
            <button type="button" className="button button--primary button--sm" onClick={props.onCheck} disabled={props.checking}>
              {props.checking ? 'Checking…' : 'Check my work'}
            </button>
          ) : null}
          {showMe ? (
            <button type="button" className="button button--secondary button--sm" onClick={showMe.onShowMe} disabled={doing || showMe.disabled} aria-describedby={hintId} data-show-me-button>
              Show me
            </button>
          ) : null}
        </div>
      ) : null}
      {showMe ? <p id={hintId} className={`${styles.step} ${styles.role}`} data-show-me-hint>{`By hand: ${showMe.byHand}`}</p> : null}
      {showMe ? (
        <p role="status" className={showMe.state.status === 'failed' ? styles.failure : styles.step} data-show-me={showMe.state.status}>
          {showMeWords(showMe.state)}
        </p>
      ) : null}
    </div>
  );
}
