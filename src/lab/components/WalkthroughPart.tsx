/**
 * For a trainer: opens a shared lab for a role-based walkthrough and hands out
 * one invite link per lifecycle role, plus the trainer's own link. Each person
 * opens their link in their own browser; the server then holds each of them to
 * their role's steps.
 */
import { useState, type ReactNode } from 'react';
import { useLabContext } from '../client';
import type { LabPartProps } from '../part-names';
import { ROLE_NAMES } from '../../../simulator/pure/roles/permissions';
import styles from './lab.module.css';

interface Shared { labId: string; sessionSecret: string; invites: Record<string, string>; invitesExpireAt: number }

const ROLE_ORDER = ['app-owner', 'tenant-admin', 'it-ops', 'site-technician'] as const;

export function WalkthroughPart(props: LabPartProps): ReactNode {
  const lab = useLabContext();
  const [shared, setShared] = useState<Shared | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      const res = await fetch(`${lab.session.simulatorUrl}/labs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: props.scenario, shared: true }) });
      const body = (await res.json().catch(() => ({}))) as Partial<Shared> & { message?: string };
      if (!res.ok || !body.labId || !body.invites || !body.sessionSecret) throw new Error(body.message ?? `the lab server answered ${res.status}`);
      setShared(body as Shared);
    } catch (err) {
      setProblem(`Could not open a shared lab: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };
  const link = (param: string, value: string): string => {
    const u = new URL('/', window.location.href);
    u.searchParams.set('lab', shared!.labId);
    u.searchParams.set(param, value);
    return u.toString();
  };
  return (
    <div data-walkthrough>
      {!shared ? (
        <button type="button" className="button button--primary button--sm" onClick={() => void open()} disabled={busy}>
          Open a shared lab for a walkthrough
        </button>
      ) : (
        <>
          <p>
            Shared lab <code>{shared.labId}</code>. Send each person their link; the links work until{' '}
            {new Date(shared.invitesExpireAt).toLocaleString()}. Keep your own link: it opens the lab as its trainer.
          </p>
          <table className={styles.invites}>
            <tbody>
              {ROLE_ORDER.map((role) => (
                <tr key={role} data-invite-role={role}>
                  <th scope="row">{(ROLE_NAMES[role] ?? role).replace(/^the /, '')}</th>
                  <td><a href={link('invite', shared.invites[role]!)} data-invite-link>{`Invite for ${(ROLE_NAMES[role] ?? role).replace(/^the /, '')}`}</a></td>
                </tr>
              ))}
              <tr data-invite-role="trainer">
                <th scope="row">Trainer (you)</th>
                <td><a href={link('session', shared.sessionSecret)} data-invite-link>Your trainer link</a></td>
              </tr>
            </tbody>
          </table>
        </>
      )}
      {problem ? <p className={styles.failure} role="status">{problem}</p> : null}
    </div>
  );
}
