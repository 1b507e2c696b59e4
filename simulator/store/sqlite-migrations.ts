// Numbered schema migrations for the SQLite lab store. Contract: a migration, once released, is
// never edited; a change is a new entry with the next number. Each runs in the same IMMEDIATE
// transaction as its `schema_migrations` row, so several processes opening one file apply it once.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'labs, events, documents',
    sql: `
      CREATE TABLE labs (
        id TEXT PRIMARY KEY,
        scenario TEXT NOT NULL,
        role TEXT,
        created_at INTEGER NOT NULL,
        last_seq INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX labs_by_age ON labs (created_at, id);
      CREATE TABLE events (
        lab_id TEXT NOT NULL REFERENCES labs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (lab_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE documents (
        lab_id TEXT NOT NULL REFERENCES labs (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (lab_id, kind, id)
      ) STRICT;
    `,
  },
];

/** The newest schema this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the database up to SCHEMA_VERSION. Returns the version found before, so the caller can
 * refuse a database written by a newer simulator (found > SCHEMA_VERSION) — nothing is changed then.
 */
export function migrate(db: Database.Database, now: () => number): { found: number } {
  return db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL
    ) STRICT`);
    const found = (db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number);
    if (found > SCHEMA_VERSION) return { found };
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= found) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, now());
    }
    return { found };
  }).immediate();
}
