/**
 * A host's serial console in the page (xterm.js): what the host prints, live,
 * and what the reader types goes to the host. The terminal is created once per
 * host and fed only the bytes it has not shown yet.
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, type ReactNode } from 'react';
import { useHostConsole } from '../client';
import { consoleDelta } from './host-actions';
import styles from './lab.module.css';

export function HostConsole(props: { hostId: string }): ReactNode {
  const { console: snapshot, input } = useHostConsole(props.hostId);
  const box = useRef<HTMLDivElement | null>(null);
  const term = useRef<Terminal | null>(null);
  const written = useRef(0);
  const typed = useRef(input);
  typed.current = input;

  useEffect(() => {
    if (!box.current) return undefined;
    const t = new Terminal({ convertEol: true, rows: 18, cols: 100, fontSize: 13, scrollback: 5000 });
    t.open(box.current);
    const sub = t.onData((data) => typed.current(data));
    term.current = t;
    written.current = 0;
    return () => { sub.dispose(); t.dispose(); term.current = null; };
  }, [props.hostId]);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    const delta = consoleDelta(snapshot, written.current);
    if (delta.length > 0) t.write(delta);
    written.current = snapshot.endOffset;
  }, [snapshot]);

  return <div ref={box} className={styles.console} data-host-console={props.hostId} aria-label={`Serial console of ${props.hostId}`} />;
}
