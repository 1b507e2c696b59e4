/**
 * The lab's four phases and their steps as data: who does each step (the lifecycle
 * roles of palette-edge.md §2) and which check proves it done. The lab chart has one
 * atomic state per step, at the path given here; the view and the guides read this
 * table, so a step's role is written once.
 */
import type { ActingRole } from '../roles/vocabulary';

/** A session's role as the charts know it: one lifecycle role, or `solo`, one reader playing every role. */
export type SessionRole = ActingRole | 'solo';

export const LAB_PHASES = ['modelProfile', 'installHandoff', 'registration', 'clusterProvisioning'] as const;
export type LabPhase = (typeof LAB_PHASES)[number];

/** Each phase's id where pages and URLs name it (the protocol's phase views, `data-phase`). */
export const PHASE_IDS = {
  modelProfile: 'model-profile',
  installHandoff: 'install-handoff',
  registration: 'registration',
  clusterProvisioning: 'cluster-provisioning',
} as const satisfies Record<LabPhase, string>;
export const LAB_PHASE_IDS = LAB_PHASES.map((p) => PHASE_IDS[p]) as [(typeof PHASE_IDS)[LabPhase], ...(typeof PHASE_IDS)[LabPhase][]];
export type LabPhaseId = (typeof PHASE_IDS)[LabPhase];

export const PHASE_LABELS: Readonly<Record<LabPhase, string>> = {
  modelProfile: 'Model Cluster Profile',
  installHandoff: 'Install Handoff',
  registration: 'Registration',
  clusterProvisioning: 'Cluster Provisioning',
};

/** What the simulator verifies when the reader asks it to check a step. */
export type LabCheck =
  | 'profile' | 'token' | 'installer' | 'hosts-installed' | 'hosts-handed-off' | 'hosts-registered' | 'cluster-created' | 'cluster-running';

/**
 * Who holds the lab's hosts: IT/Ops on the staging bench, until they hand them over
 * (the HAND_OFF event, the only way custody changes); then the site technician.
 */
export const HOST_CUSTODIANS = ['it-ops', 'site-technician'] as const;
export type HostCustodian = (typeof HOST_CUSTODIANS)[number];
/** One handoff the lab chart recorded. */
export interface HostHandoff {
  readonly from: HostCustodian;
  readonly to: HostCustodian;
  readonly what: 'hosts';
}
/** The step at which IT/Ops hands the installed hosts over to the site. */
export const HANDOFF_STEP_PATH = 'installHandoff.shippingHosts';

export interface LabStep {
  /** Path of the step's state in the lab chart, e.g. `installHandoff.forgingInstaller`. */
  path: string;
  phase: LabPhase;
  role: ActingRole;
  check: LabCheck;
  label: string;
}

export const LAB_STEPS: readonly LabStep[] = [
  { path: 'modelProfile', phase: 'modelProfile', role: 'app-owner', check: 'profile', label: 'Model an Edge Native cluster profile' },
  // Tokens are made by a tenant admin (§2) and go into the installer's user data (§4).
  { path: 'installHandoff.creatingToken', phase: 'installHandoff', role: 'tenant-admin', check: 'token', label: 'Create a registration token' },
  { path: 'installHandoff.forgingInstaller', phase: 'installHandoff', role: 'it-ops', check: 'installer', label: 'Build the Edge Installer' },
  { path: 'installHandoff.installingHosts', phase: 'installHandoff', role: 'it-ops', check: 'hosts-installed', label: 'Install the hosts from the USB stick' },
  // In the field the staged hosts are shipped; the lab records the handoff as an event (HAND_OFF).
  { path: HANDOFF_STEP_PATH, phase: 'installHandoff', role: 'it-ops', check: 'hosts-handed-off', label: 'Hand the installed hosts over to the site' },
  { path: 'registration', phase: 'registration', role: 'site-technician', check: 'hosts-registered', label: 'Power the hosts on at the site and register them' },
  { path: 'clusterProvisioning.creatingCluster', phase: 'clusterProvisioning', role: 'it-ops', check: 'cluster-created', label: 'Create the cluster from the registered hosts' },
  { path: 'clusterProvisioning.waitingForRunning', phase: 'clusterProvisioning', role: 'it-ops', check: 'cluster-running', label: 'Wait for the cluster to be Running' },
];

export function stepAt(path: string): LabStep | undefined {
  return LAB_STEPS.find((s) => s.path === path);
}
