/**
 * The labs of one lab server: creates a lab (a store record and its directory),
 * opens an existing one on first use (restoring it from the store, e.g. after a
 * restart) and closes them all on shutdown. Each lab is a LabSpace; nothing here
 * holds lab state of its own, so labs could live in other processes later.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LAB_ID_PATTERN } from '../pure/protocol';
import { findScenario } from '../pure/scenarios';
import { LabError } from './errors';
import { LabSpace, type SpaceDeps } from './lab-space';

export interface LabManagerDeps extends SpaceDeps {
  /** Each lab's files live in `<dataDir>/labs/<labId>/`. */
  dataDir: string;
}

export class LabManager {
  private readonly open = new Map<string, Promise<LabSpace>>();
  private closed = false;

  constructor(private readonly d: LabManagerDeps) {}

  async create(input: { scenario: string; role?: string }): Promise<LabSpace> {
    const found = findScenario(input.scenario);
    if (!found.ok) throw new LabError('unknown-scenario', found.message.replace(/^\[scenario\] /, ''));
    const lab = await this.d.store.createLab({ scenario: found.scenario.name, role: input.role ?? 'solo' });
    const space = await this.get(lab.id);
    if (!space) throw new LabError('closed', 'the lab server is shutting down');
    return space;
  }

  /** The lab's space, opened on first use; undefined when there is no such lab. */
  async get(labId: string): Promise<LabSpace | undefined> {
    if (this.closed || !LAB_ID_PATTERN.test(labId)) return undefined;
    const known = this.open.get(labId);
    if (known) return known;
    if (!(await this.d.store.getLab(labId))) return undefined;
    const opening = LabSpace.open(labId, this.dirOf(labId), this.d);
    this.open.set(labId, opening);
    opening.catch(() => this.open.delete(labId));
    return opening;
  }

  /** Stops the lab and deletes it with its files. */
  async delete(labId: string): Promise<boolean> {
    const space = await this.get(labId);
    if (!space) return false;
    await space.close();
    this.open.delete(labId);
    await this.d.store.deleteLab(labId);
    await rm(this.dirOf(labId), { recursive: true, force: true });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const spaces = await Promise.allSettled([...this.open.values()]);
    await Promise.all(spaces.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
    this.open.clear();
  }

  private dirOf(labId: string): string {
    return join(this.d.dataDir, 'labs', labId);
  }
}
