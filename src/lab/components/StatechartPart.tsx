/**
 * The lab's statecharts, live (<LabPart part="statechart">): the lab chart drawn as a
 * diagram (pictures/ChartDiagram, with its phases and steps as a tree for screen readers
 * under "as a list") with the current state lit, each host's and cluster's state with its
 * tags, the events it accepts now and its chart drawn the same way, and the lab's
 * latest events, and who holds the hosts. Host events the hosts part offers can
 * be sent from here; the rest are shown only (CHECK lives in the progress part,
 * HAND_OFF in the hosts part, RESTART and DELETE are not for a diagram to do).
 */
import { useState, type ReactNode } from 'react';
import type { LabView } from '../../../simulator/pure/protocol';
import { useLabCommand, useLabContext, useLabState, type SeqEvent } from '../client';
import { hostCommandArgs } from '../client/host-command-args';
import { ChartDiagram } from '../pictures/ChartDiagram';
import { clusterChartGraph, hostChartGraph, labChartGraph } from '../pictures/charts';
import {
  custodyLine, labChartTree, labEventChips, machineRows, recentEvents, statePaths,
  type ChartNode, type EventChip, type MachineRow,
} from './statechart-view';
import styles from './statechart.module.css';

const inWords = (err: unknown): string => (err instanceof Error ? err.message : String(err)).replace(/^\[lab-client\] /, '');

export function StatechartPart(): ReactNode {
  const lab = useLabContext();
  const command = useLabCommand();
  const { connection } = useLabState();
  if (!connection.view) return null;
  const sendHostEvent = async (host: string, event: string): Promise<void> => {
    await command({ kind: 'host', hostId: host }, event, await hostCommandArgs(lab.session, event));
  };
  return <Statechart view={connection.view} events={connection.events} onHostEvent={sendHostEvent} />;
}

/** The part's content for a view and the events seen; host events go to `onHostEvent` when given. */
export function Statechart(props: { view: LabView; events: readonly SeqEvent[]; onHostEvent?: (host: string, event: string) => Promise<void> }): ReactNode {
  const { view } = props;
  const log = recentEvents(props.events);
  const custody = custodyLine(view);
  return (
    <div className={styles.chart} data-statechart>
      <section aria-label="The lab chart">
        <h4 className={styles.heading}>Lab · <span data-lab-label>{view.label}</span></h4>
        <ChartDiagram graph={labChartGraph()} value={view.state} label={`The lab chart, now at ${statePaths(view.state).join(' and ')}`} />
        <details className={styles.asList}>
          <summary>The lab chart as a list</summary>
          <ChartTree nodes={labChartTree(view.state)} />
        </details>
        <Chips label="Accepts now" chips={labEventChips(view)} />
        {custody ? <p className={styles.role} data-custody={custody.custody}>Hosts held by: <code>{custody.words}</code></p> : null}
        {view.tags.length > 0 ? <Tags tags={view.tags} /> : null}
      </section>
      <section aria-label="Hosts and clusters" className={styles.machines}>
        {machineRows(view).map((row) => <Machine key={`${row.kind}:${row.name}`} row={row} onHostEvent={props.onHostEvent} />)}
      </section>
      <section aria-label="Recent lab events">
        <h4 className={styles.heading}>Latest events</h4>
        {log.length === 0 ? <p className={styles.role}>No events yet.</p> : (
          <ol className={styles.log}>
            {log.map((l) => (
              <li key={l.seq} data-seq={l.seq}>
                {`#${l.seq} ${l.type}${l.summary ? ` · ${l.summary}` : ''}`}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function ChartTree(props: { nodes: readonly ChartNode[] }): ReactNode {
  return (
    <ol className={styles.tree}>
      {props.nodes.map((n) => (
        <li
          key={n.path}
          className={`${styles.node} ${styles[n.status] ?? ''}`}
          data-state-path={n.path}
          data-status={n.status}
          aria-current={n.status === 'current' ? 'step' : undefined}
        >
          <span className={styles.nodeHead}>
            <code className={styles.stateName}>{n.name}</code>
            <span>{n.label}</span>
            {n.role ? <span className={styles.role}>({n.role})</span> : null}
            {n.status === 'current' ? <span className={styles.role}>← now</span> : null}
          </span>
          {n.children.length > 0 ? <ChartTree nodes={n.children} /> : null}
        </li>
      ))}
    </ol>
  );
}

function Tags(props: { tags: readonly string[] }): ReactNode {
  return (
    <div className={styles.chipsRow}>
      <span className={styles.chipsLabel}>Tags</span>
      <ul className={styles.chips} aria-label="Tags">
        {props.tags.map((t) => <li key={t} className={`${styles.chip} ${styles.tag}`} data-tag={t}>{t}</li>)}
      </ul>
    </div>
  );
}

function Chips(props: { label: string; chips: readonly EventChip[]; onSend?: (event: string) => void; busy?: boolean; subject?: string }): ReactNode {
  return (
    <div className={styles.chipsRow}>
      <span className={styles.chipsLabel}>{props.label}</span>
      {props.chips.length === 0 ? <span className={styles.chipsLabel}>nothing</span> : null}
      <ul className={styles.chips} aria-label={props.subject ? `Events ${props.subject} accepts now` : 'Events the lab accepts now'}>
        {props.chips.map((c) => (
          <li key={c.event} data-event={c.event} data-clickable={c.clickable}>
            {c.clickable && props.onSend ? (
              <button
                type="button"
                className={`${styles.chip} ${styles.chipButton}`}
                title={c.label}
                aria-label={`Send ${c.event} to ${props.subject ?? 'the lab'} (${c.label})`}
                disabled={props.busy}
                onClick={() => props.onSend?.(c.event)}
              >
                {c.event}
              </button>
            ) : (
              <span className={styles.chip} title={c.label}>{c.event}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Machine(props: { row: MachineRow; onHostEvent?: (host: string, event: string) => Promise<void> }): ReactNode {
  const { row, onHostEvent } = props;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const send = async (event: string): Promise<void> => {
    if (!onHostEvent) return;
    setBusy(true);
    setProblem(null);
    try {
      await onHostEvent(row.name, event);
    } catch (err) {
      setProblem(inWords(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.machine} data-machine={row.kind} data-name={row.name}>
      <p>
        <strong>{row.kind === 'host' ? 'Host' : 'Cluster'} {row.name}</strong> · <span data-machine-label>{row.label}</span>
      </p>
      <p className={styles.role}>
        State: {row.states.map((s, i) => <span key={s}>{i > 0 ? ' ∥ ' : ''}<code data-machine-state={s}>{s}</code></span>)}
      </p>
      {row.tags.length > 0 ? <Tags tags={row.tags} /> : null}
      <Chips label="Accepts now" chips={row.events} subject={row.name} busy={busy} onSend={row.kind === 'host' && onHostEvent ? (e) => void send(e) : undefined} />
      {problem ? <p className={styles.failure} role="status">{problem}</p> : null}
      <details open className={styles.asList}>
        <summary>{row.kind === 'host' ? 'Host' : 'Cluster'} chart of {row.name}</summary>
        <ChartDiagram
          graph={row.kind === 'host' ? hostChartGraph() : clusterChartGraph()}
          value={row.value}
          label={`The ${row.kind} chart of ${row.name}, now at ${row.states.join(' and ')}`}
        />
      </details>
    </div>
  );
}
