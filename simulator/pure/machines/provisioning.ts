/**
 * The steps a host goes through once assigned to a cluster (palette-edge.md §1 D and
 * §6 "On the host"), in order. Shared by the host chart (one host's progress) and the
 * cluster chart (the cluster's progress, one event per step).
 */
import type { ClusterEvent } from './cluster.machine';

export const PROVISIONING_STEPS = [
  'image-pulled',
  'partition-switched',
  'rebooted-into-provider-os',
  'stages-run',
  'runtime-started',
  /** The profile's network plugin, then its add-on layers: as far as the lab's runtime allows (stylus-cluster). */
  'layers-applied',
  'node-ready',
] as const;
export type ProvisioningStep = (typeof PROVISIONING_STEPS)[number];

/** The cluster chart's event for a host's step, so one report can feed both charts. */
export function clusterEventForStep(step: ProvisioningStep, host: string): ClusterEvent {
  switch (step) {
    case 'image-pulled': return { type: 'IMAGE_PULLED' };
    case 'partition-switched': return { type: 'PARTITION_SWITCHED' };
    case 'rebooted-into-provider-os': return { type: 'REBOOTED_INTO_PROVIDER_OS' };
    case 'stages-run': return { type: 'STAGES_RUN' };
    case 'runtime-started': return { type: 'RUNTIME_STARTED' };
    case 'layers-applied': return { type: 'LAYERS_APPLIED' };
    case 'node-ready': return { type: 'NODE_READY', host };
  }
}
