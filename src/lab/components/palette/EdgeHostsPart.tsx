/**
 * Palette's Clusters › Edge Hosts grid (reference §5), kept fresh every 5 s, with Add Edge Hosts
 * (manual registration by ID), a Register action on hosts waiting for manual registration, and
 * Delete on hosts that are not in a cluster.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute, issuesAt, type FieldIssue } from '../../client/lab-api';
import { useLabResource, type LabResource } from '../../client/use-lab-resource';
import type { EdgeHostRow } from '../../../../simulator/pure/palette/views';
import { badgeClass, HOST_COLUMNS, hostCells, issueText, parseHostIds } from './format';
import { invalidProps, IssueList, Problem } from './Issues';
import styles from './palette.module.css';

export function EdgeHostsPart(): ReactNode {
  const { outcome, reload } = useLabResource(PALETTE_ROUTES.edgeHosts, { pollMs: 5000 });
  const projects = useLabResource(PALETTE_ROUTES.projects).outcome;
  const projectNames = projects?.ok ? projects.value.projects.map((p) => p.name) : [];
  const [project, setProject] = useState('');
  const chosenProject = project || projectNames[0] || 'Default';

  return (
    <div className={styles.palette} data-palette-part="edge-hosts">
      <h3 className={styles.title}>Edge Hosts</h3>
      <HostGrid outcome={outcome} project={chosenProject} reload={reload} />
      <AddEdgeHosts projects={projectNames} project={chosenProject} onProject={setProject} reload={reload} />
    </div>
  );
}

function HostGrid(props: { outcome: LabResource<{ hosts: EdgeHostRow[] }>['outcome']; project: string; reload: () => void }): ReactNode {
  const lab = useLabContext();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ hostId: string; text: string } | null>(null);
  const { outcome } = props;
  if (!outcome) return <p className={styles.muted}>Loading the Edge Hosts grid…</p>;
  if (!outcome.ok) return <Problem message={`The Edge Hosts grid did not load: ${outcome.message}`} />;
  const hosts = outcome.value.hosts;
  const now = Date.now();

  const register = async (hostId: string): Promise<void> => {
    setBusy(hostId);
    setProblem(null);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.addEdgeHosts, { body: { hostIds: [hostId], project: props.project } });
    setBusy(null);
    if (!r.ok) setProblem({ hostId, text: `was not registered: ${r.issues.length > 0 ? r.issues.map((i) => issueText(i)).join(' ') : r.message}` });
    props.reload();
  };
  // The product's three-dot menu › Delete; a host In-Use in a cluster is refused (delete the cluster first).
  const remove = async (hostId: string): Promise<void> => {
    setBusy(hostId);
    setProblem(null);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.deleteEdgeHost, { params: { id: hostId } });
    setBusy(null);
    if (!r.ok) setProblem({ hostId, text: `was not deleted: ${r.issues.length > 0 ? r.issues.map((i) => issueText(i)).join(' ') : r.message}` });
    props.reload();
  };

  if (hosts.length === 0) {
    return <p className={styles.empty}>No edge host yet. A host shows up here once it contacts Palette, or once you add its ID below.</p>;
  }
  return (
    <>
      <div className={styles.tableWrap} role="region" aria-label="Edge Hosts grid" tabIndex={0}>
        <table className={`table ${styles.table}`}>
          <thead>
            <tr>
              {HOST_COLUMNS.map((c) => <th key={c.key} scope="col" title={c.lab ? 'A column of the lab\'s own; Palette\'s grid does not have it' : undefined}>{c.label}{c.lab ? ' (lab)' : ''}</th>)}
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => {
              const cells = hostCells(h, now);
              return (
                <tr key={h.hostId} data-palette-host={h.hostId} data-status={h.status} data-health={h.health ?? ''} data-registration={h.registration}>
                  {HOST_COLUMNS.map((c) => {
                    if (c.key === 'hostId') return <th key={c.key} scope="row"><code>{cells.hostId}</code></th>;
                    if (c.key === 'status' || c.key === 'health') {
                      const v = c.key === 'status' ? h.status : h.health;
                      return <td key={c.key}><span className={badgeClass(v)}>{cells[c.key]}</span></td>;
                    }
                    return <td key={c.key} className={c.key === 'tags' || c.key === 'os' ? styles.wrapCell : undefined}>{cells[c.key]}</td>;
                  })}
                  <td>
                    <div className={styles.rowActions}>
                      {h.registration === 'pending' ? (
                        <button type="button" className="button button--primary button--sm" disabled={busy !== null} aria-label={`Register ${h.hostId}`} onClick={() => void register(h.hostId)}>
                          {busy === h.hostId ? 'Registering…' : 'Register'}
                        </button>
                      ) : null}
                      {h.cluster === null ? (
                        <button type="button" className="button button--danger button--outline button--sm" disabled={busy !== null} aria-label={`Delete ${h.hostId}`} onClick={() => void remove(h.hostId)}>
                          {busy === h.hostId ? 'Deleting…' : 'Delete'}
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {hosts.some((h) => h.registration === 'pending') ? (
        <p className={styles.muted}>Register puts a waiting host into project {props.project} (the project picked under Add Edge Hosts).</p>
      ) : null}
      <p className={styles.muted}>Delete removes a host's record (in Palette: the row's three-dot menu › Delete); a host that registers again afterwards gets a new record. Hosts In-Use in a cluster cannot be deleted.</p>
      <Problem message={problem ? `${problem.hostId} ${problem.text}` : null} />
    </>
  );
}

function AddEdgeHosts(props: { projects: string[]; project: string; onProject: (p: string) => void; reload: () => void }): ReactNode {
  const lab = useLabContext();
  const id = useId();
  const [text, setText] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [sentIds, setSentIds] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const hostIds = parseHostIds(text);
    setProblem(null);
    setDone(null);
    if (hostIds.length === 0) {
      setIssues([{ path: 'hostIds', message: 'no host ID typed', hint: 'paste the ID the host prints on its console as `MachineID: …`', severity: 'error' }]);
      return;
    }
    setBusy(true);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.addEdgeHosts, { body: { hostIds, project: props.project } });
    setBusy(false);
    setSentIds(hostIds);
    if (r.ok) {
      setIssues([]);
      setText('');
      setDone(r.value.hosts.map((h) => (h.registration === 'registered'
        ? `${h.hostId} is registered in project ${h.project}.`
        : `${h.hostId} is added: it waits (Unpaired) and registers when the host contacts Palette.`)).join(' '));
      props.reload();
      return;
    }
    setIssues(r.issues);
    if (r.issues.length === 0) setProblem(r.message);
  };

  const idIssues = [...issuesAt(issues, 'hostIds'), ...issuesAt(issues, 'hostId')];
  const projectIssues = issuesAt(issues, 'project');
  const otherIssues = issues.filter((i) => !idIssues.includes(i) && !projectIssues.includes(i));
  const idOf = (i: FieldIssue): string | undefined => {
    const n = /^hostIds\[(\d+)\]/.exec(i.path)?.[1];
    const hostId = n === undefined ? undefined : sentIds[Number(n)];
    return hostId && !i.message.includes(hostId) ? hostId : undefined;
  };
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className={styles.subtitle}>Add Edge Hosts</h4>
      <div className={styles.field}>
        <label htmlFor={`${id}-ids`}>Edge host IDs</label>
        <textarea
          id={`${id}-ids`} className={styles.input} rows={2} value={text} spellCheck={false} autoComplete="off"
          placeholder="edge-…" onChange={(e) => setText(e.target.value)} {...invalidProps(`${id}-ids-issues`, idIssues)}
        />
        <p className={styles.help}>One or more IDs, separated by commas, spaces or new lines, as the host prints them (<code>MachineID: …</code>).</p>
        <IssueList id={`${id}-ids-issues`} issues={idIssues} prefix={idOf} />
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-project`}>Project</label>
        <select id={`${id}-project`} className={styles.input} value={props.project} onChange={(e) => props.onProject(e.target.value)} {...invalidProps(`${id}-project-issues`, projectIssues)}>
          {(props.projects.length > 0 ? props.projects : [props.project]).map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
        <IssueList id={`${id}-project-issues`} issues={projectIssues} />
      </div>
      <IssueList issues={otherIssues} />
      <Problem message={problem} />
      <Problem message={done} kind="success" />
      <div className={styles.actions}>
        <button type="submit" className="button button--primary" disabled={busy}>Add Edge Hosts</button>
      </div>
    </form>
  );
}
