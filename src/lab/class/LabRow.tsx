/**
 * One learner's lab in the class table: where it stands, and what the trainer may do with it:
 * peek at a host's console, set off a drill on a host (and undo it), reset the lab to the start,
 * or fast-forward it to a later phase.
 */
import { useState, type ReactNode } from 'react';
import { drillClassHost, jumpClassLab, type ClassServer } from './class-api';
import { drillsFor, type TrainerDrill } from '../../../simulator/pure/drills/trainer-drills';
import type { JumpPhase, LabSummary } from './class-types';
import { phaseMarks, phaseWords, placeWords, relativeTime } from './class-view';
import { JUMP_PHASES, jumpPhaseLabel, jumpSettled, jumpWords, type JumpState } from './jump-phases';
import type { PeekTarget } from './PeekPanel';
import styles from './class.module.css';
import { roleName } from '../../../simulator/pure/roles/vocabulary';

const MARK_CLASS = { done: styles.markDone, active: styles.markActive, pending: styles.markPending } as const;

export interface LabRowProps {
  lab: LabSummary;
  server: ClassServer;
  classId: string;
  secret: string;
  now: number;
  onPeek: (target: PeekTarget) => void;
}

/** The phases after the lab's own: where "Fast-forward to" can take it (any, while its phase is not known). */
function laterPhases(phase: JumpPhase | null): JumpPhase[] {
  return phase === null ? [...JUMP_PHASES] : JUMP_PHASES.slice(JUMP_PHASES.indexOf(phase) + 1);
}

export function LabRow({ lab, server, classId, secret, now, onPeek }: LabRowProps): ReactNode {
  const [jump, setJump] = useState<JumpState>({ status: 'idle' });
  const later = laterPhases(lab.phase);
  const [target, setTarget] = useState<JumpPhase | ''>('');
  const chosen = target && later.includes(target) ? target : (later[0] ?? '');
  const jumping = jump.status === 'jumping';

  const jumpTo = async (phase: JumpPhase): Promise<void> => {
    setJump({ status: 'jumping', phase });
    setJump(jumpSettled(phase, await jumpClassLab(server, classId, secret, lab.labId, phase)));
  };
  // A drill's answer: the dashboard's next poll shows its effect; only a refusal needs words here.
  const [drilling, setDrilling] = useState<string | null>(null);
  const [drillProblem, setDrillProblem] = useState<string | null>(null);
  const drill = async (host: string, d: TrainerDrill): Promise<void> => {
    setDrilling(host);
    setDrillProblem(null);
    const outcome = await drillClassHost(server, classId, secret, lab.labId, host, d.id);
    setDrilling(null);
    if (!outcome.ok) setDrillProblem(`${d.label} on ${host}: ${outcome.message}`);
  };
  const reset = (): void => {
    if (window.confirm(`Reset ${lab.learner}'s lab to the start of ${jumpPhaseLabel('modelProfile')}? What they did in it so far is replaced.`)) void jumpTo('modelProfile');
  };

  return (
    <tr data-lab-id={lab.labId} data-learner={lab.learner} data-place={lab.place} data-phase={lab.phase ?? 'unknown'}>
      <th scope="row">
        {lab.learner}
        {lab.members ? (
          <span className={styles.small} data-members>
            {' '}({lab.members.length === 0 ? 'nobody joined yet' : lab.members.map((m) => roleName(m.role)).join(', ')})
          </span>
        ) : null}
      </th>
      <td>{lab.role}</td>
      <td className={styles.nowrap} data-cell="place">{placeWords(lab)}</td>
      <td data-cell="phase">
        <div className={styles.phaseBar} aria-hidden="true">
          {phaseMarks(lab.phase).map((m) => <span key={m.phase} className={MARK_CLASS[m.mark]} title={`${m.label}: ${m.mark}`} />)}
        </div>
        <span className={styles.small}>{phaseWords(lab.phase)}</span>
      </td>
      <td data-cell="step">{lab.step ? lab.step.label : '—'}</td>
      <td data-cell="hosts">
        <ul className={styles.hostList}>
          {lab.hosts.map((h) => (
            <li key={h.name} data-host={h.name} data-power={h.power} data-cable={h.cable} data-disk={h.disk}>
              <code>{h.name}</code> {h.label}{' '}
              <span className={`${styles.power} ${h.power === 'on' ? styles.powerOn : ''}`}>{h.power}</span>{' '}
              {h.cable === 'out' ? <span className={styles.small} data-cable-out>cable out </span> : null}
              {h.disk === 'small' ? <span className={styles.small} data-small-disk>disk too small </span> : null}
              {h.clock === 'behind' ? <span className={styles.small} data-clock-behind>clock 3 h behind </span> : null}
              {drillsFor(h).map((d) => (
                <button key={d.id} type="button" className="button button--sm button--link" data-action="drill" data-drill={d.id} data-host={h.name}
                  aria-label={`${d.label} of ${h.name} in ${lab.learner}'s lab`} disabled={drilling === h.name}
                  title={d.effect}
                  onClick={() => void drill(h.name, d)}>
                  {d.label}
                </button>
              ))}
              <button type="button" className="button button--sm button--link" data-action="peek" data-host={h.name}
                aria-label={`Peek at the console of ${h.name} in ${lab.learner}'s lab`}
                onClick={() => onPeek({ labId: lab.labId, learner: lab.learner, host: h.name, hostLabel: h.name })}>
                Peek
              </button>
            </li>
          ))}
          {lab.hosts.length === 0 ? <li className={styles.small}>no hosts yet</li> : null}
        </ul>
        {drillProblem ? <p role="status" className={styles.failure} data-drill-problem>{drillProblem}</p> : null}
      </td>
      <td className={styles.nowrap} data-cell="activity">{relativeTime(lab.lastActivityAt, now)}</td>
      <td className={styles.checkCell} data-cell="check">
        {lab.lastFailedCheck ? <span className={styles.check} title={lab.lastFailedCheck.at === null ? undefined : new Date(lab.lastFailedCheck.at).toLocaleString()}>{lab.lastFailedCheck.message}</span> : lab.drills?.length ? null : '—'}
        {lab.drills?.length ? (
          <ul className={styles.hostList} aria-label="Drills checked">
            {lab.drills.map((d) => (
              <li key={d.drill} data-drill-result={d.drill} data-passed={String(d.passed)} title={d.message}>
                drill {d.drill}: {d.passed ? 'fixed' : 'not fixed yet'}
              </li>
            ))}
          </ul>
        ) : null}
      </td>
      <td>
        <div className={styles.actions}>
          <button type="button" className="button button--sm button--secondary" data-action="reset" onClick={reset} disabled={jumping}>Reset</button>
          <span className={styles.inline}>
            <select data-action="fast-forward-phase" aria-label={`Fast-forward ${lab.learner}'s lab to`} value={chosen}
              onChange={(e) => setTarget(e.target.value as JumpPhase)} disabled={jumping || later.length === 0}>
              {later.map((p) => <option key={p} value={p}>{jumpPhaseLabel(p)}</option>)}
            </select>
            <button type="button" className="button button--sm button--secondary" data-action="fast-forward"
              onClick={() => chosen && void jumpTo(chosen)} disabled={jumping || !chosen}>
              Fast-forward
            </button>
          </span>
          <span role="status" className={jump.status === 'failed' ? styles.failure : styles.small} data-jump-status data-jump-state={jump.status}>{jumpWords(jump)}</span>
        </div>
      </td>
    </tr>
  );
}
