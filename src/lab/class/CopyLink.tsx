/** A link shown in full with a Copy button; says "Copied" for a moment, or why it could not. */
import { useState, type ReactNode } from 'react';
import styles from './class.module.css';

export function CopyLink(props: { href: string; which: string; label: string }): ReactNode {
  const [said, setSaid] = useState<string>('');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(props.href);
      setSaid('Copied');
    } catch {
      setSaid('Copying is blocked here: select the link and copy it by hand');
    }
    setTimeout(() => setSaid(''), 2500);
  };
  return (
    <div className={styles.linkRow}>
      <a className={styles.link} href={props.href} data-class-link={props.which} aria-label={props.label}>{props.href}</a>
      <button type="button" className="button button--sm button--secondary" onClick={() => void copy()} data-copy={props.which}>Copy</button>
      <span role="status" className={styles.small}>{said}</span>
    </div>
  );
}
