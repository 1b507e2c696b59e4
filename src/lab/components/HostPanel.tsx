/**
 * The lab's edge hosts: who holds them (and the handoff to the site when it is
 * due), each one's state in words, what to do next, the buttons this reader may
 * press now (the view's `may`, nothing else), and its serial console.
 */
import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { HostMachineView } from '../../../simulator/pure/protocol';
import { useLabCommand, useLabContext, useLabView } from '../client';
import { hostCommandArgs } from '../client/host-command-args';
import { HostHandoff } from './HostHandoff';
import { hostButtons } from './host-actions';
import styles from './lab.module.css';

// The terminal (xterm.js) is a chunk of its own, loaded when a host is first shown, so the lab's
// first view does not wait for it.
const HostConsole = lazy(() => import('./HostConsole').then((m) => ({ default: m.HostConsole })));

/** Every host of the lab, or only `host` when given. */
export function HostPanel(props: { host?: string; drills?: boolean }): ReactNode {
  const view = useLabView();
  if (!view) return null;
  return (
    <div className={styles.hosts}>
      <HostHandoff />
      {Object.entries(view.hosts).filter(([name]) => !props.host || name === props.host).map(([name, host]) => (
        <HostCard key={name} name={name} host={host} drills={props.drills ?? false} />
      ))}
    </div>
  );
}

function HostCard(props: { name: string; host: HostMachineView; drills: boolean }): ReactNode {
  const { label, may, data } = props.host;
  const lab = useLabContext();
  const command = useLabCommand();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (name: string, stick?: 'installer' | 'site'): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await command({ kind: 'host', hostId: props.name }, name, await hostCommandArgs(lab.session, name, stick));
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.host} data-host={props.name}>
      <p className={styles.hostHead}>
        <strong>{props.name}</strong> · <span data-host-state>{label}</span>
        {data.hostId ? <> · ID <code>{data.hostId}</code></> : null}
        {data.cableUnplugged ? <> · <span data-cable="unplugged">network cable unplugged</span></> : null}
        {data.smallDisk ? <> · <span data-disk="small">a disk too small is in it</span></> : null}
        {data.vipClash ? <> · <span data-vip-clash={data.vipClash}>another machine ({data.vipClash}) answers for the VIP</span></> : null}
        {data.clockBehind ? <> · <span data-clock="behind">its hardware clock is 3 hours behind</span></> : null}
        {data.clock ? <> · <span data-clock-sync={data.clock.synced ? 'synced' : 'unsynced'}>{clockWords(data.clock)}</span></> : null}
        {data.clockDrift ? <> · <span data-clock-drift={data.clockDrift.peer}>etcd: the clock of {data.clockDrift.peer} is {data.clockDrift.drift} off</span></> : null}
      </p>
      {data.hint ? <p className={styles.step}>{data.hint}</p> : null}
      {data.commandError ? <p className={styles.failure}>{data.commandError.message}</p> : null}
      {problem ? <p className={styles.failure} role="status">{problem}</p> : null}
      <div className={styles.buttons}>
        {hostButtons(may, { drills: props.drills }).map((b) => (
          <button key={b.label} type="button" className="button button--secondary button--sm" disabled={busy} onClick={() => void run(b.command, b.stick)}>
            {b.label}
          </button>
        ))}
      </div>
      <Suspense fallback={<p>The console of {props.name} is loading…</p>}>
        <HostConsole hostId={props.name} />
      </Suspense>
    </div>
  );
}

/** What the host's NTP client said last, in a few words. */
function clockWords(c: { synced: boolean; server: string; offsetS?: number }): string {
  if (!c.synced) return `no answer from the time server ${c.server}`;
  const off = c.offsetS ?? 0;
  return Math.abs(off) < 1 ? `clock set from ${c.server}` : `clock set from ${c.server} (it was ${Math.abs(off).toFixed(1)} s ${off < 0 ? 'ahead' : 'behind'})`;
}
