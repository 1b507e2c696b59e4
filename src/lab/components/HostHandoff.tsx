/**
 * Who holds the lab's hosts, at the top of the hosts part, and the
 * "Hand over to the site" button when this session may send HAND_OFF now
 * (handoff.ts decides; the lab server checks again). Renders nothing until the
 * view carries custody.
 */
import { useState, type ReactNode } from 'react';
import { useLabCommand, useLabState } from '../client';
import { HAND_OFF_BUTTON, handoffOffer, type HandoffOffer } from './handoff';
import styles from './lab.module.css';

const inWords = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/^\[lab-client\] /, '');

export function HostHandoff(): ReactNode {
  const { connection } = useLabState();
  const command = useLabCommand();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const offer = connection.view ? handoffOffer(connection.view, connection.role) : null;
  if (!offer) return null;
  const handOff = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await command({ kind: 'lab' }, 'HAND_OFF');
    } catch (err) {
      setProblem(inWords(err));
    } finally {
      setBusy(false);
    }
  };
  return <HandoffNotice offer={offer} busy={busy || connection.status !== 'open'} problem={problem} onHandOff={() => void handOff()} />;
}

/** The notice for an offer: custody in words, who hands over, or the button. */
export function HandoffNotice(props: { offer: HandoffOffer; onHandOff?: () => void; busy?: boolean; problem?: string | null }): ReactNode {
  const { offer } = props;
  return (
    <div data-custody={offer.custody} data-handoff-step={offer.atHandoff ? 'now' : undefined}>
      <p className={styles.step} data-custody-words>{offer.words}</p>
      {offer.waiting ? <p className={`${styles.step} ${styles.role}`}>{offer.waiting}</p> : null}
      {offer.canHandOff && props.onHandOff ? (
        <div className={styles.buttons}>
          <button type="button" className="button button--primary button--sm" disabled={props.busy} onClick={props.onHandOff}>
            {HAND_OFF_BUTTON}
          </button>
        </div>
      ) : null}
      {props.problem ? <p className={styles.failure} role="status">{props.problem}</p> : null}
    </div>
  );
}
