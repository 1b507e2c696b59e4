/**
 * For a trainer: opens a shared lab for a role-based walkthrough and hands out
 * one invite link per lifecycle role, plus the trainer's own link. Each person
 * opens their link in their own browser; the server then holds each of them to
 * their role's steps. Each link seats one person; the panel lists who joined,
 * makes a new link for a role (the old one stops working) and removes a person
 * (their page is told at once). It manages the lab opened here, or, when this
 * page's own lab is a shared one opened through the trainer link, that lab.
 */
import { publicOrigin } from '../lab-server-override';
import { readOperatorKey, sessionStore } from '../class/operator-key';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useLabContext, useLabState } from '../client';
import { openSharedLab, type HttpOutcome } from '../client/lab-http';
import { listLabMembers, makeInvite, removeLabMember, trainerSession, type LabFetch, type MemberList } from '../client/trainer-desk';
import type { LabPartProps } from '../part-names';
import { walkthroughRows, type HeldInvite } from './walkthrough-rows';
import styles from './lab.module.css';

/** The lab the panel manages, and how to call it as its trainer. */
interface Desk { labId: string; sessionSecret: string | null; fetchLab: LabFetch }

/** How often the list of who joined is asked again while the panel is shown. */
export const MEMBERS_POLL_MS = 5000;

const why = (o: Exclude<HttpOutcome<unknown>, { kind: 'ok' }>): string => (o.kind === 'unreachable' ? `the lab simulator does not answer (${o.message})` : o.message);

export function WalkthroughPart(props: LabPartProps): ReactNode {
  const lab = useLabContext();
  const session = useLabState().session;
  const [opened, setOpened] = useState<Desk | null>(null);
  const [codes, setCodes] = useState<Record<string, HeldInvite>>({});
  const [list, setList] = useState<MemberList | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // This page's own lab, when its reader came in through the trainer link of a shared lab.
  const ownLabId = session.status === 'ready' && session.role === 'trainer' ? session.labId : null;
  const desk: Desk | null = opened ?? (ownLabId ? { labId: ownLabId, sessionSecret: null, fetchLab: (p, i) => lab.session.fetchLab(p, i) } : null);
  const deskLabId = desk?.labId ?? null;
  const fetchLab = desk?.fetchLab;

  const open = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      // A room's server opens shared labs for the operator key (entered on the class page in this tab).
      const key = readOperatorKey(sessionStore());
      const got = await openSharedLab((u, i) => fetch(u, i), lab.session.simulatorUrl, props.scenario, key);
      if (got.kind !== 'ok') throw new Error(why(got));
      const body = got.value;
      if (!body.invites) throw new Error('the lab server opened a lab without invites; it may come from another Edge Lab version');
      const trainer = trainerSession({ simulatorUrl: lab.session.simulatorUrl, scenario: props.scenario, labId: body.labId, sessionSecret: body.sessionSecret });
      await trainer.start();
      setCodes(Object.fromEntries(Object.entries(body.invites).map(([role, code]) => [role, { code, expiresAt: body.invitesExpireAt ?? 0 }])));
      setList(null);
      setOpened({ labId: body.labId, sessionSecret: body.sessionSecret, fetchLab: (p, i) => trainer.fetchLab(p, i) });
    } catch (err) {
      setProblem(`Could not open a shared lab: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const refresh = useCallback(async (): Promise<void> => {
    if (!fetchLab) return;
    const got = await listLabMembers(fetchLab);
    if (got.kind === 'ok') setList(got.value);
    else setProblem(`Could not read who joined: ${why(got)}`);
  }, [fetchLab]);

  // Who joined changes as people open their links: asked again every few seconds.
  useEffect(() => {
    if (!deskLabId) return undefined;
    void refresh();
    const timer = setInterval(() => void refresh(), MEMBERS_POLL_MS);
    return () => clearInterval(timer);
    // One poll per managed lab, not per render (`refresh` is a new function whenever the page's own desk is).
  }, [deskLabId]);

  const act = async (what: string, run: () => Promise<HttpOutcome<unknown>>, then?: (value: unknown) => void): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      const done = await run();
      if (done.kind !== 'ok') return setProblem(`Could not ${what}: ${why(done)}`);
      then?.(done.value);
      await refresh();
    } finally {
      setBusy(false);
    }
  };
  const newLink = (role: string): Promise<void> => act(`make a new link for ${role}`, () => makeInvite(fetchLab!, role), (v) => {
    const made = v as { invite: string; expiresAt: number };
    setCodes((c) => ({ ...c, [role]: { code: made.invite, expiresAt: made.expiresAt } }));
  });
  const remove = (memberId: string): Promise<void> => act('remove that person', () => removeLabMember(fetchLab!, memberId));

  const link = (param: string, value: string): string => {
    const u = new URL('/', publicOrigin());
    u.searchParams.set('lab', desk!.labId);
    u.searchParams.set(param, value);
    return u.toString();
  };
  const rows = walkthroughRows(codes, list);
  return (
    <div data-walkthrough>
      {!desk ? (
        <button type="button" className="button button--primary button--sm" onClick={() => void open()} disabled={busy}>
          Open a shared lab for a walkthrough
        </button>
      ) : (
        <>
          <p>
            Shared lab <code>{desk.labId}</code>. Send each person their link: each link seats one person, who keeps their place
            through their own browser. New link makes a fresh one for a role (the old one stops working); Remove takes a person out at once.
            {desk.sessionSecret ? ' Keep your own link: it opens the lab as its trainer.' : ''}
          </p>
          <table className={styles.invites}>
            <tbody>
              {rows.map((row) => (
                <tr key={row.role} data-invite-role={row.role}>
                  <th scope="row">{row.name}</th>
                  <td>
                    {row.invite ? <a href={link('invite', row.invite)} data-invite-link>{`Invite for ${row.name}`}</a> : null}
                    <span data-invite-status> {row.status}</span>
                    {row.members.map((m) => (
                      <span key={m.memberId} data-member={m.memberId}>
                        {' '}Joined {new Date(m.joinedAt).toLocaleTimeString()}{' '}
                        <button type="button" className="button button--secondary button--sm" disabled={busy} onClick={() => void remove(m.memberId)} aria-label={`Remove the ${row.name} who joined at ${new Date(m.joinedAt).toLocaleTimeString()}`}>
                          Remove
                        </button>
                      </span>
                    ))}
                  </td>
                  <td>
                    <button type="button" className="button button--secondary button--sm" disabled={busy} onClick={() => void newLink(row.role)} data-new-link>
                      New link
                    </button>
                  </td>
                </tr>
              ))}
              {desk.sessionSecret ? (
                <tr data-invite-role="trainer">
                  <th scope="row">Trainer (you)</th>
                  <td><a href={link('session', desk.sessionSecret)} data-invite-link>Your trainer link</a></td>
                  <td />
                </tr>
              ) : null}
            </tbody>
          </table>
        </>
      )}
      {problem ? <p className={styles.failure} role="status">{problem}</p> : null}
    </div>
  );
}
