// The drills a trainer can set off on a learner's host from the class dashboard, and their fixes.
// Each is a host command the learner's own page also knows (a drill page offers the break, every
// page the fix), so the learner sees the same symptoms and fixes it the same way whoever broke it.
import { z } from 'zod';

export const TRAINER_DRILL_IDS = ['unplug-cable', 'plug-cable', 'cut-power', 'power-on', 'small-disk', 'own-disk', 'clock-behind', 'clock-right'] as const;
export const trainerDrillSchema = z.enum(TRAINER_DRILL_IDS);
export type TrainerDrillId = z.infer<typeof trainerDrillSchema>;

/** What the dashboard knows of a learner's host (LabSummary's hosts). */
export interface TrainerDrillHost {
  power: 'on' | 'off';
  cable: 'in' | 'out';
  /** `small`: the drill's disk that is too small is in place of the host's own. */
  disk: 'own' | 'small';
  /** `behind`: its hardware clock is set 3 hours behind (the clock drill); absent: right. */
  clock?: 'right' | 'behind';
}

export interface TrainerDrill {
  id: TrainerDrillId;
  /** The host command it sends (host.machine.ts). */
  command: 'UNPLUG_CABLE' | 'PLUG_CABLE' | 'POWER_OFF' | 'POWER_ON' | 'FIT_SMALL_DISK' | 'FIT_LARGE_DISK' | 'SET_CLOCK_BEHIND' | 'SET_CLOCK_RIGHT';
  /** The dashboard's button. */
  label: string;
  /** Breaks something (false: puts it right again). */
  breaks: boolean;
  /** What the learner meets, for the button's tooltip. */
  effect: string;
  /** Whether it can be sent to a host as it is now (the host chart refuses the rest). */
  fits: (h: TrainerDrillHost) => boolean;
}

export const TRAINER_DRILLS: readonly TrainerDrill[] = [
  { id: 'unplug-cable', command: 'UNPLUG_CABLE', label: 'Pull the cable', breaks: true,
    effect: 'A drill: the host loses its network (link down), and the learner finds out why and plugs it back in',
    fits: (h) => h.cable === 'in' },
  { id: 'plug-cable', command: 'PLUG_CABLE', label: 'Plug the cable in', breaks: false,
    effect: 'Puts the cable back: the host\'s link comes up again', fits: (h) => h.cable === 'out' },
  { id: 'cut-power', command: 'POWER_OFF', label: 'Cut the power', breaks: true,
    effect: 'A drill: the host stops at once, as a box that lost its power (a control plane lost, in a cluster)',
    fits: (h) => h.power === 'on' },
  { id: 'power-on', command: 'POWER_ON', label: 'Power it on', breaks: false,
    effect: 'Powers the host on from what is in it now', fits: (h) => h.power === 'off' },
  { id: 'small-disk', command: 'FIT_SMALL_DISK', label: 'Swap in a too-small disk', breaks: true,
    effect: 'A drill: the host\'s own disk is set aside for one too small; the installer refuses it at the next install',
    fits: (h) => h.power === 'off' && h.disk === 'own' },
  { id: 'own-disk', command: 'FIT_LARGE_DISK', label: 'Put its own disk back', breaks: false,
    effect: 'Puts the host\'s own disk back, as it was', fits: (h) => h.power === 'off' && h.disk === 'small' },
  { id: 'clock-behind', command: 'SET_CLOCK_BEHIND', label: 'Set its clock 3 hours behind', breaks: true,
    effect: 'A drill: the host\'s hardware clock is set 3 hours behind; it boots with the wrong time until NTP sets it (and etcd complains of it in a cluster of several control planes)',
    fits: (h) => h.power === 'off' && h.clock !== 'behind' },
  { id: 'clock-right', command: 'SET_CLOCK_RIGHT', label: 'Set its clock right', breaks: false,
    effect: 'Sets the host\'s hardware clock right again', fits: (h) => h.power === 'off' && h.clock === 'behind' },
];

export const trainerDrill = (id: TrainerDrillId): TrainerDrill => TRAINER_DRILLS.find((d) => d.id === id)!;

/** What the dashboard offers on a host now: each break while it can happen, each fix while it is needed. */
export function drillsFor(host: TrainerDrillHost): TrainerDrill[] {
  return TRAINER_DRILLS.filter((d) => d.fits(host));
}
