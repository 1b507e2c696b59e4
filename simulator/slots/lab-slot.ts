/**
 * The seam between the portal (site, doors, sessions, classes, dashboards) and a lab slot (labs'
 * VMs, statecharts, simulated Palette, registry and consoles). The portal admits every request
 * (token, role, Origin) and then hands a lab's own requests to the slot the route table names; it
 * never reaches into a lab itself. On one machine the only slot is this process (InProcessSlot);
 * on Kubernetes a slot is a pod with its own address (../shared/reference/scale-out.md), reached
 * through the same interface.
 */
import type { TrainerDrill } from '../pure/drills/trainer-drills';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { JumpResult } from '../checkpoints/phase-checkpoints';
import type { CheckpointPhase } from '../checkpoints/phase-checkpoints';
import type { LabPlace, LabRole, LabView } from '../pure/protocol';

/** What the portal learned when it admitted a request for one lab. */
export interface Admitted { labId: string; role: LabRole }

export interface SlotHealth {
  ok: boolean;
  /** Hosts running now, and the most this slot runs at once. */
  runningHosts: number;
  maxRunningHosts: number;
  /** Host places warm labs may hold (fewer than maxRunningHosts), and labs waiting for a place. */
  warmBudget: number;
  queued: number;
  labs: number;
}

/** A host's retained console as a trainer peeks at it. */
export type ConsolePeek = { kind: 'text'; text: string } | { kind: 'not-running' } | { kind: 'unknown-host' };

/** A drill's host command on a learner's host, as the slot answers it. */
export type DrillOutcome =
  | { kind: 'done' }
  | { kind: 'not-running' }
  | { kind: 'unknown-host' }
  /** The host's chart refused the command now (e.g. the cable is already out): `code` and `message` as a command's. */
  | { kind: 'refused'; code: string; message: string };

/** A lab as a dashboard sees it, read without waking it or moving it in the queue. */
export interface LabStatus {
  place: LabPlace;
  /** The reader's last action, by the slot's clock; null when unknown (not used since the slot started). */
  lastActivityAt: number | null;
  /** The lab's view and each host's power, while the lab is open; null otherwise. */
  open: { view: LabView; power: Record<string, 'on' | 'off'> } | null;
}

export interface LabSlot {
  /** Where the slot is, for the route table and the logs (`local` for this process). */
  readonly address: string;
  /** Makes a lab (its place may be a queue position when the slot is full). */
  provision(o: { scenario: string; role: LabRole }): Promise<{ labId: string; position: number | null }>;
  /** Opens a lab already made (a class's learner's): null when it runs now, else its place in the queue. */
  open(labId: string): Promise<number | null>;
  /**
   * Opens a lab already made ahead of its reader (a class's warm pool): within the warm budget,
   * never queued, never suspended while idle until claim(). False when there is no room now (the
   * lab is then not open).
   */
  warm(labId: string): Promise<boolean>;
  /** A warm lab taken by its reader: from now on it is like any other lab (it may idle and be suspended). */
  claim(labId: string): Promise<void>;
  /** Where a lab stands and what it shows, for dashboards. */
  status(labId: string): Promise<LabStatus>;
  /** A host's console as the slot keeps it (terminal escapes included), without waking the lab or moving it in the queue. */
  peekConsole(labId: string, host: string): Promise<ConsolePeek>;
  /**
   * Sends a drill's host command to a learner's running lab, with the lab's full rights (a trainer
   * acts for the whole lab); a lab that is queued or suspended is not woken for it.
   */
  drill(labId: string, host: string, command: TrainerDrill['command']): Promise<DrillOutcome>;
  /** Deletes a lab and everything of it. False when the slot had no such lab. */
  release(labId: string): Promise<boolean>;
  /** Puts a lab at the start of a phase from its scenario's checkpoints (a jump, a reset). */
  restore(labId: string, phase: CheckpointPhase): Promise<JumpResult>;
  /** Makes a scenario's checkpoints ahead of time (a class about to start). */
  checkpoint(scenario: string): void;
  /** The labs this slot holds. */
  list(): Promise<string[]>;
  health(): Promise<SlotHealth>;
  /** A lab's own HTTP requests (`/labs/<id>`, `/labs/<id>/…`), already admitted by the portal. */
  serve(req: Request, admitted: Admitted): Promise<Response>;
  /** A lab's socket (`/labs/<id>/socket`). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Which slot holds a lab. */
export interface RouteTable {
  /** The slot of `labId`, or null when no slot holds it (deleted, or never made). */
  slotOf(labId: string): Promise<LabSlot | null>;
  /** The slot a new lab goes to. */
  slotForNew(): Promise<LabSlot>;
}

/** One machine: every lab is in the one slot, this process. */
export class OneSlotRoutes implements RouteTable {
  constructor(private readonly slot: LabSlot, private readonly has: (labId: string) => Promise<boolean>) {}

  async slotOf(labId: string): Promise<LabSlot | null> {
    return (await this.has(labId)) ? this.slot : null;
  }

  async slotForNew(): Promise<LabSlot> {
    return this.slot;
  }
}
