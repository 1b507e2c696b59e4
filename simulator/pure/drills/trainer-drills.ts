// The drills a trainer can set off on a learner's host from the class dashboard, and their fixes.
// Each is a host command the learner's own page also knows (a drill page offers the break, every
// page the fix), so the learner sees the same symptoms and fixes it the same way whoever broke it.
import { z } from 'zod';

export const TRAINER_DRILL_IDS = ['unplug-cable', 'plug-cable'] as const;
export const trainerDrillSchema = z.enum(TRAINER_DRILL_IDS);
export type TrainerDrillId = z.infer<typeof trainerDrillSchema>;

export interface TrainerDrill {
  id: TrainerDrillId;
  /** The host command it sends (host.machine.ts). */
  command: 'UNPLUG_CABLE' | 'PLUG_CABLE';
  /** The dashboard's button. */
  label: string;
  /** Breaks something (false: puts it right again). */
  breaks: boolean;
}

export const TRAINER_DRILLS: readonly TrainerDrill[] = [
  { id: 'unplug-cable', command: 'UNPLUG_CABLE', label: 'Pull the cable', breaks: true },
  { id: 'plug-cable', command: 'PLUG_CABLE', label: 'Plug the cable in', breaks: false },
];

export const trainerDrill = (id: TrainerDrillId): TrainerDrill => TRAINER_DRILLS.find((d) => d.id === id)!;

/** What the dashboard offers on a host now: the cable's break while it is in, its fix while it is out. */
export function drillsFor(host: { cable: 'in' | 'out' }): TrainerDrill[] {
  return TRAINER_DRILLS.filter((d) => (host.cable === 'in' ? d.id === 'unplug-cable' : d.id === 'plug-cable'));
}
