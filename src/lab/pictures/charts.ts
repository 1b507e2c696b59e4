/**
 * The lab's three statecharts as ELK graphs, built once from their machine definitions:
 * the lab chart (each state with its step or phase in words), an edge host's and a
 * cluster's. Pure; the diagrams are laid out from these.
 */
import { clusterMachine } from '../../../simulator/pure/machines/cluster.machine';
import { hostMachine } from '../../../simulator/pure/machines/host.machine';
import { LAB_PHASES, PHASE_LABELS, stepAt, type LabPhase } from '../../../simulator/pure/machines/lab.steps';
import { labMachine } from '../../../simulator/pure/machines/lab.machine';
import { chartGraph, type ChartGraph } from './chart-graph';
import { chartStructure } from './chart-structure';

export const DONE_WORDS = 'All four phases done';

/** The lab chart's states in words: a step's label, else its phase's, and `done`. */
export function labSubtitle(path: string): string | null {
  const step = stepAt(path);
  if (step) return step.label;
  if ((LAB_PHASES as readonly string[]).includes(path)) return PHASE_LABELS[path as LabPhase];
  return path === 'done' ? DONE_WORDS : null;
}

let lab: ChartGraph | null = null;
let host: ChartGraph | null = null;
let cluster: ChartGraph | null = null;

export const labChartGraph = (): ChartGraph => (lab ??= chartGraph(chartStructure(labMachine), { subtitle: labSubtitle }));
export const hostChartGraph = (): ChartGraph => (host ??= chartGraph(chartStructure(hostMachine)));
export const clusterChartGraph = (): ChartGraph => (cluster ??= chartGraph(chartStructure(clusterMachine)));
