/**
 * The lab's internal views (view.ts) as the page protocol carries them
 * (protocol/common.ts `labViewSchema`): one machine view per chart with a JSON
 * `data` slice, phases with kebab-case ids, hosts keyed by the lab's VM name and
 * clusters by name. Pure, so the simulator and the tests build the same thing.
 */
import type { LabView as ProtocolLabView, MachineView } from '../protocol/common';
import { PHASE_IDS } from './lab.steps';
import type { ClusterView, HostView, LabView } from './view';


type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const json = (v: unknown): Json => JSON.parse(JSON.stringify(v ?? null)) as Json;

/** `sendable`: whether a page sends this chart commands (the lab and hosts; a cluster follows the simulated Palette). */
function machine(v: HostView | ClusterView | LabView, data: Record<string, unknown>, sendable = true): MachineView {
  return {
    state: json(v.value) as MachineView['state'],
    label: v.label,
    tags: [...v.tags],
    allowed: [...v.allowed],
    // As a solo reader (who may do everything) sees it; roles/may.ts narrows it per session.
    may: sendable ? [...v.allowed] : [],
    data: json(data) as MachineView['data'],
  };
}

export function toProtocolLabView(
  lab: LabView,
  hosts: Readonly<Record<string, HostView>>,
  clusters: Readonly<Record<string, ClusterView>>,
  at: number,
): ProtocolLabView {
  return {
    ...machine(lab, { ...lab.context, step: lab.step, states: lab.states }),
    at,
    phases: lab.phases.map((p) => ({ id: PHASE_IDS[p.id], label: p.label, status: p.status })),
    hosts: Object.fromEntries(Object.entries(hosts).map(([name, h]) => [name, machine(h, { ...h.context, hint: h.hint, states: h.states })])),
    clusters: Object.fromEntries(Object.entries(clusters).map(([name, c]) => [name, machine(c, { ...c.context, states: c.states }, false)])),
  };
}
