/**
 * A statechart drawn live: laid out by ELK once per chart structure (elk-layout.ts), then
 * re-coloured for each state value. The caller keeps a text alternative beside it (the
 * picture is one image to a screen reader, labelled with where the chart is now).
 */
import { useMemo, type ReactNode } from 'react';
import type { StateValue } from '../../../simulator/pure/protocol/common';
import type { ChartGraph } from './chart-graph';
import { ChartSvg } from './ChartSvg';
import { drawingOf } from './drawing';
import { litStates } from './lit-states';
import { PictureBoundary } from './PictureBoundary';
import { useLayout } from './use-layout';
import styles from './pictures.module.css';

type ChartDiagramProps = { graph: ChartGraph; value: StateValue; label: string };

export function ChartDiagram(props: ChartDiagramProps): ReactNode {
  return <PictureBoundary what="diagram"><Diagram {...props} /></PictureBoundary>;
}

function Diagram(props: ChartDiagramProps): ReactNode {
  const { graph } = props;
  const layout = useLayout(graph.key, () => graph.graph);
  const drawing = useMemo(() => (layout && !(layout instanceof Error) ? drawingOf(layout) : null), [layout]);
  const lit = useMemo(() => litStates(props.value), [props.value]);
  if (layout instanceof Error) return <p className={styles.problem} role="status">The diagram could not be drawn: {layout.message}</p>;
  if (!drawing) return <p className={styles.pending} data-chart-pending>Drawing the chart…</p>;
  return (
    <figure className={styles.figure}>
      <div className={styles.scroll}>
        <ChartSvg graph={graph} drawing={drawing} lit={lit} label={props.label} />
      </div>
    </figure>
  );
}
