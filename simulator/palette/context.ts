// What every part of one lab's Palette shares: the deps, typed reads, and `write`, the only way
// to change state. `write` runs its function as one store transaction, appends lab events
// through it, and only after the commit notifies onEvent and runs the after-commit hooks (e.g.
// waking long polls); a function that throws changes nothing and notifies no one.
import type { PaletteIssue } from '../pure/palette';
import type { LabEvent } from '../store/types';
import type { PaletteEventPayloads, PaletteEventType } from './events';
import { records, type Records } from './records';
import type { Failure, PaletteDeps } from './types';
import type { Waiters } from './waiters';

export interface Tx {
  rec: Records;
  emit<T extends PaletteEventType>(type: T, payload: PaletteEventPayloads[T]): Promise<void>;
  afterCommit(fn: () => void): void;
  /** Seq of the lab's last event as this transaction sees it. */
  lastSeq(): Promise<number>;
}

export interface Ctx {
  deps: PaletteDeps;
  /** Reads outside a transaction. */
  rec: Records;
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  waiters: Waiters;
}

export function createCtx(deps: PaletteDeps, waiters: Waiters): Ctx {
  const { store, labId } = deps;
  const notify = (e: LabEvent): void => {
    try {
      deps.onEvent?.(e);
    } catch (err) {
      process.stderr.write(`[palette] an onEvent listener failed on ${e.type} #${e.seq}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };
  return {
    deps,
    rec: records(store, labId),
    waiters,
    async write(fn) {
      const appended: LabEvent[] = [];
      const after: (() => void)[] = [];
      const result = await store.transaction(async (ops) => {
        const tx: Tx = {
          rec: records(ops, labId),
          async emit(type, payload) {
            const a = await ops.append(labId, { type, payload });
            appended.push({ labId, seq: a.seq, at: a.at, type, payload });
          },
          afterCommit: (f) => void after.push(f),
          lastSeq: async () => (await ops.getLab(labId))?.lastSeq ?? 0,
        };
        return fn(tx);
      });
      appended.forEach(notify);
      after.forEach((f) => f());
      return result;
    },
  };
}

export function fail(reason: Failure['reason'], issues: PaletteIssue[]): Failure {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0] ?? issues[0];
  const message = !first ? reason
    : `${first.path ? `${first.path}: ` : ''}${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  return { ok: false, reason, message, issues };
}

/** A not-found failure about `what` (e.g. `edge host edge-1`), at `path`. */
export function notFound(path: string, what: string, hint: string): Failure {
  return fail('not-found', [{ path, code: 'not-found', message: `there is no ${what}`, hint, severity: 'error' }]);
}
