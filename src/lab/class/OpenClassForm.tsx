/**
 * "Open a class": the lab server's operator key (printed by `npm start`; kept in this tab's
 * sessionStorage, never in the address), scenario (from GET /scenarios), class name, how many
 * labs to keep started ahead of the learners and how many learners may join, then POST /classes.
 * The caller keeps what comes back.
 */
import { JUMP_PHASES, jumpPhaseLabel } from './jump-phases';
import type { JumpPhase } from './class-types';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { GUIDE_SCENARIO } from '../part-names';
import { listScenarios, openClass, type ClassServer } from './class-api';
import { keepOperatorKey, readOperatorKey, sessionStore } from './operator-key';
import type { OpenedClass, ScenarioChoice } from './class-types';
import { warmCount } from './class-view';
import styles from './class.module.css';

export function OpenClassForm(props: { server: ClassServer; onOpened: (opened: OpenedClass) => void }): ReactNode {
  const [scenarios, setScenarios] = useState<ScenarioChoice[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [scenario, setScenario] = useState('');
  const [name, setName] = useState('');
  const [warm, setWarm] = useState('0');
  const [learners, setLearners] = useState('200');
  const [startPhase, setStartPhase] = useState<JumpPhase>('modelProfile');
  const [operatorKey, setOperatorKey] = useState(() => readOperatorKey(sessionStore()));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let alive = true;
    setLoadProblem(null);
    void listScenarios(props.server).then((outcome) => {
      if (!alive) return;
      if (!outcome.ok) return setLoadProblem(outcome.message);
      // Learners follow the guides, whose parts open the guides' scenario: a class of another would not match them.
      const list = (Array.isArray(outcome.value?.scenarios) ? outcome.value.scenarios : []).filter((s) => s.name === GUIDE_SCENARIO);
      setScenarios(list);
      setScenario((s) => s || list[0]?.name || '');
    });
    return () => {
      alive = false;
    };
  }, [props.server, attempt]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const count = warmCount(warm);
    if (count === null) return setProblem('Warm labs: a whole number from 0 to 50.');
    const most = warmCount(learners, 1000);
    if (most === null || most < 1) return setProblem('Learners: a whole number from 1 to 1000.');
    if (!operatorKey.trim()) return setProblem('Operator key: paste the key `npm start` printed on the machine that runs the lab server.');
    setBusy(true);
    setProblem(null);
    const outcome = await openClass(props.server, operatorKey.trim(), { scenario, ...(name.trim() ? { name: name.trim() } : {}), warm: count, learners: most, ...(startPhase !== 'modelProfile' ? { startPhase } : {}) });
    setBusy(false);
    // Kept only once the server took it, so a mistyped key is not remembered.
    if (outcome.ok) {
      keepOperatorKey(sessionStore(), operatorKey);
      props.onOpened(outcome.value);
    } else {
      if (outcome.status === 401 || outcome.status === 403) keepOperatorKey(sessionStore(), '');
      setProblem(`Could not open the class: ${outcome.message}`);
    }
  };

  return (
    <section className={styles.card} aria-labelledby="open-class-title">
      <h2 id="open-class-title">Open a class</h2>
      {loadProblem ? (
        <div className="alert alert--warning" role="status" data-class-notice="unreachable">
          {loadProblem}{' '}
          <button type="button" className="button button--sm button--secondary" onClick={() => setAttempt((n) => n + 1)}>Retry</button>
        </div>
      ) : null}
      <form className={styles.form} onSubmit={(e) => void submit(e)} data-class-open>
        <label>
          Operator key
          <input name="operator" type="password" autoComplete="off" value={operatorKey} onChange={(e) => setOperatorKey(e.target.value)} />
          <span className={styles.hint}>
            Opening a class takes host places on the lab server's machine, so it needs that machine's operator key: <code>npm start</code> prints
            it there. This tab keeps it until you close it.
          </span>
        </label>
        <label>
          Scenario
          <select name="scenario" value={scenario} onChange={(e) => setScenario(e.target.value)} disabled={!scenarios || scenarios.length === 0}>
            {(scenarios ?? []).map((s) => <option key={s.name} value={s.name}>{s.title || s.name}</option>)}
          </select>
        </label>
        <label>
          Class name
          <input name="name" type="text" value={name} maxLength={80} placeholder="e.g. Edge onboarding, Monday" onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Warm labs
          <input name="warm" type="number" min={0} max={50} step={1} value={warm} onChange={(e) => setWarm(e.target.value)} />
          <span className={styles.hint}>Labs started ahead of time, so the first learners do not wait for their hosts to boot.</span>
        </label>
        <label>
          Start at
          <select name="startPhase" value={startPhase} onChange={(e) => setStartPhase(e.target.value as JumpPhase)}>
            {JUMP_PHASES.map((p) => <option key={p} value={p}>{p === 'modelProfile' ? 'The beginning (a fresh lab)' : jumpPhaseLabel(p)}</option>)}
          </select>
          <span className={styles.hint}>Where every learner's lab starts: a later phase comes ready from the scenario's checkpoints (made once, in about a minute), e.g. for a class on registration only.</span>
        </label>
        <label>
          Learners
          <input name="learners" type="number" min={1} max={1000} step={1} value={learners} onChange={(e) => setLearners(e.target.value)} />
          <span className={styles.hint}>The most who may join with the class link.</span>
        </label>
        <div>
          <button type="submit" className="button button--primary" disabled={busy || !scenario}>{busy ? 'Opening…' : 'Open the class'}</button>
        </div>
        {problem ? <p className={styles.failure} role="alert">{problem}</p> : null}
      </form>
    </section>
  );
}
