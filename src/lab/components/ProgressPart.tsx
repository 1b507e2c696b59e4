/**
 * The lab's four phases, the step to do now, and "Check my work", for the
 * lab provided (a <LabPart part="progress">).
 */
import { useState, type ReactNode } from 'react';
import { useLabCommand, useLabView } from '../client';
import { PhaseProgress } from './PhaseProgress';

export function ProgressPart(): ReactNode {
  const view = useLabView();
  const command = useLabCommand();
  const [checking, setChecking] = useState(false);
  if (!view) return null;
  const check = (): void => {
    setChecking(true);
    command({ kind: 'lab' }, 'CHECK').catch(() => {}).finally(() => setChecking(false));
  };
  return <PhaseProgress view={view} onCheck={check} checking={checking} />;
}
