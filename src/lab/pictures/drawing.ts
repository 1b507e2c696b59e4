/**
 * A laid-out ELK graph (every coordinate relative to the root, see chart-graph.ts and
 * cluster-graph.ts) as flat lists a component draws in order: boxes, parents before
 * their children, and edges as polylines with their labels. Pure; it throws if ELK left
 * a node without a position, so a broken layout shows as an error rather than a heap of
 * boxes at the origin.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

export interface Box {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** 0 for a child of the root. */
  readonly depth: number;
  readonly parent: string | null;
  readonly compound: boolean;
}

export interface Point { readonly x: number; readonly y: number }

export interface Line {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly points: readonly Point[];
  readonly labels: readonly { readonly text: string; readonly x: number; readonly y: number; readonly width: number; readonly height: number }[];
}

export interface Drawing {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly Box[];
  readonly lines: readonly Line[];
}

const num = (v: number | undefined, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`[pictures] the layout left ${what} without a position`);
  return v;
};

export function drawingOf(layout: ElkNode): Drawing {
  const boxes: Box[] = [];
  const lines: Line[] = [];
  const visit = (n: ElkNode, depth: number, parent: string | null): void => {
    for (const c of n.children ?? []) {
      boxes.push({
        id: c.id, x: num(c.x, c.id), y: num(c.y, c.id), width: num(c.width, c.id), height: num(c.height, c.id),
        depth, parent, compound: (c.children?.length ?? 0) > 0,
      });
      visit(c, depth + 1, c.id);
    }
    for (const e of n.edges ?? []) lines.push(lineOf(e));
  };
  visit(layout, 0, null);
  return { width: num(layout.width, 'the picture'), height: num(layout.height, 'the picture'), boxes, lines };
}

function lineOf(e: ElkExtendedEdge): Line {
  const points: Point[] = [];
  for (const s of e.sections ?? []) {
    points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
  }
  return {
    id: e.id,
    source: e.sources[0] ?? '',
    target: e.targets[0] ?? '',
    points: points.map((p) => ({ x: p.x, y: p.y })),
    labels: (e.labels ?? []).map((l) => ({
      text: l.text ?? '', x: num(l.x, `a label of ${e.id}`), y: num(l.y, `a label of ${e.id}`), width: l.width ?? 0, height: l.height ?? 0,
    })),
  };
}

/** Whether two boxes overlap (touching edges do not count). */
export function overlaps(a: Pick<Box, 'x' | 'y' | 'width' | 'height'>, b: Pick<Box, 'x' | 'y' | 'width' | 'height'>): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** An SVG path through the points. */
export function pathData(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}
