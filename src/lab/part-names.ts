// The lab parts a guide can place, by name. Kept apart from the parts themselves so the static
// page (LabPart) knows the names without loading any lab code.
export const LAB_PART_NAMES = [
  /** The four phases, the current step, Check my work, Show me. */
  'progress',
  /** The lab's statecharts live: current states highlighted, the allowed next events. */
  'statechart',
  /** The edge hosts: state, power, USB stick, reset, serial console. */
  'hosts',
  /** Model the Edge Native cluster profile: layers, packs, versions. */
  'profile-builder',
  /** Palette's registration tokens. */
  'tokens',
  /** The user-data editor and Build installer. */
  'installer-builder',
  /** Site user data (CIDATA stick): editor and Build. */
  'site-stick-builder',
  /** Palette's Edge Hosts grid with manual registration by ID. */
  'edge-hosts',
  /** The lab's stand-in for the Edge Registration App that a console QR code opens. */
  'registration-app',
  /** Palette's cluster wizard. */
  'cluster-wizard',
  /** Palette's cluster overview: status, health, nodes, Events. */
  'cluster-overview',
  /** A command in the guide text that runs on a host's console. */
  'run',
  /** "Play this guide": the demo player for trainers. */
  'demo',
  /** A trainer opens a shared lab and hands out one invite link per role. */
  'walkthrough',
  /** "Check my work" for one Troubleshooting drill (with `drill`). */
  'drill-check',
  /** The lab registry's provider images; with `drills`, the registry drill's button. */
  'registry',
  /** The lab LAN and the other machines on it; with `drills`, the VIP clash drill's button. */
  'lan',
] as const;
export type LabPartName = (typeof LAB_PART_NAMES)[number];

/** What every part receives; `host` and `command` are for parts about one host. */
export interface LabPartProps {
  scenario: string;
  host?: string;
  command?: string;
  /** The hosts, registry and lan parts also offer the buttons that break something on purpose (the Troubleshooting drills). */
  drills?: boolean;
  /** `drill-check` only: which drill (simulator/pure/drills/drill-checks.ts). */
  drill?: string;
}

/** The scenario the guides' lab parts open unless a part names another: a class of learners uses it too. */
export const GUIDE_SCENARIO = 'single-node';
