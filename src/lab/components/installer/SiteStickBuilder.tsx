/**
 * Site user data in the page: the reader writes the site's own settings (only what they add or
 * change) and builds a site user-data stick (CIDATA) the hosts part can insert. The lab server
 * checks the file as site user data (no endpoint or token needed; `install` and `stages` refused)
 * and marks problems at their line and column, as for the installer.
 */
import { lazy, Suspense, useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { LAB_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { callLabRoute } from '../../client/lab-api';
import { useLabResource } from '../../client/use-lab-resource';
import { formatSize } from './installer-info';
import { serverProblems, type Problem } from './problems';
import type { UserDataEditorApi } from './UserDataEditor';
import styles from './installer.module.css';

const UserDataEditor = lazy(() => import('./UserDataEditor').then((m) => ({ default: m.UserDataEditor })));
const never = (): boolean => false;

export const SITE_USER_DATA_TEMPLATE = `#cloud-config
# Site user data: only the keys this site adds or changes. The host reads it
# from the CIDATA stick at its first boot from disk.
stylus:
  site:
    tags:
      store: "42"
`;

type Outcome = { kind: 'built'; id: string; size: number } | { kind: 'refused'; text: string };

export function SiteStickBuilder(): ReactNode {
  const lab = useLabContext();
  const [text, setText] = useState(SITE_USER_DATA_TEMPLATE);
  const [fromServer, setFromServer] = useState<Problem[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<UserDataEditorApi | null>(null);
  const ids = useId();
  const sticks = useLabResource(LAB_ROUTES.siteSticks, { refreshOn: never });
  const onProblems = useCallback((p: Problem[]) => setProblems(p), []);

  const build = async (): Promise<void> => {
    setBusy(true);
    setOutcome(null);
    const r = await callLabRoute(lab.session, LAB_ROUTES.buildSiteStick, { body: { userData: editor.current?.getText() ?? text } });
    setBusy(false);
    if (r.ok) {
      setFromServer(serverProblems(r.value.warnings ?? [], 'warning'));
      setOutcome({ kind: 'built', id: r.value.id, size: r.value.size });
      sticks.reload();
      return;
    }
    setFromServer(serverProblems(r.issues, 'error'));
    setOutcome({ kind: 'refused', text: r.issues.length > 0 ? `Nothing was built: ${r.issues.length} problem${r.issues.length === 1 ? '' : 's'} in the site user data, marked in the editor.` : `Nothing was built: ${r.message}` });
  };

  const list = sticks.outcome?.ok ? sticks.outcome.value.siteSticks : [];
  return (
    <div className={styles.builder} data-site-stick-builder>
      <p className={styles.help} id={`${ids}-help`}>
        Only what this site adds or changes (a project, tags, a network setting); the installer's user data holds the rest. Enter starts a new line at the left margin: indent with spaces.
      </p>
      <Suspense fallback={<pre className={styles.note} aria-busy="true">{text}</pre>}>
        <UserDataEditor initialText={SITE_USER_DATA_TEMPLATE} text={text} onChange={setText} serverProblems={fromServer} onProblems={onProblems}
          apiRef={editor} describedBy={`${ids}-help`} />
      </Suspense>
      {problems.length > 0 ? (
        <ul className={styles.problems} aria-label="Problems">
          {problems.map((p, i) => <li key={i} className={`${styles.problem} ${p.severity === 'warning' ? styles.warning : ''}`}>Line {p.line}: {p.path ? `\`${p.path}\`: ` : ''}{p.message}{p.hint ? ` Fix: ${p.hint}` : ''}</li>)}
        </ul>
      ) : null}
      <div className={styles.toolbar}>
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void build()}>
          {busy ? 'Building…' : 'Build the site user data stick'}
        </button>
      </div>
      {outcome?.kind === 'refused' ? <p className={styles.refused} role="status" data-build="refused">{outcome.text}</p> : null}
      {outcome?.kind === 'built' ? (
        <p className={styles.note} role="status" data-build="built" data-site-stick-id={outcome.id}>
          Built the site user data stick <code>{outcome.id}</code> ({formatSize(outcome.size)}, FAT, label CIDATA). Insert it into a host with the hosts part before its first boot from disk.
        </p>
      ) : null}
      {list.length > 0 ? (
        <p className={styles.note}>Site user data sticks in this lab: {list.map((s) => s.id).join(', ')} (a host gets the newest).</p>
      ) : null}
    </div>
  );
}
