/**
 * The cluster profile the guides model: Edge Native with BYOI (the lab's provider
 * image from the lab registry), K3s and Calico. Shared by the scenarios; the
 * Model Cluster Profile guide types the same values.
 */
import type { ClusterProfile } from '../palette/profile';
import { DEFAULT_URI_TEMPLATE } from '../palette/provider-image';

export const LAB_K3S_PROFILE: ClusterProfile = {
  name: 'edge-k3s-lab',
  version: '1.0.0',
  cloudType: 'edge-native',
  type: 'full',
  layers: [
    {
      type: 'os', pack: 'edge-native-byoi', version: '1.0.0',
      values: {
        'system.uri': DEFAULT_URI_TEMPLATE,
        'system.registry': 'registry.lab',
        'system.repo': 'edge-lab-provider',
        'system.k8sDistribution': 'k3s',
        'system.peVersion': 'v4.7.16',
        'system.customTag': 'lab',
      },
    },
    { type: 'k8s', pack: 'edge-k3s', version: '1.32.4' },
    { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
  ],
};
