/**
 * A clickable command in the guide (<Run host="…">command</Run>): the command,
 * a button that types it into the host's serial console, and what the host
 * printed since, so the reader sees the answer where the text asks for it.
 */
import { useState, type ReactNode } from 'react';
import { useHostConsole, useLabView } from '../client';
import { outputSince } from '../client/console-text';
import styles from './lab.module.css';

export function RunCommandPart(props: { host?: string; command?: string }): ReactNode {
  const host = props.host ?? 'edge-host-1';
  const command = props.command ?? '';
  const view = useLabView();
  const { console: snapshot, input } = useHostConsole(host);
  const [sentAt, setSentAt] = useState<number | null>(null);
  const hostView = view?.hosts[host];
  // A command needs a running host; the console is live in every running state.
  const running = hostView ? !hostView.tags.includes('off') : false;
  const run = (): void => {
    setSentAt(snapshot.endOffset);
    input(`${command}\n`);
  };
  return (
    <div className={styles.run} data-run-command={command} data-host={host}>
      <pre className={styles.runCode}><code>{command}</code></pre>
      <button type="button" className="button button--primary button--sm" onClick={run} disabled={!running}>
        Run on {host}
      </button>
      {!running ? <span className={styles.role}> {hostView ? `${host} is off; power it on first.` : `This lab has no host ${host}.`}</span> : null}
      {sentAt !== null ? <pre className={styles.runOutput} data-run-output aria-live="polite">{outputSince(snapshot, sentAt) || 'Waiting for the host to answer…'}</pre> : null}
    </div>
  );
}
