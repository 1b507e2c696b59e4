/**
 * Where each lab step is done in the guides: the page and the lab part the
 * step uses. The demo player goes there and highlights that part before it
 * performs the step. Pure data; the step paths are the lab chart's (lab.steps.ts).
 */
import type { LabPartName } from '../part-names';

export interface StepPlace {
  page: string;
  part: LabPartName;
}

export const STEP_PLACES: Readonly<Record<string, StepPlace>> = {
  modelProfile: { page: '/model-cluster-profile', part: 'profile-builder' },
  'installHandoff.creatingToken': { page: '/prepare-edge-hosts', part: 'tokens' },
  'installHandoff.forgingInstaller': { page: '/prepare-edge-hosts', part: 'installer-builder' },
  'installHandoff.installingHosts': { page: '/prepare-edge-hosts', part: 'hosts' },
  // The "Hand over to the site" button sits at the top of the hosts part.
  'installHandoff.shippingHosts': { page: '/prepare-edge-hosts', part: 'hosts' },
  registration: { page: '/perform-site-install', part: 'hosts' },
  'clusterProvisioning.creatingCluster': { page: '/create-cluster-definition', part: 'cluster-wizard' },
  'clusterProvisioning.waitingForRunning': { page: '/create-cluster-definition', part: 'cluster-overview' },
  verify: { page: '/create-cluster-definition', part: 'run' },
};

/** The place of a step path; `done` (every phase done) is where the final check happens. */
export function stepPlace(path: string): StepPlace | undefined {
  return STEP_PLACES[path === 'done' ? 'verify' : path];
}
