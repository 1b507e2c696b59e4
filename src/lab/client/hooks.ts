// React bindings: useLab creates and starts a Lab for a component tree, LabProvider hands it down,
// and the other hooks read it through useSyncExternalStore. SSR-safe: nothing starts during
// render, and the server snapshot is a fixed 'connecting' state.
import { createContext, createElement, useCallback, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { CommandTarget, LabView } from '../../../simulator/pure/protocol';
import type { CommandArgs, LabConnectionSnapshot } from './connection';
import type { ConsoleSnapshot } from './console-buffer';
import { LabClientError } from './errors';
import { Lab, type LabOptions, type LabSnapshot } from './lab';

const SERVER_CONNECTION: LabConnectionSnapshot = { status: 'idle', labId: null, role: null, seq: 0, view: null, events: [], problem: null, retryInMs: null };
const serverSnapshots = new Map<string, LabSnapshot>();

/** What a page renders before the lab is reached (and during SSR): connecting. */
export function connectingSnapshot(scenario: string): LabSnapshot {
  let s = serverSnapshots.get(scenario);
  if (!s) serverSnapshots.set(scenario, (s = { session: { status: 'connecting', scenario }, connection: SERVER_CONNECTION }));
  return s;
}

const EMPTY_CONSOLE = new Map<string, ConsoleSnapshot>();
function emptyConsole(hostId: string): ConsoleSnapshot {
  let s = EMPTY_CONSOLE.get(hostId);
  if (!s) EMPTY_CONSOLE.set(hostId, (s = { hostId, bytes: new Uint8Array(0), endOffset: 0, gaps: [], trimmedBytes: 0 }));
  return s;
}

/**
 * Creates a Lab for these options (once per component; a change of scenario or simulator URL
 * makes a new one), starts it after mount and stops it on unmount. Returns the lab and its state.
 */
export function useLab(options: LabOptions): { lab: Lab; state: LabSnapshot } {
  const key = `${options.simulatorUrl ?? ''}\n${options.scenario}\n${options.role ?? ''}`;
  const [held, setHeld] = useState(() => ({ key, lab: new Lab(options) }));
  let lab = held.lab;
  if (held.key !== key) {
    lab = new Lab(options);
    setHeld({ key, lab });
  }
  useEffect(() => {
    void lab.start();
    return () => lab.stop();
  }, [lab]);
  const state = useLabStore(lab);
  return { lab, state };
}

const LabContext = createContext<Lab | null>(null);

export function LabProvider(props: { lab: Lab; children?: ReactNode }): ReactNode {
  return createElement(LabContext.Provider, { value: props.lab }, props.children);
}

/** The Lab of the nearest LabProvider; throws a clear error outside one. */
export function useLabContext(): Lab {
  const lab = useContext(LabContext);
  if (!lab) throw new LabClientError('this component uses the lab outside <LabProvider>; wrap the page section in <LabProvider lab={…}>', 'no-provider');
  return lab;
}

function useLabStore(lab: Lab): LabSnapshot {
  const subscribe = useCallback((l: () => void) => lab.subscribe(l), [lab]);
  return useSyncExternalStore(subscribe, () => lab.getSnapshot(), () => connectingSnapshot(lab.session.scenario));
}

/** The session and connection state of the provided lab. */
export function useLabState(): LabSnapshot {
  return useLabStore(useLabContext());
}

/** The latest lab view, or null before the first one arrived. */
export function useLabView(): LabView | null {
  return useLabState().connection.view;
}

/**
 * The host's console while this component is mounted (attached on mount, detached on unmount),
 * and a function that types into it.
 */
export function useHostConsole(hostId: string): { console: ConsoleSnapshot; input: (text: string | Uint8Array) => void } {
  const lab = useLabContext();
  // Re-renders only when the lab replaces its connection (a new lab), not on every event.
  const subscribeLab = useCallback((l: () => void) => lab.subscribe(l), [lab]);
  const conn = useSyncExternalStore(subscribeLab, () => lab.connection, () => lab.connection);
  useEffect(() => {
    conn.attachConsole(hostId);
    return () => conn.detachConsole(hostId);
  }, [conn, hostId]);
  const subscribe = useCallback((l: () => void) => conn.subscribeConsole(hostId, () => l()), [conn, hostId]);
  const snapshot = useSyncExternalStore(subscribe, () => conn.getConsoleSnapshot(hostId), () => emptyConsole(hostId));
  const input = useCallback((text: string | Uint8Array) => conn.consoleInput(hostId, text), [conn, hostId]);
  return { console: snapshot, input };
}

/** Sends a command to the provided lab; the promise rejects with the lab's message when refused. */
export function useLabCommand(): (target: CommandTarget, name: string, args?: CommandArgs) => Promise<void> {
  const lab = useLabContext();
  return useCallback((target, name, args) => lab.connection.command(target, name, args), [lab]);
}
