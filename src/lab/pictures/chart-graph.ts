/**
 * A statechart's structure (chart-structure.ts) as an ELK graph: a node per state, states
 * inside the state that contains them (compound nodes), a small dot per compound state for
 * the child it enters first, an "any state" node for the chart's own transitions, and an
 * edge per transition labelled with its events, one per line. Pure: sizes come from
 * text-size.ts, and nothing here depends on where the chart is now, so one layout serves
 * every state value (lit-states.ts colours it).
 *
 * Every coordinate of the laid-out graph is relative to the root (`elk.json.*Coords`), so
 * drawing needs no offsets. `meta` says what each ELK node and edge stands for.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { allStates, type ChartState, type ChartStateKind, type ChartStructure } from './chart-structure';
import { FONT_PX, LINE_PX, linesWidth, SMALL_FONT_PX, textWidth, wordsWidth } from './text-size';

export type ChartNodeMeta =
  | { readonly kind: 'state'; readonly path: string; readonly name: string; readonly subtitle: string | null; readonly stateKind: ChartStateKind; readonly region: boolean }
  | { readonly kind: 'initial'; readonly container: string }
  | { readonly kind: 'any' };

export interface ChartEdgeMeta {
  readonly source: string;
  readonly target: string;
  /** Empty for the edge from an initial dot. */
  readonly events: readonly string[];
}

export interface ChartGraph {
  /** Same structure and subtitles, same key: the layout cache's key. */
  readonly key: string;
  readonly graph: ElkNode;
  readonly nodes: Readonly<Record<string, ChartNodeMeta>>;
  readonly edges: Readonly<Record<string, ChartEdgeMeta>>;
}

export interface ChartGraphOptions {
  /** A second line under a state's name (a label in words), or null. */
  readonly subtitle?: (path: string) => string | null;
  /** Where transitions mostly point: DOWN (the default) or RIGHT. */
  readonly direction?: 'DOWN' | 'RIGHT';
}

export const ANY_STATE_ID = 'any';
export const ANY_STATE_TEXT = 'any state';
export const stateId = (path: string): string => `state:${path}`;
export const initialId = (container: string): string => `initial:${container}`;
export const INITIAL_DOT = 12;

const PAD = 10;
const ATOMIC_H = 28;

const ROOT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.edgeLabel': '3',
  'elk.spacing.edgeNode': '12',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
};

/** The header a compound state draws above its children: its name, and its subtitle if any. */
export function headerHeight(subtitle: string | null): number {
  return LINE_PX + (subtitle ? LINE_PX : 0) + 8;
}

export function chartGraph(chart: ChartStructure, options: ChartGraphOptions = {}): ChartGraph {
  const subtitle = options.subtitle ?? (() => null);
  const nodes: Record<string, ChartNodeMeta> = {};
  const edges: Record<string, ChartEdgeMeta> = {};
  const edgeList: ElkExtendedEdge[] = [];

  const initialOf = (container: string, first: string | null): ElkNode[] => {
    if (!first) return [];
    const id = initialId(container);
    nodes[id] = { kind: 'initial', container };
    const edgeId = `start:${container}`;
    edges[edgeId] = { source: id, target: stateId(first), events: [] };
    edgeList.push({ id: edgeId, sources: [id], targets: [stateId(first)] });
    return [{ id, width: INITIAL_DOT, height: INITIAL_DOT }];
  };

  const nodeOf = (s: ChartState, region: boolean): ElkNode => {
    const id = stateId(s.path);
    const sub = subtitle(s.path);
    nodes[id] = { kind: 'state', path: s.path, name: s.key, subtitle: sub, stateKind: s.kind, region };
    const lines = sub ? [s.key, sub] : [s.key];
    const labelWidth = Math.max(textWidth(s.key, FONT_PX), sub ? wordsWidth(sub, SMALL_FONT_PX) : 0);
    if (s.children.length === 0) {
      return { id, width: labelWidth + 2 * PAD, height: Math.max(ATOMIC_H, lines.length * LINE_PX + 10) };
    }
    return {
      id,
      layoutOptions: {
        'elk.padding': `[top=${headerHeight(sub) + 6},left=${PAD},bottom=${PAD},right=${PAD}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${labelWidth + 2 * PAD}, ${headerHeight(sub) + 20})`,
      },
      children: [...initialOf(s.path, s.initial), ...s.children.map((c) => nodeOf(c, s.kind === 'parallel'))],
    };
  };

  const children: ElkNode[] = [...initialOf('', chart.initial), ...chart.states.map((s) => nodeOf(s, false))];
  if (chart.transitions.some((t) => t.source === '')) {
    nodes[ANY_STATE_ID] = { kind: 'any' };
    children.unshift({ id: ANY_STATE_ID, width: textWidth(ANY_STATE_TEXT) + 2 * PAD, height: ATOMIC_H });
  }

  chart.transitions.forEach((t, i) => {
    const id = `t${i}`;
    const source = t.source === '' ? ANY_STATE_ID : stateId(t.source);
    const target = stateId(t.target);
    edges[id] = { source, target, events: t.events };
    edgeList.push({
      id, sources: [source], targets: [target],
      labels: [{ id: `${id}:label`, text: t.events.join('\n'), width: linesWidth(t.events, SMALL_FONT_PX) + 4, height: t.events.length * LINE_PX }],
    });
  });

  return {
    key: `${options.direction ?? 'DOWN'}:${chartKey(chart, subtitle)}`,
    graph: { id: `chart:${chart.id}`, layoutOptions: { ...ROOT_OPTIONS, 'elk.direction': options.direction ?? 'DOWN' }, children, edges: edgeList },
    nodes,
    edges,
  };
}

/** The chart's identity for the layout cache: its structure and the subtitles drawn in it. */
function chartKey(chart: ChartStructure, subtitle: (path: string) => string | null): string {
  const subs = allStates(chart.states).map((s) => subtitle(s.path) ?? '');
  return JSON.stringify([chart, subs]);
}
