/**
 * The demo player's bar, fixed at the bottom of every page while a demo is on
 * (mounted by src/theme/Root.tsx, so it lives across page changes). It binds
 * the pure DemoPlayer to the tab's shared lab, the router and the page, and
 * offers solo readers and trainers a jump to the start of any phase.
 */
import { useHistory } from '@docusaurus/router';
import { useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { findScenario } from '../../../simulator/pure/scenarios';
import { labStepPath, scenarioStep, showStep } from '../../../simulator/pure/scenarios/scenario-steps';
import { BrowserScenarioDriver } from '../client/scenario-driver';
import { sharedLab } from '../client/shared-lab';
import { requestDemo, type DemoRequest } from './demo-request';
import type { StepPlace } from './guide-map';
import { JumpControl } from './JumpControl';
import { DemoPlayer, type DemoEffects, type DemoStatus } from './player';
import styles from './demo.module.css';

const HIGHLIGHT = 'edge-lab-demo-highlight';

async function highlight(place: StepPlace | null): Promise<void> {
  for (const el of Array.from(document.querySelectorAll(`.${HIGHLIGHT}`))) el.classList.remove(HIGHLIGHT);
  if (!place) return;
  const deadline = Date.now() + 15_000;
  let el: Element | null = null;
  while (!(el = document.querySelector(`[data-lab-part="${place.part}"]`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (!el) throw new Error(`the page ${place.page} shows no “${place.part}” part to play the step in`);
  el.classList.add(HIGHLIGHT);
  el.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

const STATUS_WORDS: Readonly<Record<DemoStatus, string>> = {
  idle: 'Ready to play', playing: 'Playing', pausing: 'Pausing after this step', paused: 'Paused: do a step by hand, or play on', done: 'The guide is done', failed: 'Stopped',
};

export default function DemoBar(props: { request: DemoRequest; simulatorUrl: string }): ReactNode {
  const history = useHistory();
  const lab = sharedLab({ scenario: props.request.scenario, simulatorUrl: props.simulatorUrl });
  const player = useMemo(() => {
    const found = findScenario(props.request.scenario);
    const scenario = found.ok ? found.scenario : null;
    const driver = new BrowserScenarioDriver(lab);
    const effects: DemoEffects = {
      async currentStep() {
        return labStepPath(await driver.waitForView(() => true, 30_000, 'the lab to answer (is the lab server running?)'));
      },
      label: (path) => (scenario ? scenarioStep(path)?.label(scenario) : undefined) ?? path,
      async navigate(page) {
        if (window.location.pathname.replace(/\/+$/, '') !== page.replace(/\/+$/, '')) history.push(page);
      },
      highlight,
      async perform(path) {
        if (!scenario) throw new Error(`this site has no scenario named ${props.request.scenario}`);
        return showStep(driver, scenario, path);
      },
      delay: (ms, cancelled) => new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        void cancelled.then(() => { clearTimeout(t); resolve(); });
      }),
    };
    return new DemoPlayer(effects, props.request.paceMs);
    // One player per demo request; the lab and router are the tab's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.request.scenario]);
  const snap = useSyncExternalStore((l) => player.subscribe(l), () => player.getSnapshot(), () => player.getSnapshot());

  useEffect(() => {
    if (props.request.autoplay) {
      requestDemo({ ...props.request, autoplay: false });
      void player.play();
    }
  }, [player, props.request]);
  useEffect(() => () => { player.pause(); void highlight(null); }, [player]);

  const playing = snap.status === 'playing' || snap.status === 'pausing';
  return (
    <div className={styles.bar} role="region" aria-label="Demo player" data-demo-status={snap.status}>
      <strong>Demo</strong>
      <span role="status" data-demo-step>
        {STATUS_WORDS[snap.status]}
        {snap.stepLabel && playing ? <>: {snap.phase === 'doing' ? 'doing' : 'next'} “{snap.stepLabel}”</> : null}
        {snap.status === 'failed' && snap.message ? <> — {snap.message}</> : null}
      </span>
      <span className={styles.controls}>
        {playing ? (
          <button type="button" className="button button--sm button--secondary" onClick={() => player.pause()} disabled={snap.status === 'pausing'}>Pause</button>
        ) : snap.status !== 'done' ? (
          <button type="button" className="button button--sm button--primary" onClick={() => void player.play()}>{snap.status === 'idle' ? 'Play' : 'Play on'}</button>
        ) : null}
        <label>
          Pace{' '}
          <select value={snap.paceMs} onChange={(e) => { player.setPace(Number(e.target.value)); requestDemo({ ...props.request, paceMs: Number(e.target.value), autoplay: false }); }}>
            {Array.from(new Set([0, 1500, 3000, 8000, snap.paceMs])).sort((a, b) => a - b).map((ms) => <option key={ms} value={ms}>{ms === 0 ? 'no pause' : `${ms / 1000} s`}</option>)}
          </select>
        </label>
        <JumpControl lab={lab} disabled={playing} />
        <button type="button" className="button button--sm button--link" onClick={() => { player.pause(); requestDemo(null); }}>Close the player</button>
      </span>
    </div>
  );
}
