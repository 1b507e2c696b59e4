// A request that could not be saved because the store failed for a while (locked, disk full, an
// I/O error) is refused with 503 and the store's own words, never a generic 500: the page shows
// what is wrong and that retrying later works, and nothing the request asked for half-happened
// (each store write is one transaction).
import { isTransientStoreError } from '../store/errors';

export interface StoreRefusal {
  status: 503;
  body: { error: `store-${string}`; message: string };
  headers: { 'retry-after': string };
}

/** The 503 for a transient store failure, or null when `err` is something else. */
export function storeRefusal(err: unknown): StoreRefusal | null {
  if (!isTransientStoreError(err)) return null;
  return {
    status: 503,
    body: { error: `store-${err.code}`, message: `${err.message}. Nothing was changed; try again once that is fixed.` },
    headers: { 'retry-after': '5' },
  };
}
