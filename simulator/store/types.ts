// The lab's persistence, behind one small asynchronous interface so that SQLite (embedded, the
// default) and later a network database (PostgreSQL, labs spread over several machines) are
// interchangeable. Contracts every implementation keeps (checked by store-contract.ts):
// - Nothing is cached between calls: every read sees every write committed before it, by this
//   instance or by any other instance on the same database.
// - Documents and payloads are JSON: what is read back is a fresh copy of what JSON.stringify
//   made of the value written (Dates become strings, undefined fields vanish).
// - Timestamps are milliseconds since the epoch from the injected clock (as in the lab protocol).
// - Per-lab methods throw StoreNotFoundError when the lab does not exist.
// - All failures are StoreError subclasses (errors.ts), messages prefixed `[store]`.

/** Injected so tests and replays are deterministic. */
export interface StoreDeps {
  now: () => Date;
  newId: () => string;
}

/** The unit of placement: everything else in the store belongs to exactly one lab. */
export interface Lab {
  id: string;
  scenario: string;
  /** The lifecycle role the lab was opened for; null when none was given. */
  role: string | null;
  createdAt: number;
  /** Seq of the lab's last event, 0 before the first: a snapshot taken now reflects the log up to here. */
  lastSeq: number;
}

export interface NewLab {
  /** Defaults to newId(). */
  id?: string;
  scenario: string;
  role?: string | null;
  /** Defaults to now(). */
  createdAt?: number;
}

/** One entry of a lab's append-only log. */
export interface LabEvent<P = unknown> {
  labId: string;
  /** 1 for the lab's first event, then +1 per event: no gaps, no reuse while the lab exists. */
  seq: number;
  at: number;
  type: string;
  payload: P;
}

export interface NewEvent {
  type: string;
  /** Any JSON value (null included); undefined is refused. */
  payload: unknown;
}

export interface Appended {
  seq: number;
  at: number;
}

/** Kinds of the simulated Palette's entities; any lowercase-dashed name is accepted. */
export type DocKind = 'project' | 'token' | 'profile' | 'edge-host' | 'cluster' | 'cluster-event' | (string & {});

/** A stored document; `version` is 1 when created and +1 on every put. */
export interface StoredDoc<T = unknown> {
  labId: string;
  kind: DocKind;
  id: string;
  version: number;
  doc: T;
  createdAt: number;
  updatedAt: number;
}

export interface WriteOptions {
  /**
   * Optimistic concurrency: the write happens only if the document is at this version now,
   * otherwise StoreConflictError. 0 means "must not exist" (create only). Omitted: unconditional.
   */
  expectedVersion?: number;
}

/** The data operations, on the store itself or on the handle of a transaction. */
export interface LabStoreOps {
  /** Creates a lab; StoreExistsError if the id is taken. */
  createLab(lab: NewLab): Promise<Lab>;
  getLab(id: string): Promise<Lab | undefined>;
  /** Oldest first (createdAt, then id). */
  listLabs(): Promise<Lab[]>;
  /** Deletes the lab with its events and documents; false if there was no such lab. */
  deleteLab(id: string): Promise<boolean>;

  /**
   * Appends to the lab's log atomically and durably (committed when this resolves, or when the
   * enclosing transaction commits). Callers notify listeners only AFTER that, never before, so a
   * client that reconnects with eventsSince(lastSeenSeq) misses nothing.
   */
  append(labId: string, event: NewEvent): Promise<Appended>;
  /** Events with seq > `seq`, in seq order, at most `limit` (default: all). Page by passing the last seq back. */
  eventsSince<P = unknown>(labId: string, seq: number, limit?: number): Promise<LabEvent<P>[]>;

  /** Creates or replaces a document (version + 1). The store does not validate `T`: callers parse what they read. */
  put<T>(labId: string, kind: DocKind, id: string, doc: T, options?: WriteOptions): Promise<StoredDoc<T>>;
  get<T = unknown>(labId: string, kind: DocKind, id: string): Promise<StoredDoc<T> | undefined>;
  /** All documents of a kind in the lab, by id. */
  list<T = unknown>(labId: string, kind: DocKind): Promise<StoredDoc<T>[]>;
  /** False if there was no such document; with expectedVersion, StoreConflictError if it changed. */
  remove(labId: string, kind: DocKind, id: string, options?: WriteOptions): Promise<boolean>;
}

export interface LabStore extends LabStoreOps {
  /**
   * Runs `fn` as one atomic unit: every write made through `tx` commits together when `fn`
   * resolves, or none does if it throws (the error is rethrown as is). Other calls on this store
   * wait until it ends; calling the store itself (not `tx`) inside `fn` is refused with
   * code 'in-transaction', and `tx` is unusable after `fn` settles. Keep `fn` short: a write
   * transaction blocks writers on other connections too. Notify listeners after it resolves.
   */
  transaction<T>(fn: (tx: LabStoreOps) => Promise<T>): Promise<T>;
  /** Waits for calls already made, then releases the database; later calls fail with code 'closed'. */
  close(): Promise<void>;
}
