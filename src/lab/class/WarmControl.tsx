/** The warm pool: how many labs are ready for learners not here yet, and a count to keep (PUT …/warm). */
import { useState, type FormEvent, type ReactNode } from 'react';
import { setWarm, type ClassServer } from './class-api';
import type { WarmPool } from './class-types';
import { warmCount, warmWords } from './class-view';
import styles from './class.module.css';

export function WarmControl(props: { server: ClassServer; classId: string; secret: string; warm: WarmPool; onChanged: () => void }): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const value = draft ?? String(props.warm.target);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const count = warmCount(value);
    if (count === null) return setProblem('A whole number from 0 to 50.');
    setBusy(true);
    setProblem(null);
    const outcome = await setWarm(props.server, props.classId, props.secret, count);
    setBusy(false);
    if (!outcome.ok) return setProblem(outcome.message);
    setDraft(null);
    props.onChanged();
  };

  return (
    <form className={styles.inline} onSubmit={(e) => void submit(e)} data-class-warm data-warm-ready={props.warm.ready} data-warm-target={props.warm.target}>
      <span>Warm labs: <strong>{warmWords(props.warm)}</strong></span>
      <label className={styles.inline}>
        Keep
        <input name="warm-count" type="number" min={0} max={50} step={1} value={value} onChange={(e) => setDraft(e.target.value)} aria-label="Warm labs to keep ready" />
      </label>
      <button type="submit" className="button button--sm button--secondary" disabled={busy}>{busy ? 'Setting…' : 'Keep ready'}</button>
      {problem ? <span className={styles.failure} role="alert">{problem}</span> : null}
    </form>
  );
}
