// The pack catalog of the simulated Palette, as data: what a learner can put in an Edge Native
// cluster profile (reference §3), and the provider images that exist in the lab registry.
//
// Lab decisions, where the docs leave room:
// - Kubernetes versions are a small subset of 1.30–1.33, the same patch releases for every
//   distribution, so the provider images below line up with them.
// - `cni-custom` (bring your own CNI) pairs with every distribution; the docs' pairing table
//   (PXK-E/K3s/RKE2 with Calico/Flannel, Canonical with Calico/Cilium) names only packaged CNIs.
// - Two-node clusters are offered for K3s and Canonical only, and need a provider image built
//   with two-node support (CanvOS `TWO_NODE=true`).
// - Every provider image is tagged `<distribution>-<k8s version>-<PE version>-<custom tag>`, the
//   CanvOS scheme, in `registry.lab`, the registry the hosts pull from over the guest network.

export const LAYER_TYPES = ['os', 'k8s', 'cni', 'csi', 'addon'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

/** How the Palette UI names each layer. */
export const LAYER_LABELS: Record<LayerType, string> = {
  os: 'OS', k8s: 'Kubernetes', cni: 'Network', csi: 'Storage', addon: 'Add-on',
};

/** `system.k8sDistribution` values, as in CanvOS `K8S_DISTRIBUTION`. */
export type K8sDistribution = 'kubeadm' | 'k3s' | 'rke2' | 'canonical';
export type OsName = 'ubuntu' | 'opensuse-leap';

export interface Pack {
  name: string;
  displayName: string;
  layer: LayerType;
  versions: readonly string[];
}

export interface K8sPack extends Pack {
  layer: 'k8s';
  distribution: K8sDistribution;
  /** CNI packs this distribution is validated with. */
  cnis: readonly string[];
  /** Operating systems its provider images may be built on. */
  osNames: readonly OsName[];
  /** Whether two-node clusters (exactly 2 control-plane nodes) are supported. */
  twoNode: boolean;
}

export interface StoragePack extends Pack {
  layer: 'csi';
  /** False when volumes live on one node's disk (fine for a single node, not for several). */
  multiNode: boolean;
}

export const BYOS_PACK = 'edge-native-byoi';
export const CUSTOM_CNI = 'cni-custom';

export const OS_PACKS: readonly Pack[] = [
  { name: BYOS_PACK, displayName: 'BYOS Edge OS', layer: 'os', versions: ['1.0.0'] },
];

const V = ['1.30.14', '1.31.8', '1.32.4', '1.33.1'] as const;
const PACKAGED_CNIS = ['cni-calico', 'cni-flannel'] as const;

export const K8S_PACKS: readonly K8sPack[] = [
  { name: 'edge-k8s', displayName: 'Palette eXtended Kubernetes - Edge (PXK-E)', layer: 'k8s', distribution: 'kubeadm',
    versions: V, cnis: [...PACKAGED_CNIS, CUSTOM_CNI], osNames: ['ubuntu', 'opensuse-leap'], twoNode: false },
  { name: 'edge-k3s', displayName: 'Palette Optimized K3s', layer: 'k8s', distribution: 'k3s',
    versions: V, cnis: [...PACKAGED_CNIS, CUSTOM_CNI], osNames: ['ubuntu', 'opensuse-leap'], twoNode: true },
  { name: 'edge-rke2', displayName: 'Palette Optimized RKE2', layer: 'k8s', distribution: 'rke2',
    versions: V.slice(1), cnis: [...PACKAGED_CNIS, CUSTOM_CNI], osNames: ['ubuntu', 'opensuse-leap'], twoNode: false },
  { name: 'edge-canonical', displayName: 'Palette Optimized Canonical', layer: 'k8s', distribution: 'canonical',
    versions: V.slice(1), cnis: ['cni-calico', 'cni-cilium', CUSTOM_CNI], osNames: ['ubuntu'], twoNode: true },
];

export const CNI_PACKS: readonly Pack[] = [
  { name: 'cni-calico', displayName: 'Calico', layer: 'cni', versions: ['3.29.2', '3.30.1'] },
  { name: 'cni-flannel', displayName: 'Flannel', layer: 'cni', versions: ['0.26.4'] },
  { name: 'cni-cilium', displayName: 'Cilium', layer: 'cni', versions: ['1.17.2'] },
  { name: CUSTOM_CNI, displayName: 'Custom CNI', layer: 'cni', versions: ['0.1.0'] },
];

export const CSI_PACKS: readonly StoragePack[] = [
  { name: 'csi-local-path', displayName: 'Local Path Provisioner', layer: 'csi', versions: ['0.0.31'], multiNode: false },
  { name: 'csi-longhorn', displayName: 'Longhorn', layer: 'csi', versions: ['1.8.1'], multiNode: true },
  { name: 'csi-rook-ceph', displayName: 'Rook Ceph', layer: 'csi', versions: ['1.16.5'], multiNode: true },
];

/** Add-on packs. Custom manifests (a `manifest` layer) need no catalog entry. */
export const ADDON_PACKS: readonly Pack[] = [
  { name: 'hello-universe', displayName: 'Hello Universe (manifest)', layer: 'addon', versions: ['1.2.0'] },
  { name: 'spectro-proxy', displayName: 'Spectro Proxy', layer: 'addon', versions: ['1.5.4'] },
];

export const PACKS: readonly Pack[] = [...OS_PACKS, ...K8S_PACKS, ...CNI_PACKS, ...CSI_PACKS, ...ADDON_PACKS];

export function findPack(name: string): Pack | undefined {
  return PACKS.find((p) => p.name === name);
}

export function findK8sPack(name: string): K8sPack | undefined {
  return K8S_PACKS.find((p) => p.name === name);
}

export function packsOfLayer(layer: LayerType): readonly Pack[] {
  return PACKS.filter((p) => p.layer === layer);
}

export interface ProviderImage {
  /** Full reference the OS layer's `system.uri` names. */
  name: string;
  os: { name: OsName; version: string };
  k8sDistribution: K8sDistribution;
  k8sVersion: string;
  /** Built with two-node support. */
  twoNode: boolean;
}

export const LAB_REGISTRY = 'registry.lab';
export const LAB_PE_VERSION = 'v4.7.16';
export const LAB_CUSTOM_TAG = 'lab';

const UBUNTU = { name: 'ubuntu', version: '22.04' } as const;
const image = (repo: string, os: ProviderImage['os'], d: K8sDistribution, v: string, twoNode: boolean): ProviderImage => ({
  name: `${LAB_REGISTRY}/${repo}:${d}-${v}-${LAB_PE_VERSION}-${LAB_CUSTOM_TAG}`,
  os, k8sDistribution: d, k8sVersion: v, twoNode,
});

/** The provider images in the lab registry. */
export const PROVIDER_IMAGES: readonly ProviderImage[] = [
  image('edge-lab-provider', UBUNTU, 'k3s', '1.32.4', true),
  image('edge-lab-provider', UBUNTU, 'k3s', '1.33.1', true),
  image('edge-lab-provider', UBUNTU, 'k3s', '1.31.8', false),
  image('edge-lab-provider', UBUNTU, 'kubeadm', '1.32.4', false),
  image('edge-lab-provider', UBUNTU, 'rke2', '1.32.4', false),
  image('edge-lab-provider', UBUNTU, 'canonical', '1.32.4', true),
  image('edge-lab-provider-opensuse', { name: 'opensuse-leap', version: '15.6' }, 'k3s', '1.32.4', false),
  // Broken on purpose, for the upgrade's fallback drill: its init gives up at once, so a host
  // repaved with it uses up its boot tries and boots back into its previous partition.
  image('edge-lab-provider-broken', UBUNTU, 'k3s', '1.33.1', false),
];

export function findProviderImage(name: string): ProviderImage | undefined {
  return PROVIDER_IMAGES.find((i) => i.name === name);
}
