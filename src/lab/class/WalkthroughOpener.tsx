/**
 * On the class dashboard: opens a shared lab of the class for a role-based walkthrough and shows
 * one invite link per lifecycle role and the trainer's own link. The lab then appears in the
 * table with who joined it.
 */
import { useState, type ReactNode } from 'react';
import { roleName, WALKTHROUGH_ORDER } from '../../../simulator/pure/roles/vocabulary';
import { openWalkthrough, type ClassServer } from './class-api';
import type { OpenedWalkthrough } from './class-types';
import { walkthroughLink } from './class-links';
import { CopyLink } from './CopyLink';


export function WalkthroughOpener(props: { server: ClassServer; classId: string; secret: string; origin: string; guidePath: string; onOpened: () => void }): ReactNode {
  const [opened, setOpened] = useState<OpenedWalkthrough | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (): Promise<void> => {
    setBusy(true);
    const r = await openWalkthrough(props.server, props.classId, props.secret);
    setBusy(false);
    if (!r.ok) return setProblem(r.message);
    setProblem(null);
    setOpened(r.value);
    props.onOpened();
  };
  const link = (param: 'invite' | 'session', value: string): string => walkthroughLink(props.origin, props.guidePath, opened!.labId, param, value);
  return (
    <div data-class-walkthrough>
      <button type="button" className="button button--secondary button--sm" onClick={() => void open()} disabled={busy}>
        Open a walkthrough lab (one person per role)
      </button>
      {problem ? <p role="alert">{problem}</p> : null}
      {opened ? (
        <ul data-walkthrough-lab={opened.labId}>
          {WALKTHROUGH_ORDER.map((role) => (
            <li key={role} data-invite-role={role}><CopyLink which={`invite-${role}`} label={`Invite for ${roleName(role)}`} href={link('invite', opened.invites[role]!)} /></li>
          ))}
          <li data-invite-role="trainer"><CopyLink which="walkthrough-trainer" label="Your own link to it (trainer)" href={link('session', opened.sessionSecret)} /></li>
        </ul>
      ) : null}
    </div>
  );
}
