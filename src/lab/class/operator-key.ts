// The lab server's operator key, as the class page keeps it: in sessionStorage (this tab only,
// gone when it closes), never in the address, so opening several classes in one sitting asks once.
// Storage failures are swallowed: the field still works, it just is not remembered.
import type { StorageLike } from '../client/remembered-lab';

export const OPERATOR_KEY = 'edge-lab:operator-key';

export function readOperatorKey(storage: StorageLike | null): string {
  try {
    return storage?.getItem(OPERATOR_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keeps `key` (trimmed); an empty one forgets it. */
export function keepOperatorKey(storage: StorageLike | null, key: string): void {
  try {
    const k = key.trim();
    if (k) storage?.setItem(OPERATOR_KEY, k);
    else storage?.removeItem(OPERATOR_KEY);
  } catch {
    /* see the header */
  }
}

export function sessionStore(): StorageLike | null {
  try {
    return typeof window !== 'undefined' && window.sessionStorage ? window.sessionStorage : null;
  } catch {
    return null;
  }
}
