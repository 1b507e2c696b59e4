// Lab: one session and its connection as one store for a page. start() opens or resumes the lab,
// then connects; a new lab (openNewLab) gets a new connection, so nothing of the old lab leaks.
// Constructing a Lab touches nothing outside itself: SSR may create one and never start it.
import { LabConnection, type LabConnectionOptions, type LabConnectionSnapshot } from './connection';
import { Listeners, type Unsubscribe } from './emitter';
import { LabSession, type LabSessionOptions, type LabSessionState } from './session';

export interface LabOptions extends LabSessionOptions {
  /** Everything of LabConnectionOptions but the session. */
  connection?: Omit<LabConnectionOptions, 'session'>;
}

/** Immutable; getSnapshot() returns the same object until either part changed. */
export interface LabSnapshot {
  session: LabSessionState;
  connection: LabConnectionSnapshot;
}

export class Lab {
  readonly session: LabSession;
  private conn: LabConnection;
  private connUnsub: Unsubscribe;
  private connLabId: string | null = null;
  private readonly listeners = new Listeners();
  private snapshot: LabSnapshot;
  private started = false;

  constructor(private readonly options: LabOptions) {
    this.session = new LabSession(options);
    this.conn = this.newConnection();
    this.connUnsub = this.conn.subscribe(() => this.refresh());
    this.snapshot = { session: this.session.getState(), connection: this.conn.getSnapshot() };
    this.session.subscribe(() => this.onSession());
  }

  /** The current lab's connection (replaced when a new lab is opened). */
  get connection(): LabConnection {
    return this.conn;
  }

  getSnapshot(): LabSnapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /** Opens or resumes the lab and connects to it; again after stop() reconnects. Never rejects. */
  async start(): Promise<void> {
    this.started = true;
    const state = await this.session.start();
    if (state.status === 'ready' && this.started) this.conn.connect();
  }

  /** Closes the connection (e.g. on unmount); the lab itself goes on running on the simulator. */
  stop(): void {
    this.started = false;
    this.conn.close();
  }

  /** For the unreachable and error states. */
  retry(): Promise<void> {
    return this.start();
  }

  /** For the lab-gone state: forgets the old lab, opens a new one and connects to it. */
  async openNewLab(): Promise<void> {
    this.started = true;
    const state = await this.session.openNewLab();
    if (state.status === 'ready' && this.started) this.conn.connect();
  }

  private onSession(): void {
    const labId = this.session.labId;
    if (labId !== null && labId !== this.connLabId && this.connLabId !== null) {
      // Another lab: start from a clean connection.
      this.connUnsub();
      this.conn.close();
      this.conn = this.newConnection();
      this.connUnsub = this.conn.subscribe(() => this.refresh());
    }
    this.connLabId = labId;
    this.refresh();
  }

  private newConnection(): LabConnection {
    return new LabConnection({ ...this.options.connection, session: this.session });
  }

  private refresh(): void {
    const session = this.session.getState();
    const connection = this.conn.getSnapshot();
    if (session === this.snapshot.session && connection === this.snapshot.connection) return;
    this.snapshot = { session, connection };
    this.listeners.emit();
  }
}
