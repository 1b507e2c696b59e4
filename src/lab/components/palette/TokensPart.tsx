/**
 * Tenant Settings › Registration Tokens (reference §5): the tokens (a value's last characters only:
 * Palette shows the value once, when the token is created, with Copy), a form to add one (name,
 * description, default project or none, expiration date) and Delete; and the tenant's projects,
 * with a form to create one.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute, issuesAt, type FieldIssue } from '../../client/lab-api';
import { useLabResource, type LabResource } from '../../client/use-lab-resource';
import type { ProjectView, TokenRow } from '../../../../simulator/pure/palette/views';
import { calendarDate, dateInDays, expiryFromDate, relativeTime } from './format';
import { invalidProps, IssueList, Problem } from './Issues';
import styles from './palette.module.css';

/** The select's value for "no default project" (sent as `project: null`). */
const NO_PROJECT = '';

export function TokensPart(): ReactNode {
  const { outcome, reload } = useLabResource(PALETTE_ROUTES.tokens);
  const projects = useLabResource(PALETTE_ROUTES.projects);
  const projectList = projects.outcome?.ok ? projects.outcome.value.projects : [];
  const projectNames = projectList.map((p) => p.name);
  return (
    <div className={styles.palette} data-palette-part="tokens">
      <h3 className={styles.title}>Registration Tokens</h3>
      <TokenList outcome={outcome} reload={reload} />
      <AddToken projects={projectNames} reload={reload} />
      <Projects projects={projectList} reload={projects.reload} />
    </div>
  );
}

/**
 * Tenant Settings › Projects, in short: the projects with their UIDs, and a form to create one
 * (so `projectName` or `projectUid` can name another).
 */
function Projects(props: { projects: readonly ProjectView[]; reload: () => void }): ReactNode {
  const names = props.projects.map((p) => p.name);
  const lab = useLabContext();
  const id = useId();
  const [name, setName] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    setBusy(true);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.createProject, { body: { name: name.trim() } });
    setBusy(false);
    if (r.ok) {
      setIssues([]);
      setName('');
      setDone(`Project ${r.value.project.name} created. Its UID is ${r.value.project.uid}. A token's default project, Add Edge Hosts and \`stylus.site.projectName\` or \`projectUid\` can name it now.`);
      props.reload();
      return;
    }
    setIssues(r.issues);
    if (r.issues.length === 0) setProblem(r.message);
  };

  const named = issuesAt(issues, 'name');
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className={styles.subtitle}>Projects</h4>
      {props.projects.length > 0 ? (
        <table className={`table ${styles.table}`} data-projects={names.join(',')}>
          <thead><tr><th scope="col">Name</th><th scope="col">UID (for <code>projectUid</code>)</th></tr></thead>
          <tbody>
            {props.projects.map((p) => (
              <tr key={p.name}><td>{p.name}</td><td><code>{p.uid}</code></td></tr>
            ))}
          </tbody>
        </table>
      ) : <p className={styles.muted}>Loading the projects…</p>}
      <div className={styles.field}>
        <label htmlFor={`${id}-name`}>New project name</label>
        <input id={`${id}-name`} className={styles.input} value={name} autoComplete="off" spellCheck={false} placeholder="Retail-East" onChange={(e) => setName(e.target.value)} {...invalidProps(`${id}-name-issues`, named)} />
        <IssueList id={`${id}-name-issues`} issues={named} />
      </div>
      <IssueList issues={issues.filter((i) => !named.includes(i))} />
      <Problem message={problem} />
      <Problem message={done} kind="success" />
      <div className={styles.actions}>
        <button type="submit" className="button button--secondary" disabled={busy}>Create project</button>
      </div>
    </form>
  );
}

function TokenList(props: { outcome: LabResource<{ tokens: TokenRow[] }>['outcome']; reload: () => void }): ReactNode {
  const lab = useLabContext();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { outcome } = props;
  if (!outcome) return <p className={styles.muted}>Loading the registration tokens…</p>;
  if (!outcome.ok) return <Problem message={`The registration tokens did not load: ${outcome.message}`} />;
  const tokens = outcome.value.tokens;
  const now = Date.now();

  const remove = async (name: string): Promise<void> => {
    setBusy(name);
    setProblem(null);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.deleteToken, { params: { name } });
    setBusy(null);
    if (!r.ok) setProblem(`Token ${name} was not deleted: ${r.message}`);
    props.reload();
  };

  if (tokens.length === 0) return <p className={styles.empty}>No registration token yet: add one below.</p>;
  return (
    <>
      <div className={styles.tableWrap} role="region" aria-label="Registration tokens" tabIndex={0}>
        <table className={`table ${styles.table}`}>
          <thead>
            <tr>
              <th scope="col">Name</th><th scope="col">Description</th><th scope="col">Value</th><th scope="col">Default project</th>
              <th scope="col">Expires</th><th scope="col">Expired</th><th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.name} data-token={t.name} data-expired={t.expired ? 'true' : 'false'}>
                <th scope="row">{t.name}</th>
                <td>{t.description || <span className={styles.muted}>None</span>}</td>
                <td title="Palette shows a token's value once, when it is created">
                  <code data-token-value-end={t.valueEnd} aria-label={`value ending in ${t.valueEnd}`}>••••{t.valueEnd}</code>
                </td>
                <td>{t.project ?? <span className={styles.muted}>No default project</span>}</td>
                <td title={new Date(t.expiresAt).toISOString()}>{calendarDate(t.expiresAt)} ({relativeTime(t.expiresAt, now)})</td>
                <td>{t.expired ? <span className="badge badge--danger">Expired</span> : 'No'}</td>
                <td>
                  <button type="button" className="button button--danger button--outline button--sm" disabled={busy !== null} aria-label={`Delete token ${t.name}`} onClick={() => void remove(t.name)}>
                    {busy === t.name ? 'Deleting…' : 'Delete'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Problem message={problem} />
      {tokens.some((t) => t.project === null) ? (
        <p className={styles.muted}>A token without a default project registers hosts only when their user data names a project (<code>projectName</code>); otherwise they are refused.</p>
      ) : null}
    </>
  );
}

function AddToken(props: { projects: string[]; reload: () => void }): ReactNode {
  const lab = useLabContext();
  const id = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [project, setProject] = useState(NO_PROJECT);
  const [date, setDate] = useState(() => dateInDays(30, Date.now()));
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<{ name: string; value: string; warnings: FieldIssue[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const expiry = expiryFromDate(date);
    if ('error' in expiry) {
      setIssues([{ path: 'expiresAt', message: expiry.error, severity: 'error' }]);
      return;
    }
    setBusy(true);
    const body = { name: name.trim(), description: description.trim(), project: project === NO_PROJECT ? null : project, ...expiry };
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.createToken, { body });
    setBusy(false);
    if (r.ok) {
      setIssues([]);
      setName('');
      setDescription('');
      setDone({ name: r.value.token.name, value: r.value.token.value, warnings: r.value.warnings ?? [] });
      props.reload();
      return;
    }
    setIssues(r.issues);
    if (r.issues.length === 0) setProblem(r.message);
  };

  const at = (path: string): FieldIssue[] => issuesAt(issues, path);
  const placed = [...at('name'), ...at('description'), ...at('project'), ...at('expiresAt')];
  const other = issues.filter((i) => !placed.includes(i));
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className={styles.subtitle}>Add New Registration Token</h4>
      <div className={styles.fieldRow}>
        <div className={styles.field}>
          <label htmlFor={`${id}-name`}>Registration token name</label>
          <input id={`${id}-name`} className={styles.input} value={name} autoComplete="off" spellCheck={false} onChange={(e) => setName(e.target.value)} {...invalidProps(`${id}-name-issues`, at('name'))} />
          <IssueList id={`${id}-name-issues`} issues={at('name')} />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-description`}>Description</label>
          <input id={`${id}-description`} className={styles.input} value={description} autoComplete="off" placeholder="Optional, e.g. stores of the east region" onChange={(e) => setDescription(e.target.value)} {...invalidProps(`${id}-description-issues`, at('description'))} />
          <IssueList id={`${id}-description-issues`} issues={at('description')} />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-project`}>Default project</label>
          <select id={`${id}-project`} className={styles.input} value={project} onChange={(e) => setProject(e.target.value)} {...invalidProps(`${id}-project-issues`, at('project'))}>
            <option value={NO_PROJECT}>No default project</option>
            {props.projects.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
          <IssueList id={`${id}-project-issues`} issues={at('project')} />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-expiry`}>Expiration date</label>
          <input id={`${id}-expiry`} className={styles.input} type="date" value={date} onChange={(e) => setDate(e.target.value)} {...invalidProps(`${id}-expiry-issues`, at('expiresAt'))} />
          <IssueList id={`${id}-expiry-issues`} issues={at('expiresAt')} />
        </div>
      </div>
      <IssueList issues={other} />
      <Problem message={problem} />
      {done ? (
        <>
          <CreatedToken name={done.name} value={done.value} />
          <IssueList issues={done.warnings} />
        </>
      ) : null}
      <div className={styles.actions}>
        <button type="submit" className="button button--primary" disabled={busy}>Add token</button>
      </div>
    </form>
  );
}

/**
 * The one time Palette shows a token's value: at creation, with Copy. The lab's Insert token
 * (Build the Edge Installer) reads it again for IT/Ops; that stands in for the admin handing over
 * the value they saved, and the note says so.
 */
function CreatedToken(props: { name: string; value: string }): ReactNode {
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const copy = async (): Promise<void> => {
    setProblem(null);
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
    } catch {
      setCopied(false);
      setProblem(`The browser did not let this page copy. Select the value of ${props.name} and copy it by hand.`);
    }
  };
  return (
    <div className="alert alert--success" role="status" data-created-token={props.name}>
      <p>
        Token {props.name} added. Its value, shown this once as Palette does: save it now and put it in your
        user data (<code>stylus.site.edgeHostToken</code>).
      </p>
      <span className={styles.tokenValue}>
        <code data-token-value>{props.value}</code>
        <button type="button" className="button button--secondary button--sm" aria-label={`Copy value of ${props.name}`} onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </span>
      <Problem message={problem} />
      <p className={styles.muted}>
        The list shows only its last characters from now on. In this lab, <em>Insert token</em> on the Edge Installer step
        reads the value again for IT/Ops: that stands in for you handing over the value you saved.
      </p>
    </div>
  );
}
