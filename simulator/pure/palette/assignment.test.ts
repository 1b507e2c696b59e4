import { describe, expect, it } from 'vitest';
import { addressOf, blobPath, clusterImage, clusterLayers, effectiveValues, labRepositoryOf, nodeNames, staticIpCidr } from './assignment';
import type { ClusterProfile } from './profile';
import { DEFAULT_URI_TEMPLATE } from './provider-image';

const K3S_IMAGE = 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab';
const profile = (values: Record<string, string>, version = '1.32.4'): ClusterProfile => ({
  name: 'p', version: '1.0.0', cloudType: 'edge-native', type: 'full',
  layers: [
    { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values },
    { type: 'k8s', pack: 'edge-k3s', version },
    { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
  ],
});
const TEMPLATE = {
  'system.uri': DEFAULT_URI_TEMPLATE, 'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider',
  'system.k8sDistribution': 'k3s', 'system.peVersion': 'v4.7.16', 'system.customTag': 'lab',
};

describe('clusterImage', () => {
  it('resolves a plain system.uri to the image and its repository', () => {
    expect(clusterImage(profile({ 'system.uri': K3S_IMAGE }))).toMatchObject({
      k8sPack: 'edge-k3s', distribution: 'k3s', k8sVersion: '1.32.4', repository: 'edge-lab-provider', image: { name: K3S_IMAGE },
    });
  });

  it('fills the template with the Kubernetes version of the profile', () => {
    expect(clusterImage(profile(TEMPLATE, '1.33.1'))?.image.name).toBe('registry.lab/edge-lab-provider:k3s-1.33.1-v4.7.16-lab');
  });

  it('applies parameter overrides of the OS layer only', () => {
    const p = profile(TEMPLATE);
    expect(effectiveValues(p, 'edge-native-byoi', { 'edge-native-byoi.system.customTag': 'x', 'edge-k3s.foo': 'y' })).toMatchObject({ 'system.customTag': 'x' });
    expect(effectiveValues(p, 'edge-native-byoi', { 'edge-k3s.foo': 'y' })).not.toHaveProperty('foo');
    expect(clusterImage(p, { 'edge-native-byoi.system.uri': 'registry.lab/edge-lab-provider:k3s-1.31.8-v4.7.16-lab' })?.image.k8sVersion).toBe('1.31.8');
  });

  it('is undefined when the image is not in the lab registry', () => {
    expect(clusterImage(profile({ 'system.uri': 'registry.lab/nope:k3s' }))).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('names the repository of a lab image', () => {
    expect(labRepositoryOf(K3S_IMAGE)).toBe('edge-lab-provider');
    expect(labRepositoryOf('docker.io/library/ubuntu:22.04')).toBeUndefined();
  });

  it('makes unique DNS-label node names from host IDs', () => {
    expect(nodeNames(['edge-A1', 'edge_a1', 'Edge-a1', `e${'x'.repeat(80)}`])).toEqual(['edge-a1', 'edge-a1-2', 'edge-a1-3', `e${'x'.repeat(62)}`]);
  });

  it('writes a static IP as CIDR and reads the address back', () => {
    expect(staticIpCidr({ ip: '10.77.0.11', gateway: '10.77.0.1', subnetMask: '255.255.255.0' })).toBe('10.77.0.11/24');
    expect(staticIpCidr({ ip: '10.77.0.11', gateway: '10.77.0.1', subnetMask: '255.0.255.0' })).toBeUndefined();
    expect(addressOf('10.77.0.11/24')).toBe('10.77.0.11');
  });

  it('builds registry blob paths', () => {
    expect(blobPath('edge-lab-provider', 'ab'.repeat(32))).toBe(`/v2/edge-lab-provider/blobs/sha256:${'ab'.repeat(32)}`);
  });
});

describe('clusterLayers', () => {
  it('lists the layers above Kubernetes in profile order, shell-safe', () => {
    expect(clusterLayers({
      name: 'p', version: '1.0.0', cloudType: 'edge-native', type: 'full',
      layers: [
        { type: 'os', pack: 'edge-native-byoi', version: '1.0.0' }, { type: 'k8s', pack: 'edge-k3s', version: '1.32.4' },
        { type: 'cni', pack: 'cni-calico', version: '3.30.1' }, { type: 'csi', pack: 'csi-local-path', version: '0.0.31' },
        { type: 'manifest', name: 'hello universe', manifests: [] },
      ],
    })).toEqual(['cni-calico@3.30.1', 'csi-local-path@0.0.31', 'manifest:hello-universe']);
  });
});
