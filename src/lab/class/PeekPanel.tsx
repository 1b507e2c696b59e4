/**
 * A read-only look at one learner's host console: GET …/hosts/<vm>/console every 2 s while open,
 * shown as plain text (terminal escapes removed). Nothing typed here reaches the host.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { plainConsoleText } from '../client/console-text';
import { peekConsole, type ClassServer } from './class-api';
import { usePolling } from './use-polling';
import styles from './class.module.css';

export interface PeekTarget {
  labId: string;
  learner: string;
  host: string;
  hostLabel: string;
}

/** The most of a console the panel shows: its end, where the news is. */
const MAX_CHARS = 64 * 1024;

export function PeekPanel(props: { server: ClassServer; classId: string; secret: string; target: PeekTarget; onClose: () => void }): ReactNode {
  const { labId, host } = props.target;
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const pre = useRef<HTMLPreElement>(null);
  const panel = useRef<HTMLElement>(null);
  const atBottom = useRef(true);
  // Below a long table the panel would open out of sight: bring it into view once.
  useEffect(() => panel.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' }), []);

  usePolling(async (alive) => {
    const outcome = await peekConsole(props.server, props.classId, props.secret, labId, host);
    if (!alive()) return;
    if (!outcome.ok) return setProblem(outcome.message);
    const plain = plainConsoleText(typeof outcome.value === 'string' ? outcome.value : '');
    setProblem(null);
    setText(plain.length > MAX_CHARS ? plain.slice(plain.length - MAX_CHARS) : plain);
  }, 2000, true, `${labId}/${host}`);

  // Follow the end of the console unless the trainer scrolled up to read.
  useLayoutEffect(() => {
    const el = pre.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  const onScroll = (): void => {
    const el = pre.current;
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };

  return (
    <section ref={panel} className={`${styles.card} ${styles.peek}`} aria-label={`Console of ${props.target.hostLabel} in ${props.target.learner}'s lab`} data-peek-panel data-lab-id={labId} data-host={host}>
      <div className={styles.inline}>
        <strong>{props.target.learner}: {props.target.hostLabel}</strong>
        <span className={styles.small}>read-only, refreshed every 2 s</span>
        <button type="button" className="button button--sm button--secondary" onClick={props.onClose} data-action="close-peek">Close</button>
      </div>
      {problem ? <p className={styles.failure} role="status">{problem}</p> : null}
      <pre ref={pre} onScroll={onScroll} data-peek-console>{text === null ? 'Reading the console…' : text || '(the console has printed nothing yet)'}</pre>
    </section>
  );
}
