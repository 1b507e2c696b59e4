/**
 * "Check my work" for one Troubleshooting drill (<LabPart part="drill-check" drill="cable" />):
 * asks the lab (CHECK_DRILL {drill}) whether the drill's fix took, judged from the lab's real state
 * (simulator/pure/drills/drill-checks.ts), and shows the lab's last answer for that drill.
 */
import { useState, type ReactNode } from 'react';
import { CHECK_DRILL, pageDrillSchema } from '../../../simulator/pure/drills/drill-checks';
import { useLabCommand, useLabState } from '../client';
import type { LabPartProps } from '../part-names';
import styles from './lab.module.css';

export function DrillCheckPart(props: Partial<LabPartProps>): ReactNode {
  const { connection } = useLabState();
  const command = useLabCommand();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const drill = pageDrillSchema.safeParse(props.drill);
  if (!drill.success) return <p className={styles.failure}>This page asks to check a drill named “{String(props.drill)}”; {drill.error.issues[0]?.message}.</p>;
  const answer = connection.view?.data.drillChecks?.[drill.data];
  const check = (): void => {
    setChecking(true);
    setError(null);
    command({ kind: 'lab' }, CHECK_DRILL, { drill: drill.data })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => setChecking(false));
  };
  return (
    <div data-drill-check={drill.data} data-passed={answer ? String(answer.passed) : undefined}>
      <div className={styles.buttons}>
        <button type="button" className="button button--primary button--sm" onClick={check} disabled={checking || connection.status !== 'open'}>
          {checking ? 'Checking…' : 'Check my work'}
        </button>
      </div>
      {answer ? <p role="status" className={answer.passed ? styles.step : styles.failure}>{answer.message}</p> : null}
      {error ? <p role="alert" className={styles.failure}>{error}</p> : null}
    </div>
  );
}
