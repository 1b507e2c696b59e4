import { describe, expect, it } from 'vitest';
import {
  ADDON_PACKS, CNI_PACKS, CSI_PACKS, findPack, findProviderImage, K8S_PACKS, OS_PACKS, PACKS, packsOfLayer, PROVIDER_IMAGES,
} from './catalog';

describe('pack catalog', () => {
  it('offers the packs of reference §3 under their internal names', () => {
    expect(OS_PACKS).toEqual([expect.objectContaining({ name: 'edge-native-byoi', displayName: 'BYOS Edge OS', versions: ['1.0.0'] })]);
    expect(K8S_PACKS.map((p) => [p.name, p.distribution])).toEqual([
      ['edge-k8s', 'kubeadm'], ['edge-k3s', 'k3s'], ['edge-rke2', 'rke2'], ['edge-canonical', 'canonical'],
    ]);
    expect(CNI_PACKS.map((p) => p.name)).toEqual(['cni-calico', 'cni-flannel', 'cni-cilium', 'cni-custom']);
    expect(CSI_PACKS.map((p) => p.name)).toEqual(['csi-local-path', 'csi-longhorn', 'csi-rook-ceph']);
    expect(ADDON_PACKS.length).toBeGreaterThan(0);
  });

  it('has unique pack names, each with at least one version, all Kubernetes versions within 1.26–1.33', () => {
    expect(new Set(PACKS.map((p) => p.name)).size).toBe(PACKS.length);
    for (const p of PACKS) expect(p.versions.length, p.name).toBeGreaterThan(0);
    for (const v of K8S_PACKS.flatMap((p) => p.versions)) expect(v).toMatch(/^1\.(2[6-9]|3[0-3])\.\d+$/);
  });

  it.each([
    ['edge-k8s', ['cni-calico', 'cni-flannel', 'cni-custom']],
    ['edge-k3s', ['cni-calico', 'cni-flannel', 'cni-custom']],
    ['edge-rke2', ['cni-calico', 'cni-flannel', 'cni-custom']],
    ['edge-canonical', ['cni-calico', 'cni-cilium', 'cni-custom']],
  ])('pairs %s with %j', (name, cnis) => {
    expect(K8S_PACKS.find((p) => p.name === name)?.cnis).toEqual(cnis);
  });

  it('runs Canonical on Ubuntu only, and offers two-node for K3s and Canonical only', () => {
    expect(K8S_PACKS.find((p) => p.name === 'edge-canonical')?.osNames).toEqual(['ubuntu']);
    expect(K8S_PACKS.filter((p) => p.twoNode).map((p) => p.name)).toEqual(['edge-k3s', 'edge-canonical']);
  });

  it('every CNI a distribution pairs with is a Network pack', () => {
    for (const c of K8S_PACKS.flatMap((p) => p.cnis)) expect(findPack(c)?.layer).toBe('cni');
  });

  it('marks Local Path Provisioner as single-node storage', () => {
    expect(CSI_PACKS.filter((p) => !p.multiNode).map((p) => p.name)).toEqual(['csi-local-path']);
    expect(packsOfLayer('csi')).toEqual(CSI_PACKS);
  });
});

describe('lab provider images', () => {
  it('include the K3s 1.32.4 image the guides use', () => {
    expect(findProviderImage('registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab')).toEqual({
      name: 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab',
      os: { name: 'ubuntu', version: '22.04' }, k8sDistribution: 'k3s', k8sVersion: '1.32.4', twoNode: true,
    });
  });

  it.each(PROVIDER_IMAGES.map((i) => [i.name, i] as const))('%s fits the catalog', (_name, image) => {
    const pack = K8S_PACKS.find((p) => p.distribution === image.k8sDistribution)!;
    expect(pack.versions).toContain(image.k8sVersion);
    expect(pack.osNames).toContain(image.os.name);
    if (image.twoNode) expect(pack.twoNode).toBe(true);
    expect(image.name).toMatch(new RegExp(`^registry\\.lab/[a-z-]+:${image.k8sDistribution}-${image.k8sVersion.replace(/\./g, '\\.')}-v[\\d.]+-[a-z]+$`));
  });

  it('has unique names and an image for every distribution', () => {
    expect(new Set(PROVIDER_IMAGES.map((i) => i.name)).size).toBe(PROVIDER_IMAGES.length);
    expect(new Set(PROVIDER_IMAGES.map((i) => i.k8sDistribution))).toEqual(new Set(['k3s', 'kubeadm', 'rke2', 'canonical']));
  });
});
