/**
 * EdgeForge in the page: the reader writes the installer's user data (starting
 * from a commented template), can put one of the lab's registration tokens on
 * its `edgeHostToken:` line, and builds the Edge Installer. A refusal marks
 * every problem at the line and column the lab server names; a build shows the
 * installer as the server reports it, files and warnings included. Putting the
 * stick into a host is the hosts part's job.
 */
import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { LabEvent } from '../../../../simulator/pure/protocol';
import { useLabContext, useLabState } from '../../client';
import { LAB_ROUTES, PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute } from '../../client/lab-api';
import { useLabResource, type LabResource } from '../../client/use-lab-resource';
import { IssueText } from '../profile/IssueText';
import { draftKey, formatSize, newestInstaller, stickFiles, type BuiltInstaller, type Installer } from './installer-info';
import { serverProblems, type Problem } from './problems';
import { findPlaceholders, putToken, USER_DATA_TEMPLATE, type Placeholder } from './user-data-text';
import type { UserDataEditorApi } from './UserDataEditor';
import styles from './installer.module.css';


type BuildState =
  | { kind: 'built'; installer: BuiltInstaller; placeholders: Placeholder[] }
  | { kind: 'refused'; text: string };

// The editor (CodeMirror) is a chunk of its own, loaded when this part is first shown, so pages
// without it, and the lab's first view, do not wait for it.
const UserDataEditor = lazy(() => import('./UserDataEditor').then((m) => ({ default: m.UserDataEditor })));

const tokenEvents = (e: LabEvent): boolean => e.type.startsWith('palette.token.') || e.type === 'lab.reset';
const installerEvents = (e: LabEvent): boolean => e.type === 'lab.installer-built' || e.type === 'lab.reset';
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

function readDraft(labId: string | null): string | null {
  if (!labId) return null;
  try {
    return window.localStorage.getItem(draftKey(labId));
  } catch {
    return null;
  }
}

function writeDraft(labId: string | null, text: string): void {
  if (!labId) return;
  try {
    if (text === USER_DATA_TEMPLATE) window.localStorage.removeItem(draftKey(labId));
    else window.localStorage.setItem(draftKey(labId), text);
  } catch {
    // Storage may be full or disabled; the draft then lives as long as the page.
  }
}

export function InstallerBuilder(): ReactNode {
  const lab = useLabContext();
  const labId = useLabState().connection.labId;
  const [initialText] = useState(() => readDraft(labId) ?? USER_DATA_TEMPLATE);
  const [text, setText] = useState(initialText);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [fromServer, setFromServer] = useState<Problem[]>([]);
  const [build, setBuild] = useState<BuildState | null>(null);
  const [busy, setBusy] = useState(false);
  const [tokenChoice, setTokenChoice] = useState('');
  const [tokenNote, setTokenNote] = useState<string | null>(null);
  const editor = useRef<UserDataEditorApi | null>(null);
  const ids = useId();

  const tokens = useLabResource(PALETTE_ROUTES.tokens, { refreshOn: tokenEvents });
  const installers = useLabResource(LAB_ROUTES.installers, { refreshOn: installerEvents });

  useEffect(() => { writeDraft(labId, text); }, [labId, text]);
  const onProblems = useCallback((p: Problem[]) => setProblems(p), []);

  const tokenList = tokens.outcome?.ok ? tokens.outcome.value.tokens : [];
  const chosen = tokenList.find((tk) => tk.name === tokenChoice) ?? tokenList.find((tk) => !tk.expired) ?? tokenList[0];

  // Palette's list holds no values; the lab's value call stands in for the admin handing it over.
  const insertToken = async (): Promise<void> => {
    const api = editor.current;
    if (!api || !chosen) return;
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.tokenValue, { params: { name: chosen.name } });
    if (!r.ok) {
      setTokenNote(`The value of token ${chosen.name} could not be read: ${r.message}`);
      return;
    }
    const put = putToken(api.getText(), r.value.value);
    api.setText(put.text, put.line);
    setTokenNote(`Token ${chosen.name} is on line ${put.line}.${chosen.expired ? ' It has expired: a host cannot register with it.' : ''}`);
  };

  const resetToTemplate = (): void => {
    editor.current?.setText(USER_DATA_TEMPLATE, 1);
    setFromServer([]);
    setBuild(null);
    setTokenNote(null);
  };

  const buildInstaller = async (): Promise<void> => {
    const userData = editor.current?.getText() ?? text;
    setBusy(true);
    setBuild(null);
    const r = await callLabRoute(lab.session, LAB_ROUTES.buildInstaller, { body: { userData } });
    setBusy(false);
    if (r.ok) {
      setFromServer(serverProblems(r.value.warnings ?? [], 'warning'));
      setBuild({ kind: 'built', installer: r.value, placeholders: findPlaceholders(userData) });
      installers.reload();
      return;
    }
    setFromServer(serverProblems(r.issues, 'error'));
    setBuild({
      kind: 'refused',
      text: r.issues.length > 0
        ? `Nothing was built: the lab server found ${plural(r.issues.length, 'problem')} in the user data, marked in the editor and listed above.`
        : `Nothing was built: ${r.message}`,
    });
  };

  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <div className={styles.builder} data-installer-builder>
      <p className={styles.help} id={`${ids}-help`}>
        Enter starts a new line at the left margin: indent with spaces. Tab moves on to the next control. Problems are marked as you type; the lab server checks everything when you build.
        {' '}Insert token is the lab’s helper: Palette shows a token’s value once, to the admin who creates it, and the admin hands it to you; here the lab reads it for you.
      </p>
      <div className={styles.toolbar}>
        <div className={styles.field}>
          <label htmlFor={`${ids}-token`}>Token to insert</label>
          <select id={`${ids}-token`} className={styles.control} value={chosen?.name ?? ''} disabled={tokenList.length === 0}
            onChange={(e) => setTokenChoice(e.target.value)}>
            {tokenList.length === 0 ? <option value="">No token yet</option> : null}
            {tokenList.map((tk) => (
              <option key={tk.name} value={tk.name}>{tk.name}{tk.project ? ` (project ${tk.project})` : ''}{tk.expired ? ' (expired)' : ''}</option>
            ))}
          </select>
        </div>
        <button type="button" className="button button--secondary" disabled={!chosen} onClick={() => void insertToken()}>Insert token</button>
        <button type="button" className="button button--outline button--secondary" onClick={resetToTemplate}>Reset to template</button>
      </div>
      {tokens.outcome?.ok && tokenList.length === 0 ? (
        <p className={styles.note}>This lab’s Palette has no registration token yet. Create one (Tenant Settings → Registration Tokens), then insert it here.</p>
      ) : null}
      {tokens.outcome && !tokens.outcome.ok ? <p className={styles.note}>The tokens did not load: {tokens.outcome.message}</p> : null}
      {tokenNote ? <p className={styles.note} role="status">{tokenNote}</p> : null}

      <Suspense fallback={<pre className={styles.note} aria-busy="true">{text}</pre>}>
        <UserDataEditor initialText={initialText} text={text} onChange={setText} serverProblems={fromServer} onProblems={onProblems}
          apiRef={editor} describedBy={`${ids}-help`} />
      </Suspense>
      <ProblemList problems={problems} onGo={(p) => editor.current?.focusAt(p.line, p.column)} />

      <div className={styles.toolbar}>
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void buildInstaller()}>
          {busy ? 'Building…' : 'Build installer'}
        </button>
        {errors > 0 && !busy ? <span className={styles.note}>{plural(errors, 'error')} marked; the lab server will refuse the build until they are fixed.</span> : null}
      </div>
      {build?.kind === 'refused' ? <p className={styles.refused} role="status" data-build="refused">{build.text}</p> : null}
      {build?.kind === 'built' ? <BuildResult installer={build.installer} placeholders={build.placeholders} /> : null}
      <BuiltInstallers outcome={installers.outcome} />
    </div>
  );
}

function ProblemList(props: { problems: readonly Problem[]; onGo: (p: Problem) => void }): ReactNode {
  if (props.problems.length === 0) return <p className={styles.note} data-problems="0">No problems marked.</p>;
  return (
    <div data-problems={props.problems.length}>
      <p className={styles.note}><strong>Problems ({props.problems.length})</strong></p>
      <ul className={styles.problems}>
        {props.problems.map((p, i) => (
          <li key={i} className={`${styles.problem} ${p.severity === 'warning' ? styles.warning : ''}`}
            data-line={p.line} data-column={p.column} data-severity={p.severity} data-source={p.source}>
            <button type="button" className={`button button--link ${styles.where}`} onClick={() => props.onGo(p)}>Line {p.line}, column {p.column}</button>
            <IssueText issue={{ message: p.path ? `\`${p.path}\`: ${p.message}` : p.message, hint: p.hint, severity: p.severity }} />{' '}
            <span className={styles.origin}>({p.source === 'server' ? 'lab server' : 'checked in the page'})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function BuildResult(props: { installer: BuiltInstaller; placeholders: readonly Placeholder[] }): ReactNode {
  const { installer } = props;
  const warnings = installer.warnings ?? [];
  const files = stickFiles(installer);
  return (
    <section className={styles.result} aria-label="Built installer" data-installer-id={installer.id}>
      <p className={styles.note} role="status" data-build="built">
        Built the Edge Installer <code>{installer.id}</code>{warnings.length > 0 ? `, with ${plural(warnings.length, 'warning')} marked in the editor` : ''}.
      </p>
      <dl className={styles.facts}>
        <dt>ID</dt><dd><code data-installer-field="id">{installer.id}</code></dd>
        <dt>SHA-256</dt><dd className={styles.hash} data-installer-field="sha256">{installer.sha256}</dd>
        <dt>Size</dt><dd data-installer-field="size">{formatSize(installer.size)}</dd>
        <dt>Built</dt><dd>{new Date(installer.createdAt).toLocaleString()}</dd>
      </dl>
      {warnings.length > 0 ? (
        <ul className={styles.problems} aria-label="Warnings">
          {warnings.map((w, i) => (
            <li key={i} className={`${styles.problem} ${styles.warning}`}>
              {typeof w.line === 'number' ? <strong>Line {w.line}{typeof w.column === 'number' ? `, column ${w.column}` : ''}: </strong> : null}
              <IssueText issue={{ ...w, message: w.path ? `\`${w.path}\`: ${w.message}` : w.message, severity: 'warning' }} />
            </li>
          ))}
        </ul>
      ) : null}
      {props.placeholders.length > 0 ? (
        <p className={`${styles.problem} ${styles.warning}`}>
          The user data still holds {plural(props.placeholders.length, 'placeholder')} ({props.placeholders.map((p) => `${p.text} on line ${p.line}`).join(', ')}): the installer carries them as written.
        </p>
      ) : null}
      <div className={styles.tableWrap}>
        <table aria-label="Files on the installer stick">
          <thead><tr><th>File on the stick</th><th>What it is</th><th>SHA-256</th></tr></thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path} data-file={f.path}>
                <td><code className={styles.path}>{f.path}</code></td>
                <td>{f.note ?? ''}</td>
                <td className={styles.hash}>{f.sha256}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function BuiltInstallers(props: { outcome: LabResource<{ installers: Installer[] }>['outcome'] }): ReactNode {
  const { outcome } = props;
  if (!outcome) return null;
  if (!outcome.ok) return <p className={styles.note}>The installers did not load: {outcome.message}</p>;
  const list = outcome.value.installers;
  if (list.length === 0) return null;
  const newest = newestInstaller(list);
  return (
    <section className={styles.built} aria-label="Installers built in this lab">
      <h3>Installers built in this lab</h3>
      <div className={styles.tableWrap}>
        <table>
          <thead><tr><th>ID</th><th>Size</th><th>Built</th><th>SHA-256</th></tr></thead>
          <tbody>
            {list.map((i) => (
              <tr key={i.id} className={i === newest ? styles.newest : undefined} data-installer={i.id} data-newest={i === newest || undefined}>
                <td><code>{i.id}</code>{i === newest ? <> <span className="badge badge--success">newest: the one a host gets</span></> : null}</td>
                <td>{formatSize(i.size)}</td>
                <td>{new Date(i.createdAt).toLocaleString()}</td>
                <td className={styles.hash}>{i.sha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
