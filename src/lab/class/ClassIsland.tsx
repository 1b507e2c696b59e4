/**
 * The browser-only body of the /class page. Without `?class=<id>` it offers "Open a class" (and
 * the classes this browser already keeps); with it, the dashboard, for the trainer secret kept in
 * localStorage or brought by the trainer link's `#trainer=<secret>` fragment, which is stored and
 * then removed from the address bar.
 */
import { useHistory, useLocation } from '@docusaurus/router';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ClassServer } from './class-api';
import { classIdFromSearch, trainerFromHash } from './class-links';
import { forgetClass, keepClass, listKeptClasses, readKeptClass, type KeptClass, type ListableStorage } from './class-store';
import { ClassDashboard } from './ClassDashboard';
import { OpenClassForm } from './OpenClassForm';
import styles from './class.module.css';

export interface ClassIslandProps {
  serverUrl: string;
  guidePath: string;
  classPagePath: string;
}

function storage(): ListableStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export default function ClassIsland(props: ClassIslandProps): ReactNode {
  const location = useLocation();
  const history = useHistory();
  const server = useMemo<ClassServer>(() => ({ url: props.serverUrl.replace(/\/+$/, '') }), [props.serverUrl]);
  const classId = classIdFromSearch(location.search);
  // undefined: not read yet (the first render); null: this browser holds no secret for the class.
  const [kept, setKept] = useState<KeptClass | null | undefined>(undefined);

  useEffect(() => {
    if (!classId) return setKept(null);
    const fromLink = trainerFromHash(location.hash);
    if (fromLink) {
      setKept(keepClass(storage(), { classId, ...fromLink }));
      history.replace({ pathname: location.pathname, search: location.search, hash: '' });
    } else {
      setKept(readKeptClass(storage(), classId));
    }
  }, [classId, location.hash, location.pathname, location.search, history]);

  const showClass = (id: string): void => history.push({ pathname: location.pathname, search: `?class=${encodeURIComponent(id)}`, hash: '' });
  const openNew = (): void => {
    if (classId) forgetClass(storage(), classId);
    history.push({ pathname: location.pathname, search: '', hash: '' });
  };

  if (!classId) {
    return (
      <>
        <OpenClassForm
          server={server}
          onOpened={(c) => {
            keepClass(storage(), { classId: c.classId, trainerSecret: c.trainerSecret, joinCode: c.joinCode, name: c.name, scenario: c.scenario });
            showClass(c.classId);
          }}
        />
        <KeptClasses pathname={location.pathname} />
      </>
    );
  }
  if (kept === undefined) return <p role="status">Reading this browser's classes…</p>;
  if (kept === null) {
    return (
      <div className="alert alert--warning" role="status" data-class-notice="no-secret">
        This browser holds no trainer secret for class <code>{classId}</code>. Open your trainer link (it ends in <code>#trainer=…</code>) in this browser, or open a new class.{' '}
        <button type="button" className="button button--sm button--secondary" onClick={openNew}>Open a new class</button>
      </div>
    );
  }
  return <ClassDashboard key={`${kept.classId} ${kept.trainerSecret}`} server={server} kept={kept} guidePath={props.guidePath} classPagePath={props.classPagePath} onOpenNew={openNew} />;
}

/** The classes this browser keeps, as links back to their dashboards. */
function KeptClasses(props: { pathname: string }): ReactNode {
  const [classes] = useState(() => listKeptClasses(storage()));
  if (classes.length === 0) return null;
  return (
    <section className={styles.card} aria-labelledby="kept-classes-title">
      <h2 id="kept-classes-title">Classes opened in this browser</h2>
      <ul data-kept-classes>
        {classes.map((c) => (
          <li key={c.classId}>
            <a href={`${props.pathname}?class=${encodeURIComponent(c.classId)}`} data-kept-class={c.classId}>{c.name ? `${c.name} (${c.classId})` : c.classId}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
