/**
 * The lab's four phases, the step to do now, "Check my work", "Restart this phase", and "Show me",
 * which does the current step for the reader with the scenario's own steps
 * (simulator/pure/scenarios/scenario-steps.ts) through the page's lab, for the
 * lab provided (a <LabPart part="progress">).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { findScenario } from '../../../simulator/pure/scenarios';
import { labStepPath, scenarioStep, showStep } from '../../../simulator/pure/scenarios/scenario-steps';
import { useLabCommand, useLabContext, useLabState } from '../client';
import { BrowserScenarioDriver } from '../client/scenario-driver';
import type { LabPartProps } from '../part-names';
import { PhaseProgress, type ShowMeState } from './PhaseProgress';
import { RestartPhase } from './RestartPhase';

const inWords = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/^\[lab-client\] /, '');

export function ProgressPart(props: Partial<LabPartProps>): ReactNode {
  const lab = useLabContext();
  const { connection } = useLabState();
  const command = useLabCommand();
  const [checking, setChecking] = useState(false);
  const [showing, setShowing] = useState<ShowMeState>({ status: 'idle' });
  const scenarioName = props.scenario ?? lab.session.scenario;
  const scenario = useMemo(() => {
    const found = findScenario(scenarioName);
    return found.ok ? found.scenario : null;
  }, [scenarioName]);
  const view = connection.view;
  if (!view) return null;
  const check = (): void => {
    setChecking(true);
    command({ kind: 'lab' }, 'CHECK').catch(() => {}).finally(() => setChecking(false));
  };
  const step = scenario ? scenarioStep(labStepPath(view)) : undefined;
  const showMe = async (): Promise<void> => {
    if (!scenario || !step) return;
    const label = step.label(scenario);
    setShowing({ status: 'doing', label });
    try {
      const detail = await showStep(new BrowserScenarioDriver(lab), scenario, step.path);
      setShowing({ status: 'done', label, detail });
    } catch (err) {
      setShowing({ status: 'failed', label, message: inWords(err) });
    }
  };
  return (
    <>
      <PhaseProgress
        view={view}
        myRole={connection.role}
        onCheck={check}
        checking={checking}
        showMe={scenario && step ? { byHand: step.byHand(scenario), state: showing, onShowMe: () => void showMe(), disabled: connection.status !== 'open' } : undefined}
      />
      <RestartPhase lab={lab} view={view} role={connection.role} disabled={connection.status !== 'open' || showing.status === 'doing'} />
    </>
  );
}
