/**
 * Lays graphs out with elkjs, once per key: a picture is laid out when its structure is new
 * and re-coloured otherwise (a new state value, a host powered off), never laid out again
 * for a view update. elkjs (1.6 MB) is loaded on first use, on the page's main thread
 * (`elk.bundled.js`, no worker: the graphs are small), so pages without a picture never
 * load it. The cache keeps the latest MAX_LAYOUTS keys.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';

interface Elk { layout(graph: ElkNode): Promise<ElkNode> }

export const MAX_LAYOUTS = 32;
const done = new Map<string, ElkNode>();
const pending = new Map<string, Promise<ElkNode>>();
let engine: Promise<Elk> | null = null;
let runs = 0;

function elk(): Promise<Elk> {
  engine ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const Ctor = ((m as { default?: unknown }).default ?? m) as new () => Elk;
    return new Ctor();
  });
  return engine;
}

/** The layout already made for `key`, if any (a component draws it at once). */
export function layoutNow(key: string): ElkNode | undefined {
  return done.get(key);
}

/** The layout for `key`, made from `build()` the first time only. */
export function layoutFor(key: string, build: () => ElkNode): Promise<ElkNode> {
  const ready = done.get(key);
  if (ready) return Promise.resolve(ready);
  const running = pending.get(key);
  if (running) return running;
  const p = elk()
    .then((e) => { runs += 1; return e.layout(build()); })
    .then((laid) => {
      done.set(key, laid);
      while (done.size > MAX_LAYOUTS) done.delete(done.keys().next().value as string);
      return laid;
    })
    .finally(() => pending.delete(key));
  pending.set(key, p);
  return p;
}

/** How many times ELK has run (tests check that a known key does not run it again). */
export function layoutRuns(): number {
  return runs;
}
