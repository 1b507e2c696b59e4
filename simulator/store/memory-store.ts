// An in-memory LabStore for fast unit tests elsewhere. It keeps the same contract as the SQLite
// store (store-contract.ts runs against both): JSON is encoded on write and decoded on read, so
// callers never share objects with it; a transaction is undone from a snapshot on throw. It is a
// test double only: its state dies with the instance and no other instance can see it.
import { assembleStore, type DocRow, type EventRow, type StoreCore } from './backend';
import { StoreConflictError, StoreExistsError, StoreNotFoundError } from './errors';
import type { Lab, LabStore, StoreDeps } from './types';

interface LabState {
  lab: Lab;
  events: EventRow[];
  /** `${kind}\n${id}` → row */
  docs: Map<string, DocRow>;
}

type State = Map<string, LabState>;

export function createMemoryStore(deps: StoreDeps): LabStore {
  let state: State = new Map();
  let snapshot: State | undefined;

  const labState = (labId: string): LabState => {
    const s = state.get(labId);
    if (!s) throw new StoreNotFoundError(labId);
    return s;
  };
  const key = (kind: string, id: string): string => `${kind}\n${id}`;
  const checkVersion = (labId: string, kind: string, id: string, cur: DocRow | undefined, expected: number | undefined): number => {
    const actual = cur?.version ?? 0;
    if (expected !== undefined && expected !== actual) throw new StoreConflictError(labId, kind, id, expected, actual);
    return actual;
  };
  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  const core: StoreCore = {
    insertLab: (lab) => {
      if (state.has(lab.id)) throw new StoreExistsError(lab.id);
      state.set(lab.id, { lab: { ...lab }, events: [], docs: new Map() });
    },
    getLab: (id) => {
      const s = state.get(id);
      return s && { ...s.lab };
    },
    listLabs: () => [...state.values()].map((s) => ({ ...s.lab })).sort((a, b) => a.createdAt - b.createdAt || byId(a, b)),
    deleteLab: (id) => state.delete(id),
    append: (labId, type, payload, at) => {
      const s = labState(labId);
      const seq = s.lab.lastSeq + 1;
      s.lab.lastSeq = seq;
      s.events.push({ labId, seq, at, type, payload });
      return { seq, at };
    },
    eventsSince: (labId, seq, limit) => {
      // Events are stored in seq order starting at 1, so the first one after `seq` sits at index `seq`.
      const events = labState(labId).events.slice(seq, limit === undefined ? undefined : seq + limit);
      return events.map((e) => ({ ...e }));
    },
    getDoc: (labId, kind, id) => {
      const row = labState(labId).docs.get(key(kind, id));
      return row && { ...row };
    },
    listDocs: (labId, kind) => [...labState(labId).docs.values()].filter((d) => d.kind === kind).map((d) => ({ ...d })).sort(byId),
    putDoc: (labId, kind, id, doc, expected, at) => {
      const docs = labState(labId).docs;
      const cur = docs.get(key(kind, id));
      const version = checkVersion(labId, kind, id, cur, expected) + 1;
      const row: DocRow = { labId, kind, id, version, doc, createdAt: cur?.createdAt ?? at, updatedAt: at };
      docs.set(key(kind, id), row);
      return { ...row };
    },
    removeDoc: (labId, kind, id, expected) => {
      const docs = labState(labId).docs;
      checkVersion(labId, kind, id, docs.get(key(kind, id)), expected);
      return docs.delete(key(kind, id));
    },
  };

  return assembleStore({
    core,
    begin: () => { snapshot = structuredClone(state); },
    commit: () => { snapshot = undefined; },
    rollback: () => {
      if (snapshot) state = snapshot;
      snapshot = undefined;
    },
    close: () => { state = new Map(); },
  }, deps);
}
