/**
 * One laid-out statechart as SVG: states as rounded boxes (a compound state as a container
 * with its name on top, a parallel state's regions dashed, a final state doubled), the
 * dots of initial states, transitions as arrows labelled with their events. `lit` colours
 * it: the current state(s) get the `current` class and aria-current, the states containing
 * them `active`, and the transitions leaving a lit state are drawn `hot`. Pure rendering:
 * no layout happens here.
 */
import { useId, type ReactNode } from 'react';
import { ANY_STATE_TEXT, headerHeight, type ChartGraph } from './chart-graph';
import type { Drawing } from './drawing';
import { pathData } from './drawing';
import { litStatus, type LitStates } from './lit-states';
import { LINE_PX } from './text-size';
import styles from './pictures.module.css';

export function ChartSvg(props: { graph: ChartGraph; drawing: Drawing; lit: LitStates; label: string }): ReactNode {
  const { graph, drawing, lit } = props;
  const arrow = `arrow-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const litPath = (id: string): boolean => {
    const m = graph.nodes[id];
    return m?.kind === 'state' && litStatus(lit, m.path) !== 'idle';
  };
  return (
    <svg
      className={`${styles.svg} ${styles.natural}`}
      viewBox={`0 0 ${Math.ceil(drawing.width)} ${Math.ceil(drawing.height)}`}
      width={Math.ceil(drawing.width)}
      role="img"
      aria-label={props.label}
      data-chart-diagram={graph.graph.id}
    >
      <defs>
        <marker id={arrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" className={styles.arrow} />
        </marker>
      </defs>
      {drawing.boxes.map((b) => {
        const m = graph.nodes[b.id];
        if (!m) return null;
        if (m.kind === 'initial') return <circle key={b.id} className={styles.initial} cx={b.x + b.width / 2} cy={b.y + b.height / 2} r={b.width / 2} data-initial={m.container} />;
        if (m.kind === 'any') {
          return (
            <g key={b.id} className={styles.any} data-any-state>
              <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={b.height / 2} />
              <text x={b.x + b.width / 2} y={b.y + b.height / 2} textAnchor="middle" dominantBaseline="central">{ANY_STATE_TEXT}</text>
            </g>
          );
        }
        const status = litStatus(lit, m.path);
        const classes = [styles.state, styles[status], b.compound ? styles.compound : '', m.region ? styles.region : '', m.stateKind === 'final' ? styles.final : ''].filter(Boolean).join(' ');
        return (
          <g key={b.id} className={classes} data-state-path={m.path} data-status={status} aria-current={status === 'current' ? 'true' : undefined}>
            <title>{m.subtitle ? `${m.path}: ${m.subtitle}` : m.path}</title>
            <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={8} />
            {m.stateKind === 'final' ? <rect className={styles.inner} x={b.x + 3} y={b.y + 3} width={b.width - 6} height={b.height - 6} rx={6} /> : null}
            {b.compound ? (
              <>
                <text x={b.x + 8} y={b.y + LINE_PX}>{m.name}{m.stateKind === 'parallel' ? ' ∥' : ''}</text>
                {m.subtitle ? <text className={styles.subtitle} x={b.x + 8} y={b.y + 2 * LINE_PX}>{m.subtitle}</text> : null}
                <line x1={b.x} x2={b.x + b.width} y1={b.y + headerHeight(m.subtitle)} y2={b.y + headerHeight(m.subtitle)} stroke="currentColor" strokeOpacity={0.15} />
              </>
            ) : m.subtitle ? (
              <>
                <text x={b.x + b.width / 2} y={b.y + b.height / 2 - LINE_PX / 2} textAnchor="middle" dominantBaseline="central">{m.name}</text>
                <text className={styles.subtitle} x={b.x + b.width / 2} y={b.y + b.height / 2 + LINE_PX / 2} textAnchor="middle" dominantBaseline="central">{m.subtitle}</text>
              </>
            ) : (
              <text x={b.x + b.width / 2} y={b.y + b.height / 2} textAnchor="middle" dominantBaseline="central">{m.name}</text>
            )}
          </g>
        );
      })}
      {drawing.lines.map((l) => {
        const hot = litPath(l.source);
        return (
          <g key={l.id} data-transition={graph.edges[l.id]?.events.join(' ') ?? ''} data-hot={hot ? 'true' : undefined}>
            <path className={`${styles.edge} ${hot ? styles.hot : ''}`} d={pathData(l.points)} markerEnd={`url(#${arrow})`} />
            {l.labels.map((lb, i) => (
              <g key={i} className={styles.edgeLabel}>
                <rect x={lb.x - 1} y={lb.y} width={lb.width + 2} height={lb.height} rx={3} />
                {lb.text.split('\n').map((t, j) => (
                  <text key={j} x={lb.x + 2} y={lb.y + j * LINE_PX + LINE_PX / 2} dominantBaseline="central">{t}</text>
                ))}
              </g>
            ))}
          </g>
        );
      })}
    </svg>
  );
}
