/**
 * The lab's stand-in for the Palette Edge Registration App (reference §5, "QR code"): the page a
 * host's console QR code opens (`stylus.site.registrationURL` with `?edgeHostId=<id>` after it).
 * It fills in the host ID from the address and adds the host to a project in the reader's lab, as
 * Add Edge Hosts does. The product's app (self-hosted) also lists sites mapped to profiles and a
 * VIP and can define the cluster; this page does not, and says so.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute, issuesAt, type FieldIssue } from '../../client/lab-api';
import { useLabResource } from '../../client/use-lab-resource';
import { invalidProps, IssueList, Problem } from './Issues';
import styles from './palette.module.css';

/** The query parameter the guest's QR code carries (guest/os/stylus-agent). */
export const HOST_ID_PARAM = 'edgeHostId';

const hostIdFromAddress = (): string => new URLSearchParams(window.location.search).get(HOST_ID_PARAM)?.trim() ?? '';

export function RegistrationAppPart(): ReactNode {
  const lab = useLabContext();
  const id = useId();
  const [hostId, setHostId] = useState(hostIdFromAddress);
  const [project, setProject] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const projects = useLabResource(PALETTE_ROUTES.projects).outcome;
  const grid = useLabResource(PALETTE_ROUTES.edgeHosts, { pollMs: 5000 });
  const projectNames = projects?.ok ? projects.value.projects.map((p) => p.name) : [];
  const chosen = project || projectNames[0] || 'Default';
  const row = grid.outcome?.ok ? grid.outcome.value.hosts.find((h) => h.hostId === hostId.trim()) : undefined;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    setBusy(true);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.addEdgeHosts, { body: { hostIds: [hostId.trim()], project: chosen } });
    setBusy(false);
    grid.reload();
    if (r.ok) {
      setIssues([]);
      setDone(`Edge host ${hostId.trim()} added to project ${chosen}. A host waiting for its registration is registered at its next call to Palette (a few seconds); follow it in the Edge Hosts grid.`);
      return;
    }
    setIssues(r.issues.map((i) => ({ ...i, path: i.path.replace(/^hostIds\[0\]$/, 'hostIds') })));
    if (r.issues.length === 0) setProblem(r.message);
  };

  const idIssues = issuesAt(issues, 'hostIds');
  return (
    <div className={styles.palette} data-palette-part="registration-app">
      <h3 className={styles.title}>Edge Registration App</h3>
      {hostId === '' ? (
        <p className={styles.muted}>
          This address carries no host ID. A host's QR code opens this page with <code>?{HOST_ID_PARAM}=</code> and its ID; you can
          also type the ID its console printed (<code>MachineID:</code>).
        </p>
      ) : null}
      <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
        <h4 id={`${id}-title`} className={styles.subtitle}>Register an edge host</h4>
        <div className={styles.fieldRow}>
          <div className={styles.field}>
            <label htmlFor={`${id}-host`}>Edge host ID</label>
            <input id={`${id}-host`} className={styles.input} value={hostId} autoComplete="off" spellCheck={false}
              onChange={(e) => setHostId(e.target.value)} {...invalidProps(`${id}-host-issues`, idIssues)} />
            <IssueList id={`${id}-host-issues`} issues={idIssues} />
          </div>
          <div className={styles.field}>
            <label htmlFor={`${id}-project`}>Project</label>
            <select id={`${id}-project`} className={styles.input} value={chosen} onChange={(e) => setProject(e.target.value)}>
              {(projectNames.length > 0 ? projectNames : ['Default']).map((p) => <option key={p} value={p}>{p}</option>)}
            </select>
          </div>
        </div>
        <IssueList issues={issues.filter((i) => !idIssues.includes(i))} />
        <Problem message={problem} />
        <Problem message={done} kind="success" />
        <div className={styles.actions}>
          <button type="submit" className="button button--primary" disabled={busy || hostId.trim() === ''}>{busy ? 'Registering…' : 'Register host'}</button>
        </div>
      </form>
      {row ? (
        <p role="status" data-registration-status={row.status} data-registration={row.registration}>
          In Palette now: <strong>{row.hostId}</strong> is {row.status}
          {row.registration === 'added' ? ', added by ID and not seen yet' : row.registration === 'registered' ? `, registered (project ${row.project})` : ''}.
        </p>
      ) : hostId.trim() !== '' && grid.outcome?.ok ? (
        <p className={styles.muted} role="status" data-registration-status="absent">Palette has no edge host {hostId.trim()} yet.</p>
      ) : null}
      {grid.outcome && !grid.outcome.ok ? <Problem message={`The Edge Hosts grid did not load: ${grid.outcome.message}`} /> : null}
    </div>
  );
}
