/**
 * The lab's four phases as the lab server's view has them, the step to do now
 * with who does it, and "Check my work" when the view allows CHECK. Renders the
 * view only: every decision (status, allowed commands) comes from the server.
 */
import type { ReactNode } from 'react';
import type { LabView } from '../../../simulator/pure/protocol';
import styles from './lab.module.css';

const STATUS_WORDS: Readonly<Record<string, string>> = { done: 'done', active: 'now', pending: 'next', failed: 'failed' };

interface StepData { step?: { label: string; role: string } | null; lastFailure?: { message: string } | null }

export function PhaseProgress(props: { view: LabView; onCheck?: () => void; checking?: boolean }): ReactNode {
  const { view } = props;
  const data = view.data as StepData;
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
      {data.lastFailure ? <p className={styles.failure} role="status">{data.lastFailure.message}</p> : null}
      {view.allowed.includes('CHECK') && props.onCheck ? (
        <button type="button" className="button button--primary button--sm" onClick={props.onCheck} disabled={props.checking}>
          {props.checking ? 'Checking…' : 'Check my work'}
        </button>
      ) : null}
    </div>
  );
}
