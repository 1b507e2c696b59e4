// The embedded LabStore: one SQLite file through better-sqlite3 (synchronous, so each call is
// atomic on its own). WAL lets readers on other connections or processes run beside the one
// writer; busy_timeout makes a writer wait for another's lock instead of failing at once (the
// wait blocks this process's event loop, which is why transactions must stay short).
// Durability: synchronous=FULL in WAL mode: each commit syncs the WAL before it returns, so a
// commit survives the machine itself losing power, not only the process being killed (NORMAL
// would keep the last commits in the OS cache until a checkpoint). A lab's log is the one truth
// of where a learner stands, and its writes are few and small, so the sync is worth its cost.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { assembleStore, type DocRow, type EventRow, type StoreCore } from './backend';
import { StoreBusyError, StoreConflictError, StoreError, StoreExistsError, StoreFullError, StoreNotFoundError, StoreOpenError } from './errors';
import { migrate, SCHEMA_VERSION } from './sqlite-migrations';
import type { Lab, LabStore, StoreDeps } from './types';

export interface SqliteStoreOptions extends StoreDeps {
  /** How long a write waits for another connection's lock before StoreBusyError; default 5000. */
  busyTimeoutMs?: number;
}

export interface SqliteLabStore extends LabStore {
  readonly path: string;
  /** SQLite's synchronous level as the connection reports it after open: what a crash of the machine can lose. */
  readonly synchronous: 'off' | 'normal' | 'full' | 'extra';
}

/**
 * Opens (creating if absent) the database at `path` and migrates it to the current schema.
 * Fails with StoreOpenError — leaving any existing file as it was — when the directory is
 * missing, the path is a directory, the file is not a healthy SQLite database, or its schema
 * is newer than this code.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions): Promise<SqliteLabStore> {
  checkPath(path);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
  } catch (err) {
    throw new StoreOpenError('open-failed', path, `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    probe(db, path); // reads only: a file that is not ours is refused before anything is written
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    const { found } = migrate(db, () => options.now().getTime());
    if (found > SCHEMA_VERSION) {
      throw new StoreOpenError('too-new', path, `${path} has schema version ${found} but this simulator knows only up to ${SCHEMA_VERSION}; update the simulator`);
    }
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreOpenError('open-failed', path, `cannot open ${path}: ${(err as Error).message}`, { cause: err });
  }
  const synchronous = (['off', 'normal', 'full', 'extra'] as const)[db.pragma('synchronous', { simple: true }) as number] ?? 'off';
  const core = guard(sqliteCore(db), path);
  const store = assembleStore({
    core,
    begin: () => attempt(path, () => db.exec('BEGIN IMMEDIATE')),
    commit: () => attempt(path, () => db.exec('COMMIT')),
    rollback: () => { if (db.inTransaction) db.exec('ROLLBACK'); },
    close: () => db.close(),
  }, options);
  return { ...store, path, synchronous };
}

function checkPath(path: string): void {
  if (path === ':memory:') return;
  const dir = dirname(resolve(path));
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat?.isDirectory()) {
    throw new StoreOpenError('no-directory', path, `cannot open ${path}: the directory ${dir} does not exist; create it first`);
  }
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
    throw new StoreOpenError('not-a-file', path, `cannot open ${path}: it is a directory, not a database file`);
  }
}

function probe(db: Database.Database, path: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw err;
    problems = [(err as Error).message];
  }
  if (problems.length > 0) {
    throw new StoreOpenError('not-a-database', path, `${path} is not a SQLite database or is corrupt (${problems.slice(0, 3).join('; ')}); it was left untouched: move it aside or use another path`);
  }
}

/** Runs fn, turning better-sqlite3's errors into StoreErrors; StoreErrors pass through unchanged. */
function attempt<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const code = (err as { code?: string }).code ?? '';
    const message = (err as Error).message;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new StoreBusyError(path, { cause: err });
    if (code === 'SQLITE_FULL' || /ENOSPC|no space left/i.test(message)) throw new StoreFullError(path, { cause: err });
    if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw new StoreError('corrupt', `${path} is damaged (${message}); restore it from a backup or move it aside`, { cause: err });
    throw new StoreError('io', `${path}: ${message}`, { cause: err });
  }
}

function guard(core: StoreCore, path: string): StoreCore {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(core) as [string, (...a: unknown[]) => unknown][]) {
    wrapped[name] = (...args: unknown[]) => attempt(path, () => fn(...args));
  }
  return wrapped as unknown as StoreCore;
}

const LAB = 'id, scenario, role, created_at AS createdAt, last_seq AS lastSeq';
const DOC = 'lab_id AS labId, kind, id, version, doc, created_at AS createdAt, updated_at AS updatedAt';
const KEY = 'lab_id = ? AND kind = ? AND id = ?';

function sqliteCore(db: Database.Database): StoreCore {
  const s = {
    insertLab: db.prepare('INSERT INTO labs (id, scenario, role, created_at) VALUES (?, ?, ?, ?)'),
    getLab: db.prepare(`SELECT ${LAB} FROM labs WHERE id = ?`),
    listLabs: db.prepare(`SELECT ${LAB} FROM labs ORDER BY created_at, id`),
    deleteLab: db.prepare('DELETE FROM labs WHERE id = ?'),
    labExists: db.prepare('SELECT 1 FROM labs WHERE id = ?').pluck(),
    bumpSeq: db.prepare('UPDATE labs SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq').pluck(),
    insertEvent: db.prepare('INSERT INTO events (lab_id, seq, at, type, payload) VALUES (?, ?, ?, ?, ?)'),
    eventsSince: db.prepare('SELECT lab_id AS labId, seq, at, type, payload FROM events WHERE lab_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    getDoc: db.prepare(`SELECT ${DOC} FROM documents WHERE ${KEY}`),
    listDocs: db.prepare(`SELECT ${DOC} FROM documents WHERE lab_id = ? AND kind = ? ORDER BY id`),
    insertDoc: db.prepare('INSERT INTO documents (lab_id, kind, id, version, doc, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)'),
    updateDoc: db.prepare(`UPDATE documents SET version = version + 1, doc = ?, updated_at = ? WHERE ${KEY}`),
    deleteDoc: db.prepare(`DELETE FROM documents WHERE ${KEY}`),
  };
  // Writes take the write lock up front (savepoints when inside an explicit transaction);
  // reads run in one snapshot so "lab exists" and the rows they return agree.
  const write = <A extends unknown[], R>(fn: (...a: A) => R) => { const t = db.transaction(fn); return (...a: A): R => t.immediate(...a); };
  const read = <A extends unknown[], R>(fn: (...a: A) => R) => { const t = db.transaction(fn); return (...a: A): R => t.deferred(...a); };
  const requireLab = (labId: string): void => { if (!s.labExists.get(labId)) throw new StoreNotFoundError(labId); };
  const doc = (labId: string, kind: string, id: string) => s.getDoc.get(labId, kind, id) as DocRow | undefined;

  return {
    insertLab: (lab) => {
      try {
        s.insertLab.run(lab.id, lab.scenario, lab.role, lab.createdAt);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new StoreExistsError(lab.id);
        throw err;
      }
    },
    getLab: (id) => s.getLab.get(id) as Lab | undefined,
    listLabs: () => s.listLabs.all() as Lab[],
    deleteLab: (id) => s.deleteLab.run(id).changes > 0,
    append: write((labId: string, type: string, payload: string, at: number) => {
      const seq = s.bumpSeq.get(labId) as number | undefined;
      if (seq === undefined) throw new StoreNotFoundError(labId);
      s.insertEvent.run(labId, seq, at, type, payload);
      return { seq, at };
    }),
    eventsSince: read((labId: string, seq: number, limit: number | undefined) => {
      requireLab(labId);
      return s.eventsSince.all(labId, seq, limit ?? -1) as EventRow[];
    }),
    getDoc: read((labId: string, kind: string, id: string) => {
      const row = doc(labId, kind, id);
      if (!row) requireLab(labId);
      return row;
    }),
    listDocs: read((labId: string, kind: string) => {
      requireLab(labId);
      return s.listDocs.all(labId, kind) as DocRow[];
    }),
    putDoc: write((labId: string, kind: string, id: string, text: string, expected: number | undefined, at: number): DocRow => {
      const cur = doc(labId, kind, id);
      if (!cur) requireLab(labId);
      const actual = cur?.version ?? 0;
      if (expected !== undefined && expected !== actual) throw new StoreConflictError(labId, kind, id, expected, actual);
      if (cur) s.updateDoc.run(text, at, labId, kind, id);
      else s.insertDoc.run(labId, kind, id, text, at, at);
      return { labId, kind, id, version: actual + 1, doc: text, createdAt: cur?.createdAt ?? at, updatedAt: at };
    }),
    removeDoc: write((labId: string, kind: string, id: string, expected: number | undefined) => {
      const cur = doc(labId, kind, id);
      if (!cur) requireLab(labId);
      const actual = cur?.version ?? 0;
      if (expected !== undefined && expected !== actual) throw new StoreConflictError(labId, kind, id, expected, actual);
      return cur ? s.deleteDoc.run(labId, kind, id).changes > 0 : false;
    }),
  };
}
