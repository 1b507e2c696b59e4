/**
 * The dashboard of one class for its trainer: the links to hand out, the machine's capacity, the
 * warm pool, and one row per learner's lab, refreshed every 2 s. Each state of the lab server's
 * answer is said in words: not answering (Retry), not this class's trainer, no such class, empty.
 */
import { publicOrigin } from '../lab-server-override';
import { useState, type ReactNode } from 'react';
import { getClass, type ClassServer } from './class-api';
import { learnerLink, trainerLink } from './class-links';
import { WalkthroughOpener } from './WalkthroughOpener';
import { CloseClassButton } from './CloseClassButton';
import type { KeptClass } from './class-store';
import type { ClassInfo } from './class-types';
import { capacityWords, checkpointWords, dashboardState, type DashboardState } from './class-view';
import { CopyLink } from './CopyLink';
import { LabRow } from './LabRow';
import { PeekPanel, type PeekTarget } from './PeekPanel';
import { usePolling } from './use-polling';
import { WarmControl } from './WarmControl';
import styles from './class.module.css';

export interface ClassDashboardProps {
  server: ClassServer;
  kept: KeptClass;
  /** Where the learners start (the first guide's path, with the base URL). */
  guidePath: string;
  /** This page's path, with the base URL. */
  classPagePath: string;
  /** Forget this class in this browser and show the "Open a class" form. */
  onOpenNew: () => void;
}

export function ClassDashboard(props: ClassDashboardProps): ReactNode {
  const { server, kept } = props;
  const [state, setState] = useState<DashboardState>({ kind: 'loading' });
  const [peek, setPeek] = useState<PeekTarget | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const stopped = state.kind === 'not-trainer' || state.kind === 'no-class';
  const refresh = usePolling(async (alive) => {
    const outcome = await getClass(server, kept.classId, kept.trainerSecret);
    if (!alive()) return;
    setNow(Date.now());
    setState((before) => dashboardState(outcome, before));
  }, 2000, !stopped, `${server.url} ${kept.classId} ${kept.trainerSecret}`);

  const origin = publicOrigin();
  const info: ClassInfo | null = state.kind === 'ready' ? state.info : 'last' in state ? state.last : null;
  const stale = state.kind !== 'ready';

  return (
    <div data-class-dashboard data-class-id={kept.classId} data-state={state.kind}>
      <p className={styles.hint}>
        Class <code>{kept.classId}</code>{info ? <> · {info.name} · scenario <code>{info.scenario}</code></> : kept.name ? <> · {kept.name}</> : null}
      </p>

      <section className={styles.card} aria-labelledby="class-links-title">
        <h2 id="class-links-title">Links</h2>
        <p className={styles.hint}>Send this link to every learner. Each one who opens it gets a lab of their own in this class.</p>
        {kept.joinCode ? (
          <CopyLink which="learner" label="Learner join link" href={learnerLink(origin, props.guidePath, kept.classId, kept.joinCode)} />
        ) : (
          <p className={styles.failure} data-class-link="learner-unknown">
            This browser does not know the class's join code. Open your trainer link from the browser that opened the class; it carries the code.
          </p>
        )}
        <p className={styles.hint}>Your own link opens this dashboard in another browser. It holds the trainer secret: keep it to yourself.</p>
        <CopyLink which="trainer" label="Your trainer link" href={trainerLink(origin, props.classPagePath, kept.classId, kept.trainerSecret, kept.joinCode)} />
        <p className={styles.hint}>For a team: a shared lab where each person plays one lifecycle role, with one invite link per role.</p>
        <WalkthroughOpener server={server} classId={kept.classId} secret={kept.trainerSecret} origin={origin} guidePath={props.guidePath} onOpened={refresh} />
        <CloseClassButton server={server} classId={kept.classId} secret={kept.trainerSecret} onClosed={props.onOpenNew} />
      </section>

      <Notice state={state} onRetry={refresh} onOpenNew={props.onOpenNew} />

      {info ? (
        <>
          <section className={`${styles.card} ${stale ? styles.stale : ''}`} aria-label="Capacity">
            <div className={styles.facts}>
              <span data-class-capacity data-running={info.capacity.runningHosts} data-max={info.capacity.maxRunningHosts} data-queued={info.capacity.queued}>
                Capacity: <strong>{capacityWords(info.capacity)}</strong>
              </span>
              <WarmControl server={server} classId={kept.classId} secret={kept.trainerSecret} warm={info.warm} onChanged={refresh} />
              {info.checkpoints ? (
                <span data-class-checkpoints={info.checkpoints.state}>
                  Checkpoints: <strong>{checkpointWords(info.checkpoints)}</strong>
                </span>
              ) : null}
            </div>
          </section>

          <section className={`${styles.card} ${stale ? styles.stale : ''}`} aria-labelledby="class-labs-title">
            <h2 id="class-labs-title">Learners</h2>
            {info.labs.length === 0 ? (
              <p data-class-empty>No learners yet — share the link above. Each learner who opens it shows up here.</p>
            ) : (
              <div className={styles.tableWrap}>
                <table className={styles.table} data-class-labs>
                  <thead>
                    <tr>
                      <th scope="col">Learner</th>
                      <th scope="col">Role</th>
                      <th scope="col">Place</th>
                      <th scope="col">Phase</th>
                      <th scope="col">Step</th>
                      <th scope="col">Hosts</th>
                      <th scope="col">Last activity</th>
                      <th scope="col">Last failed check</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {info.labs.map((lab) => (
                      <LabRow key={lab.labId} lab={lab} server={server} classId={kept.classId} secret={kept.trainerSecret} now={now} onPeek={setPeek} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ) : null}

      {peek ? <PeekPanel key={`${peek.labId}/${peek.host}`} server={server} classId={kept.classId} secret={kept.trainerSecret} target={peek} onClose={() => setPeek(null)} /> : null}
    </div>
  );
}

function Notice(props: { state: DashboardState; onRetry: () => void; onOpenNew: () => void }): ReactNode {
  const s = props.state;
  switch (s.kind) {
    case 'ready':
      return null;
    case 'loading':
      return <p role="status">Asking the lab server for the class…</p>;
    case 'unreachable':
    case 'error':
      return (
        <div className={`alert alert--${s.kind === 'unreachable' ? 'warning' : 'danger'}`} role="status" data-class-notice={s.kind}>
          {s.message}{s.last ? ' What shows below is from the last answer.' : ''}{' '}
          <button type="button" className="button button--sm button--secondary" onClick={props.onRetry}>Retry</button>
        </div>
      );
    case 'not-trainer':
      return (
        <div className="alert alert--danger" role="status" data-class-notice="not-trainer">
          The lab server does not accept this browser's trainer secret for this class ({s.message}). Open your trainer link again, or open a new class.{' '}
          <button type="button" className="button button--sm button--secondary" onClick={props.onOpenNew}>Open a new class</button>
        </div>
      );
    case 'no-class':
      return (
        <div className="alert alert--warning" role="status" data-class-notice="no-class">
          The lab server has no such class any more ({s.message}); it was closed, or the lab server's data was reset.{' '}
          <button type="button" className="button button--sm button--secondary" onClick={props.onOpenNew}>Open a new class</button>
        </div>
      );
  }
}
