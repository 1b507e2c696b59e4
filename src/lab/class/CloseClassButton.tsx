/**
 * "Close this class": after a confirmation, DELETE /classes/<id>. Its warm labs are deleted and its
 * links stop working; learners keep their own labs. A lab server keeps a bounded number of open
 * classes, so a trainer who is done frees a place for the next class. On success the page forgets
 * the class (onClosed) and offers "Open a class" again.
 */
import { useState, type ReactNode } from 'react';
import { closeClass, type ClassServer } from './class-api';
import styles from './class.module.css';

export function CloseClassButton(props: { server: ClassServer; classId: string; secret: string; onClosed: () => void }): ReactNode {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const close = async (): Promise<void> => {
    if (!window.confirm('Close this class? Its link stops working and its warm labs are deleted; learners keep their own labs.')) return;
    setBusy(true);
    setProblem(null);
    const outcome = await closeClass(props.server, props.classId, props.secret);
    setBusy(false);
    if (outcome.ok) props.onClosed();
    else setProblem(`Could not close the class: ${outcome.message}`);
  };
  return (
    <p data-class-close>
      <button type="button" className="button button--sm button--outline button--danger" disabled={busy} onClick={() => void close()}>
        {busy ? 'Closing…' : 'Close this class'}
      </button>
      {problem ? <span className={styles.failure} role="alert"> {problem}</span> : null}
    </p>
  );
}
