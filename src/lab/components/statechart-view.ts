/**
 * Pure helpers of the statechart part: the lab chart's phases and steps as a
 * tree of states (from lab.steps.ts) with where the lab is now, each host's and
 * cluster's state with its tags and the events it accepts now (clickable only
 * where the hosts part offers the same command to this reader: in `may`), and a short log of the lab's
 * latest events in words.
 */
import { LAB_PHASES, LAB_STEPS, PHASE_LABELS } from '../../../simulator/pure/machines/lab.steps';
import { leafPaths } from '../../../simulator/pure/machines/state-paths';
import { labCustody, paletteEventOf, type LabView, type MachineView, type PaletteEvent, type StateValue } from '../../../simulator/pure/protocol';
import type { SeqEvent } from '../client';
import { HOST_BUTTONS } from './host-actions';

/** `current`: the atomic state the lab is in; `active`: a compound state containing it. */
export type StateStatus = 'done' | 'current' | 'active' | 'pending';

export interface ChartNode {
  /** Dotted path in the lab chart, e.g. `installHandoff.creatingToken`. */
  path: string;
  /** The state's own name, e.g. `creatingToken`. */
  name: string;
  label: string;
  /** Who does the step (an atomic step state), e.g. `tenant-admin`. */
  role: string | null;
  status: StateStatus;
  children: readonly ChartNode[];
}

export const DONE_STATE = 'done';
const ORDER: readonly string[] = [...LAB_STEPS.map((s) => s.path), DONE_STATE];

/** The atomic states a state value names (one for the lab chart; several for a parallel one). */
export function statePaths(value: StateValue): string[] {
  return leafPaths(value);
}

/** The lab chart as a tree: a state per phase (with its steps when it has several), then `done`. */
export function labChartTree(value: StateValue): ChartNode[] {
  const current = statePaths(value)[0] ?? '';
  const at = ORDER.indexOf(current);
  const leafStatus = (path: string): StateStatus => {
    const i = ORDER.indexOf(path);
    if (at < 0) return 'pending';
    return i < at ? 'done' : i === at ? 'current' : 'pending';
  };
  const phases = LAB_PHASES.map((phase): ChartNode => {
    const steps = LAB_STEPS.filter((s) => s.phase === phase);
    const only = steps.length === 1 && steps[0]!.path === phase ? steps[0]! : null;
    if (only) return { path: phase, name: phase, label: `${PHASE_LABELS[phase]}: ${only.label}`, role: only.role, status: leafStatus(phase), children: [] };
    const children = steps.map((s): ChartNode => ({
      path: s.path, name: s.path.slice(phase.length + 1), label: s.label, role: s.role, status: leafStatus(s.path), children: [],
    }));
    const status: StateStatus = children.some((c) => c.status === 'current')
      ? 'active'
      : children.every((c) => c.status === 'done') ? 'done' : 'pending';
    return { path: phase, name: phase, label: PHASE_LABELS[phase], role: null, status, children };
  });
  return [...phases, { path: DONE_STATE, name: DONE_STATE, label: 'All four phases done', role: null, status: leafStatus(DONE_STATE), children: [] }];
}

/** The path of the node the lab is at, or null when the view names a state the tree lacks. */
export function currentStatePath(nodes: readonly ChartNode[]): string | null {
  for (const n of nodes) {
    if (n.status === 'current') return n.path;
    const inner = currentStatePath(n.children);
    if (inner) return inner;
  }
  return null;
}

export interface EventChip {
  event: string;
  /** What a person calls it, e.g. "Power on". */
  label: string;
  /** A host command the hosts part offers this reader too (in `may`); everything else is shown, never sent, from here. */
  clickable: boolean;
}

export interface MachineRow {
  kind: 'host' | 'cluster';
  name: string;
  label: string;
  /** The raw state value (the diagram lights it), and its atomic states as dotted paths. */
  value: StateValue;
  states: readonly string[];
  tags: readonly string[];
  events: readonly EventChip[];
}

const LAB_EVENT_LABELS: Readonly<Record<string, string>> = {
  CHECK: 'Check my work', RESTART: 'Start the lab over', HAND_OFF: 'Hand over to the site', DELETE: 'Delete the cluster',
};

function chips(m: MachineView, kind: MachineRow['kind'] | 'lab'): EventChip[] {
  return m.allowed.map((event) => {
    const button = kind === 'host' ? HOST_BUTTONS.find((b) => b.command === event) : undefined;
    return { event, label: button?.label ?? LAB_EVENT_LABELS[event] ?? event, clickable: button !== undefined && m.may.includes(event) };
  });
}

/** The lab chart's own accepted events (CHECK, RESTART, HAND_OFF): shown here, sent from the progress and hosts parts. */
export function labEventChips(view: LabView): EventChip[] {
  return chips(view, 'lab');
}

/** Who holds the hosts, with the handoffs so far, in a few words (e.g. `it-ops → site-technician`); null when the view carries no custody. */
export function custodyLine(view: LabView): { custody: string; words: string } | null {
  const c = labCustody(view);
  if (!c) return null;
  const trail = c.handoffs.map((h) => `${h.from} → ${h.to}`).join(', ');
  return { custody: c.custody, words: trail ? `${c.custody} (handoffs: ${trail})` : c.custody };
}

/** Every host, then every cluster, by name. */
export function machineRows(view: LabView): MachineRow[] {
  const row = (kind: MachineRow['kind'], name: string, m: MachineView): MachineRow => ({
    kind, name, label: m.label, value: m.state, states: statePaths(m.state), tags: m.tags, events: chips(m, kind),
  });
  const byName = (a: [string, MachineView], b: [string, MachineView]) => a[0].localeCompare(b[0]);
  return [
    ...Object.entries(view.hosts).sort(byName).map(([name, m]) => row('host', name, m)),
    ...Object.entries(view.clusters).sort(byName).map(([name, m]) => row('cluster', name, m)),
  ];
}

export interface LogLine {
  seq: number;
  type: string;
  /** Whom it is about and what happened, e.g. `edge-host-1 · POWER_ON`. */
  summary: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const typeOf = (v: unknown): string | null => (v && typeof v === 'object' ? str((v as { type?: unknown }).type) : null);

function what(e: Record<string, unknown>): string | null {
  if (e.type === 'lab.time-server') return `${str(e.ip) ?? '?'} · the site's time server ${e.on === true ? 'answers again' : 'is off'}`;
  if (e.type === 'lab.lan-device') return `${str(e.ip) ?? '?'} · ${e.change === 'added' ? 'a machine took it' : 'its machine left'} (${str(e.mac) ?? '?'})`;
  const inner = typeOf(e.event);
  if (inner) {
    const check = str((e.event as { check?: unknown }).check);
    return check ? `${inner} (${check})` : inner;
  }
  const command = typeOf(e.command) ?? str(e.command);
  if (command) return str(e.message) ? `${command} failed` : command;
  const change = e.change as { state?: unknown; device?: unknown; reason?: unknown } | undefined;
  if (change && typeof change === 'object') return [str(change.state), str(change.device) ?? str(change.reason)].filter(Boolean).join(' ');
  return str(e.name) ?? str(e.id) ?? null;
}

/** A Palette event (read with the contract's schema for its type) in a few words: whom it is about, then what happened. */
function paletteWords(e: PaletteEvent): string {
  switch (e.type) {
    case 'palette.project.created': return `project ${e.name} · created`;
    case 'palette.token.created': return `token ${e.name} · created${e.project ? ` for ${e.project}` : ''}`;
    case 'palette.token.deleted': return `token ${e.name} · deleted`;
    case 'palette.registry.damaged': return `registry ${e.repository} · serves a damaged copy`;
    case 'palette.registry.pushed': return `registry ${e.repository} · pushed again`;
    case 'palette.profile.saved': return `profile ${e.name} ${e.version} · saved`;
    case 'palette.profile.deleted': return `profile ${e.name} ${e.version} · deleted`;
    case 'palette.host.added': return `${e.hostId} · added to ${e.project}`;
    case 'palette.host.pending': return `${e.hostId} · waits to be added`;
    case 'palette.host.registered': return `${e.hostId} · registered in ${e.project} (${e.method})`;
    case 'palette.host.refused': return `${e.hostId} · refused (${e.code})`;
    case 'palette.host.deleted': return `${e.hostId} · deleted`;
    case 'palette.host.health': return `${e.hostId} · ${e.health}`;
    case 'palette.host.assigned': return `${e.hostId} · assigned to ${e.cluster}`;
    case 'palette.host.unassigned': return `${e.hostId} · left ${e.cluster}`;
    case 'palette.host.provisioning': return `${e.hostId} · ${e.step}`;
    case 'palette.host.provisioning-failed': return `${e.hostId} · failed: ${e.reason}`;
    case 'palette.cluster.created': return `${e.name} · created with ${e.nodeCount} node${e.nodeCount === 1 ? '' : 's'}`;
    case 'palette.cluster.status': return `${e.name} · ${e.status}${e.health ? ` · ${e.health}` : ''}`;
    case 'palette.cluster.deleted': return `${e.name} · deleted`;
    case 'palette.cluster.node-added': return `${e.name} · ${e.hostId} joins as ${e.role}`;
    case 'palette.cluster.node-removed': return `${e.name} · ${e.hostId} (${e.role}) removed`;
    case 'palette.cluster.upgrade-started': return `${e.name} · upgrading ${e.from} → ${e.to}`;
    case 'palette.host.upgrade-turn': return `${e.hostId} · repaving with ${e.version}`;
    case 'palette.host.upgraded': return `${e.hostId} · runs ${e.version}`;
    case 'palette.cluster.upgrade-completed': return `${e.name} · upgraded to ${e.version}`;
    case 'palette.cluster.upgrade-failed': return `${e.name} · upgrade failed on ${e.hostId} (back in ${e.slot})`;
  }
}

/** The last `count` events, oldest first, each in a few words. */
export function recentEvents(events: readonly SeqEvent[], count = 6): LogLine[] {
  return events.slice(-count).map(({ seq, event }) => {
    const palette = paletteEventOf(event);
    if (palette) return { seq, type: event.type, summary: paletteWords(palette) };
    const e = event as Record<string, unknown>;
    const who = str(e.host) ?? str(e.hostId) ?? str(e.cluster);
    return { seq, type: event.type, summary: [who, what(e)].filter(Boolean).join(' · ') };
  });
}
