// Typed failures of the lab store. Every message starts with `[store]` and says what to do, so
// the CLI and the server can print it as one line without a stack trace.

export type StoreErrorCode =
  | 'not-found' // the lab (StoreNotFoundError) or the checkpoint blob (BlobNotFoundError) does not exist
  | 'exists' // createLab with an id already taken
  | 'conflict' // optimistic concurrency: the document's version changed
  | 'invalid' // an argument the store refuses (not JSON, bad seq, empty id…)
  | 'closed' // the store was closed
  | 'busy' // another connection held the database longer than busy_timeout
  | 'full' // the disk (or the database's size limit) has no room for the write
  | 'corrupt' // the database file is damaged
  | 'in-transaction' // the store itself was called inside its own transaction()
  | 'transaction-ended' // a tx handle used after its transaction finished
  | 'io'; // any other database or file failure

export class StoreError extends Error {
  override name = 'StoreError';
  constructor(readonly code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[store] ${message}`, options);
  }
}

/** A per-lab operation on a lab that does not exist (or was deleted). */
export class StoreNotFoundError extends StoreError {
  override name = 'StoreNotFoundError';
  constructor(readonly labId: string) {
    super('not-found', `lab "${labId}" does not exist (it was never created or has been deleted)`);
  }
}

/** createLab with an id that is already taken. */
export class StoreExistsError extends StoreError {
  override name = 'StoreExistsError';
  constructor(readonly labId: string) {
    super('exists', `lab "${labId}" already exists; pick another id or delete the old lab first`);
  }
}

/**
 * A write with `expectedVersion` found another version: someone else changed (or created, or
 * removed) the document since it was read. `actualVersion` is 0 when the document is absent.
 * Re-read, re-apply the change and retry.
 */
export class StoreConflictError extends StoreError {
  override name = 'StoreConflictError';
  constructor(
    readonly labId: string,
    readonly kind: string,
    readonly id: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super('conflict', `${kind} "${id}" in lab "${labId}" is at version ${actualVersion}, not the expected ${expectedVersion}; re-read it and retry`);
  }
}

/** Another connection kept the database locked for longer than busy_timeout. */
export class StoreBusyError extends StoreError {
  override name = 'StoreBusyError';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super('busy', `${path} stayed locked by another connection past busy_timeout; retry, and keep transactions short`, options);
  }
}

export type StoreOpenErrorCode = 'no-directory' | 'not-a-file' | 'not-a-database' | 'too-new' | 'open-failed';

/** The database at `path` could not be opened; the file was left as it was. */
export class StoreOpenError extends StoreError {
  override name = 'StoreOpenError';
  constructor(readonly reason: StoreOpenErrorCode, readonly path: string, message: string, options?: { cause?: unknown }) {
    super(reason === 'not-a-database' ? 'corrupt' : 'io', message, options);
  }
}

/** A write found no room: the filesystem holding the database is full. Nothing half-written stays (SQLite rolls back). */
export class StoreFullError extends StoreError {
  override name = 'StoreFullError';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super('full', `the disk holding ${path} is full, so the write was not saved; free space on that filesystem (the lab retries what its hosts reported)`, options);
  }
}

/** Store failures that pass when retried later (a lock let go, space freed), as opposed to a caller's mistake. */
export function isTransientStoreError(err: unknown): err is StoreError {
  return err instanceof StoreError && (err.code === 'busy' || err.code === 'full' || err.code === 'io');
}
