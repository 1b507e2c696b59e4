/**
 * "Play this guide" for a trainer: starts the demo player, which then walks
 * the guides by itself at the chosen pace (see DemoBar).
 */
import { useState, type ReactNode } from 'react';
import type { LabPartProps } from '../part-names';
import { requestDemo } from './demo-request';
import { DEFAULT_PACE_MS } from './player';

const PACES: readonly { ms: number; label: string }[] = [
  { ms: 0, label: 'No pause (fastest)' },
  { ms: 1500, label: '1.5 s per step' },
  { ms: DEFAULT_PACE_MS, label: '3 s per step' },
  { ms: 8000, label: '8 s per step' },
];

export function DemoStartPart(props: LabPartProps): ReactNode {
  const [pace, setPace] = useState(DEFAULT_PACE_MS);
  return (
    <div data-demo-start>
      <p>
        The guide plays itself: it goes to each step's page, highlights the part of the lab the step uses, waits so the room
        can read, then does the step in your lab. Pause at any time, do a step by hand, and play again from where the lab is.
      </p>
      <label>
        Pace{' '}
        <select value={pace} onChange={(e) => setPace(Number(e.target.value))}>
          {PACES.map((p) => <option key={p.ms} value={p.ms}>{p.label}</option>)}
        </select>
      </label>{' '}
      <button type="button" className="button button--primary button--sm" onClick={() => requestDemo({ scenario: props.scenario, paceMs: pace, autoplay: true })}>
        Play this guide
      </button>
    </div>
  );
}
