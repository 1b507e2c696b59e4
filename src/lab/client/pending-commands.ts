// Commands sent on the socket and not yet answered, by id. Each settles exactly once: with its
// command.result, or with a rejection when the connection closes first.
import { LabClientError, LabCommandRefused } from './errors';

interface Pending {
  name: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class PendingCommands {
  private readonly pending = new Map<string, Pending>();
  private next = 0;

  /** A fresh id and the promise its result settles. */
  add(name: string): { id: string; done: Promise<void> } {
    const id = `c${++this.next}`;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { name, resolve, reject }));
    return { id, done };
  }

  /** Settles the command `id`; false when no such command is pending (a late or foreign result). */
  settle(id: string, ok: boolean, error?: { code: string; message: string }): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    if (ok) p.resolve();
    else p.reject(new LabCommandRefused(p.name, error?.code ?? 'refused', error?.message ?? 'the lab gave no reason'));
    return true;
  }

  fail(id: string, err: Error): void {
    this.pending.get(id)?.reject(err);
    this.pending.delete(id);
  }

  /** Rejects every pending command: whether the lab ran it is unknown. */
  rejectAll(why: string): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new LabClientError(`${p.name} got no answer: ${why}; it may or may not have run, check the lab view`, 'closed'));
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
