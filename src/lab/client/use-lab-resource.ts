// A lab HTTP resource kept fresh: fetched on mount, again whenever the lab's log shows an event the
// caller says may change it (e.g. any palette.* event for the Edge Hosts grid), and on an interval
// for things that change without an event (host health ages). SSR renders the loading state.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabEvent } from '../../../simulator/pure/protocol';
import { useLabContext, useLabState } from './hooks';
import type { AnswerOf, RouteContract } from '../../../simulator/pure/protocol/http-routes';
import { callLabRoute, type ApiOutcome } from './lab-api';

export interface LabResource<T> {
  /** The last answer, kept while a refresh is under way; null before the first. */
  outcome: ApiOutcome<T> | null;
  reload: () => void;
}

export interface LabResourceOptions {
  /** Refetch when an event of the lab's log matches. Default: every `palette.` event. */
  refreshOn?: (event: LabEvent) => boolean;
  /** Also refetch this often (ms). Default: never. */
  pollMs?: number;
}

const paletteEvents = (e: LabEvent): boolean => e.type.startsWith('palette.');

/** `route` of the lab or its Palette (pure/protocol/http-routes.ts), with `params` for its path; the answer is checked against the route's schema. */
export function useLabResource<R extends RouteContract>(route: R, options: LabResourceOptions & { params?: Readonly<Record<string, string>> } = {}): LabResource<AnswerOf<R>> {
  type T = AnswerOf<R>;
  const lab = useLabContext();
  const state = useLabState();
  const [outcome, setOutcome] = useState<ApiOutcome<T> | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const refreshOn = options.refreshOn ?? paletteEvents;
  const ready = state.session.status === 'ready';

  // The newest event seq that should refresh this resource.
  const events = state.connection.events;
  let relevantSeq = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    if (refreshOn(events[i]!.event)) { relevantSeq = events[i]!.seq; break; }
  }
  const labId = state.connection.labId;

  const paramsKey = JSON.stringify(options.params ?? {});
  const latest = useRef(0);
  useEffect(() => {
    if (!ready) return;
    const call = ++latest.current;
    const params = JSON.parse(paramsKey) as Record<string, string>;
    void callLabRoute(lab.session, route, { params }).then((o) => { if (call === latest.current) setOutcome(o); });
  }, [lab, route, paramsKey, ready, relevantSeq, tick, labId]);

  useEffect(() => {
    if (!options.pollMs) return undefined;
    const t = setInterval(reload, options.pollMs);
    return () => clearInterval(t);
  }, [options.pollMs, reload]);

  return { outcome, reload };
}
