/**
 * A component's hook onto elk-layout.ts: the laid-out graph for `key` (null while ELK works,
 * or an Error if it failed). `build` runs only when the key has no layout yet, so a new view
 * with the same structure re-renders the same layout.
 */
import { useEffect, useState } from 'react';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { layoutFor, layoutNow } from './elk-layout';

export function useLayout(key: string, build: () => ElkNode): ElkNode | Error | null {
  const [state, setState] = useState<{ key: string; layout: ElkNode | Error } | null>(null);
  const ready = state?.key === key ? state.layout : layoutNow(key) ?? null;
  useEffect(() => {
    if (layoutNow(key)) return;
    let live = true;
    layoutFor(key, build).then(
      (layout) => { if (live) setState({ key, layout }); },
      (err: unknown) => { if (live) setState({ key, layout: err instanceof Error ? err : new Error(String(err)) }); },
    );
    return () => { live = false; };
    // `build` is a fresh closure each render; the key alone says whether the graph changed.
  }, [key]);
  return ready;
}
