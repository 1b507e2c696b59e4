/**
 * The reader's lab for a scenario, live: opened (or resumed) when the page
 * loads, its phases and current step shown, with honest words for every state
 * that is not live. Loaded only in the browser (see LiveLabProgress).
 */
import { useState, type ReactNode } from 'react';
import { LabProvider, useLab, type Lab } from '../client';
import { labNotice, type NoticeAction } from './lab-notice';
import { HostPanel } from './HostPanel';
import { PhaseProgress } from './PhaseProgress';
import styles from './lab.module.css';

export default function LabProgressPanel(props: { scenario: string; simulatorUrl: string }): ReactNode {
  const { lab, state } = useLab({ scenario: props.scenario, simulatorUrl: props.simulatorUrl });
  const [checking, setChecking] = useState(false);
  const notice = labNotice(state);
  const view = state.connection.view;
  const check = (): void => {
    setChecking(true);
    lab.connection.command({ kind: 'lab' }, 'CHECK').catch(() => {}).finally(() => setChecking(false));
  };
  return (
    <LabProvider lab={lab}>
      <section className={styles.panel} aria-label="Your lab" data-lab-panel="progress">
        {notice ? <Notice tone={notice.tone} text={notice.text} action={notice.action} lab={lab} /> : null}
        {view ? <PhaseProgress view={view} onCheck={check} checking={checking} /> : null}
        {view ? <HostPanel /> : null}
      </section>
    </LabProvider>
  );
}

const ACTION_LABELS: Readonly<Record<NoticeAction, string>> = { retry: 'Retry', 'new-lab': 'Open a new lab', reload: 'Reload the page' };

function Notice(props: { tone: string; text: string; action: NoticeAction | null; lab: Lab }): ReactNode {
  const act = (): void => {
    if (props.action === 'retry') void props.lab.retry();
    else if (props.action === 'new-lab') void props.lab.openNewLab();
    else if (props.action === 'reload') window.location.reload();
  };
  return (
    <div className={`alert alert--${props.tone === 'danger' ? 'danger' : props.tone === 'warning' ? 'warning' : 'info'}`} role="status">
      {props.text}
      {props.action ? <> <button type="button" className="button button--sm button--secondary" onClick={act}>{ACTION_LABELS[props.action]}</button></> : null}
    </div>
  );
}
