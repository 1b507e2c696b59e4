import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTransientStoreError, StoreBusyError, StoreFullError, StoreOpenError } from './errors';
import { SCHEMA_VERSION } from './sqlite-migrations';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store';
import { describeLabStoreContract } from './store-contract';

let dir: string;
let files = 0;
const fresh = (): string => join(dir, `lab-${++files}.db`);
const deps: SqliteStoreOptions = { now: () => new Date(1_700_000_000_000), newId: () => `id-${++files}` };

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'edge-lab-store-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describeLabStoreContract('sqlite', (d) => openSqliteStore(fresh(), d));

describe('openSqliteStore on a real file', () => {
  it('uses WAL, a busy timeout and numbered migrations', async () => {
    const path = fresh();
    const store = await openSqliteStore(path, { ...deps, busyTimeoutMs: 1234 });
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1, name: 'labs, events, documents' }]);
    raw.close();
    await store.close();
    const again = await openSqliteStore(path, deps); // migrations are not applied twice
    await again.close();
    expect(SCHEMA_VERSION).toBe(1);
  });

  it('keeps labs, events and documents across a restart, and the log goes on from its last seq', async () => {
    const path = fresh();
    const first = await openSqliteStore(path, deps);
    await first.createLab({ id: 'lab', scenario: 'single-node', role: 'solo' });
    await first.append('lab', { type: 'phase.started', payload: { phase: 'registration' } });
    await first.append('lab', { type: 'host.registered', payload: { host: 'edge-1' } });
    await first.put('lab', 'edge-host', 'edge-1', { status: 'Ready' });
    await first.put('lab', 'edge-host', 'edge-1', { status: 'In-Use' });
    await first.transaction(async () => { throw new Error('abandoned'); }).catch(() => undefined);
    await first.close();

    const second = await openSqliteStore(path, deps);
    expect(await second.getLab('lab')).toMatchObject({ scenario: 'single-node', role: 'solo', lastSeq: 2 });
    expect((await second.eventsSince('lab', 1)).map((e) => [e.seq, e.type])).toEqual([[2, 'host.registered']]);
    expect(await second.get('lab', 'edge-host', 'edge-1')).toMatchObject({ version: 2, doc: { status: 'In-Use' } });
    expect(await second.append('lab', { type: 'next', payload: null })).toMatchObject({ seq: 3 });
    await second.close();
  });

  it('lets two instances share one file: each sees the other\'s committed writes, never uncommitted ones', async () => {
    const path = fresh();
    const a = await openSqliteStore(path, deps);
    const b = await openSqliteStore(path, { ...deps, busyTimeoutMs: 50 });
    await a.createLab({ id: 'lab', scenario: 's' });
    await a.put('lab', 'token', 't', { name: 'first' });
    expect(await b.get('lab', 'token', 't')).toMatchObject({ version: 1, doc: { name: 'first' } });
    expect(await b.append('lab', { type: 'from-b', payload: null })).toMatchObject({ seq: 1 });
    expect(await a.append('lab', { type: 'from-a', payload: null })).toMatchObject({ seq: 2 });
    await expect(b.put('lab', 'token', 't', {}, { expectedVersion: 0 })).rejects.toMatchObject({ code: 'conflict', actualVersion: 1 });

    await a.transaction(async (tx) => {
      await tx.put('lab', 'token', 't', { name: 'uncommitted' });
      expect((await b.get('lab', 'token', 't'))!.doc).toEqual({ name: 'first' });
      // a holds the write lock: b waits busy_timeout, then gets a typed error
      await expect(b.append('lab', { type: 'blocked', payload: null })).rejects.toBeInstanceOf(StoreBusyError);
    });
    expect((await b.get('lab', 'token', 't'))!.doc).toEqual({ name: 'uncommitted' });
    expect((await b.eventsSince('lab', 0)).map((e) => e.type)).toEqual(['from-b', 'from-a']);
    await a.close();
    await b.close();
  });
});

describe('openSqliteStore refuses bad paths with a clear error', () => {
  const refusal = async (path: string): Promise<StoreOpenError> => {
    const err = await openSqliteStore(path, deps).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreOpenError);
    const e = err as StoreOpenError;
    expect(e.message).toMatch(/^\[store\] /);
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain(path);
    expect(e.path).toBe(path);
    return e;
  };

  it('a directory that does not exist', async () => {
    const path = join(dir, 'missing', 'deeper', 'lab.db');
    expect((await refusal(path)).reason).toBe('no-directory');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('a path that is a directory', async () => {
    const path = join(dir, 'a-directory');
    mkdirSync(path);
    expect((await refusal(path)).reason).toBe('not-a-file');
  });

  it('a file that is not SQLite, left untouched', async () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = readFileSync(path);
    expect((await refusal(path)).reason).toBe('not-a-database');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`) || existsSync(`${path}-shm`)).toBe(false);
  });

  it('a SQLite file with damaged pages, left untouched', async () => {
    const path = join(dir, 'damaged.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)');
    const insert = raw.prepare('INSERT INTO t VALUES (?)');
    raw.transaction(() => { for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(50)}`); })();
    raw.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096 * 2, 4096 * 6); // pages 3 to 6 become garbage; the header stays valid
    writeFileSync(path, bytes);
    expect((await refusal(path)).reason).toBe('not-a-database');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a database written by a newer simulator', async () => {
    const path = fresh();
    await (await openSqliteStore(path, deps)).close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'from the future', 0);
    raw.close();
    const e = await refusal(path);
    expect(e.reason).toBe('too-new');
    expect(e.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
  });
});

describe('openSqliteStore on a full disk', () => {
  // A 2 MiB tmpfs the test mounts and unmounts itself (the suite runs as root, as README says).
  let small: string;
  beforeAll(() => {
    small = mkdtempSync(join(tmpdir(), 'edge-lab-test-store-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', small]);
  });
  afterAll(() => {
    execFileSync('umount', [small]);
    rmSync(small, { recursive: true, force: true });
  });

  it('refuses a write with StoreFullError naming the file and what to do, keeps what it had, and writes again once space is freed', async () => {
    const path = join(small, 'lab.db');
    const store = await openSqliteStore(path, deps);
    await store.createLab({ id: 'lab', scenario: 'single-node', role: 'solo' });
    writeFileSync(join(small, 'filler'), Buffer.alloc(1024 * 1024));
    const big = 'x'.repeat(64 * 1024);
    let refused: unknown = null;
    let written = 0;
    for (let i = 0; i < 64 && refused === null; i++) {
      try { await store.append('lab', { type: 'host.console', payload: { big, i } }); written++; } catch (err) { refused = err; }
    }
    expect(refused).toBeInstanceOf(StoreFullError);
    expect((refused as StoreFullError).code).toBe('full');
    expect((refused as Error).message).toMatch(/^\[store\] the disk holding .*lab\.db is full.*free space/);
    expect(isTransientStoreError(refused)).toBe(true);
    // Nothing half-written: the log holds exactly the appends that were answered.
    expect((await store.eventsSince('lab', 0)).length).toBe(written);
    rmSync(join(small, 'filler'));
    const { seq } = await store.append('lab', { type: 'host.console', payload: { after: true } });
    expect(seq).toBe(written + 1);
    await store.close();
  });

  it('syncs every commit (synchronous=FULL), so a commit survives the machine losing power', async () => {
    const store = await openSqliteStore(join(small, 'sync.db'), deps);
    expect(store.synchronous).toBe('full');
    await store.close();
  });
});
