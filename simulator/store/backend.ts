// The part every LabStore implementation shares: argument checks, JSON encoding, the clock and
// ids, call ordering and transactions. A backend only supplies a synchronous `StoreCore` over
// its storage plus begin/commit/rollback, so SQLite and the in-memory store cannot drift apart.
// (An asynchronous network backend will need its own assembly; the LabStore contract stays.)
import { AsyncLocalStorage } from 'node:async_hooks';
import { StoreError } from './errors';
import type { Appended, Lab, LabEvent, LabStore, LabStoreOps, StoredDoc } from './types';

/** Rows as a backend holds them: JSON still encoded. */
export type EventRow = Omit<LabEvent, 'payload'> & { payload: string };
export type DocRow = Omit<StoredDoc, 'doc'> & { doc: string };

/**
 * Synchronous storage primitives. Each call is atomic on its own. Per-lab methods throw
 * StoreNotFoundError for an unknown lab; putDoc/removeDoc throw StoreConflictError when
 * `expectedVersion` is given and differs from the current version (0 = absent).
 */
export interface StoreCore {
  insertLab(lab: Lab): void;
  getLab(id: string): Lab | undefined;
  listLabs(): Lab[];
  deleteLab(id: string): boolean;
  append(labId: string, type: string, payload: string, at: number): Appended;
  eventsSince(labId: string, seq: number, limit: number | undefined): EventRow[];
  getDoc(labId: string, kind: string, id: string): DocRow | undefined;
  listDocs(labId: string, kind: string): DocRow[];
  putDoc(labId: string, kind: string, id: string, doc: string, expectedVersion: number | undefined, at: number): DocRow;
  removeDoc(labId: string, kind: string, id: string, expectedVersion: number | undefined): boolean;
}

export interface Backend {
  core: StoreCore;
  /** Start, commit, abandon the one explicit transaction (never nested: the gate serialises them). */
  begin(): void;
  commit(): void;
  rollback(): void;
  close(): void;
}

/** A marker set while a transaction's callback runs, visible to everything it awaits. */
interface TxToken { active: boolean }

/** Orders calls: each starts after every earlier one has settled, so a transaction runs alone. */
class Gate {
  private tail: Promise<unknown> = Promise.resolve();
  private closing = false;
  readonly context = new AsyncLocalStorage<TxToken>();

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.context.getStore()?.active) {
      return Promise.reject(new StoreError('in-transaction', 'the store was called inside its own transaction(); use the `tx` handle passed to the callback'));
    }
    if (this.closing) return Promise.reject(new StoreError('closed', 'the store is closed; open it again'));
    const result = this.tail.then(() => fn());
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Runs fn after every call made so far; any call after this one is refused. */
  last<T>(fn: () => T): Promise<T> {
    const result = this.run(fn);
    this.closing = true;
    return result;
  }
}

const MAX_ID_LENGTH = 256;
const KIND_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

function invalid(message: string): StoreError {
  return new StoreError('invalid', message);
}

function checkId(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw invalid(`${what} must be a non-empty string of at most ${MAX_ID_LENGTH} characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkKind(kind: unknown): string {
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind)) throw invalid(`a document kind is lowercase letters, digits and dashes (e.g. "edge-host"), got ${JSON.stringify(kind)}`);
  return kind;
}

function checkCount(what: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw invalid(`${what} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

function encode(what: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new StoreError('invalid', `${what} cannot be stored as JSON: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined) throw invalid(`${what} must be a JSON value, got ${typeof value}`);
  return text;
}

const decodeDoc = <T>(row: DocRow): StoredDoc<T> => ({ ...row, doc: JSON.parse(row.doc) as T });
const decodeEvent = <P>(row: EventRow): LabEvent<P> => ({ ...row, payload: JSON.parse(row.payload) as P });
const version = (o?: { expectedVersion?: number }): number | undefined =>
  o?.expectedVersion === undefined ? undefined : checkCount('expectedVersion', o.expectedVersion, 0);

/** The public operations over `core`, each executed through `run`. */
function bindOps(core: StoreCore, deps: { now: () => Date; newId: () => string }, run: <T>(fn: () => T) => Promise<T>): LabStoreOps {
  const now = (): number => deps.now().getTime();
  return {
    createLab: (input) => run(() => {
      const lab: Lab = {
        id: checkId('a lab id', input.id ?? deps.newId()),
        scenario: checkId('a scenario name', input.scenario),
        role: input.role == null ? null : checkId('a role', input.role),
        createdAt: input.createdAt === undefined ? now() : checkCount('createdAt', input.createdAt, 0),
        lastSeq: 0,
      };
      core.insertLab(lab);
      return lab;
    }),
    getLab: (id) => run(() => core.getLab(checkId('a lab id', id))),
    listLabs: () => run(() => core.listLabs()),
    deleteLab: (id) => run(() => core.deleteLab(checkId('a lab id', id))),
    append: (labId, event) => run(() => {
      const type = checkId('an event type', event?.type);
      return core.append(checkId('a lab id', labId), type, encode(`the payload of "${type}"`, event.payload), now());
    }),
    eventsSince: <P>(labId: string, seq: number, limit?: number) => run(() =>
      core.eventsSince(checkId('a lab id', labId), checkCount('seq', seq, 0), limit === undefined ? undefined : checkCount('limit', limit, 1)).map((r) => decodeEvent<P>(r))),
    put: <T>(labId: string, kind: string, id: string, doc: T, options?: { expectedVersion?: number }) => run(() =>
      decodeDoc<T>(core.putDoc(checkId('a lab id', labId), checkKind(kind), checkId('a document id', id), encode(`${kind} "${id}"`, doc), version(options), now()))),
    get: <T>(labId: string, kind: string, id: string) => run(() => {
      const row = core.getDoc(checkId('a lab id', labId), checkKind(kind), checkId('a document id', id));
      return row && decodeDoc<T>(row);
    }),
    list: <T>(labId: string, kind: string) => run(() => core.listDocs(checkId('a lab id', labId), checkKind(kind)).map((r) => decodeDoc<T>(r))),
    remove: (labId, kind, id, options) => run(() => core.removeDoc(checkId('a lab id', labId), checkKind(kind), checkId('a document id', id), version(options))),
  };
}

/** A LabStore over `backend`: direct calls queue on the gate; transactions hold it until they settle. */
export function assembleStore(backend: Backend, deps: { now: () => Date; newId: () => string }): LabStore {
  const gate = new Gate();
  const direct = bindOps(backend.core, deps, (fn) => gate.run(fn));
  return {
    ...direct,
    transaction: (fn) => gate.run(() => {
      const token: TxToken = { active: true };
      const tx = bindOps(backend.core, deps, async (step) => {
        if (!token.active) throw new StoreError('transaction-ended', 'this transaction has already finished; its `tx` handle cannot be used any more');
        return step();
      });
      backend.begin();
      return gate.context.run(token, async () => {
        try {
          const result = await fn(tx);
          token.active = false;
          backend.commit();
          return result;
        } catch (err) {
          token.active = false;
          backend.rollback();
          throw err;
        }
      });
    }),
    close: () => gate.last(() => backend.close()),
  };
}
