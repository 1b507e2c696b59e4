// What Palette tells an edge host when it is assigned to a cluster (simulator/palette-api.md,
// "Cluster provisioning"): the cluster's Kubernetes, the provider image it boots into and its
// place on the LAN. Pure: the caller passes the profile, the wizard's data and the lab's answers.
import { maskPrefixLength } from '../user-data/net';
import { findK8sPack, findProviderImage, LAB_REGISTRY, type K8sDistribution, type ProviderImage } from './catalog';
import type { StaticIp } from './cluster-network';
import type { ClusterProfile } from './profile';
import { resolveSystemUri, URI_KEY } from './provider-image';

export interface ClusterImage {
  k8sPack: string;
  distribution: K8sDistribution;
  k8sVersion: string;
  /** The provider image the OS layer's `system.uri` resolves to. */
  image: ProviderImage;
  /** Its repository inside the lab registry, e.g. `edge-lab-provider`. */
  repository: string;
}

/**
 * The values of the profile's layer `pack` with the cluster's parameter overrides
 * (`<pack>.<key>`) applied.
 */
export function effectiveValues(profile: ClusterProfile, pack: string, parameters: Readonly<Record<string, string>> = {}): Record<string, string> {
  const layer = profile.layers.find((l) => l.type !== 'manifest' && l.pack === pack);
  const values: Record<string, string> = { ...(layer && layer.type !== 'manifest' ? layer.values : {}) };
  for (const [k, v] of Object.entries(parameters)) {
    if (k.startsWith(`${pack}.`) && k.length > pack.length + 1) values[k.slice(pack.length + 1)] = v;
  }
  return values;
}

/** `registry.lab/edge-lab-provider:k3s-…` → `edge-lab-provider`; undefined outside the lab registry. */
export function labRepositoryOf(imageName: string): string | undefined {
  if (!imageName.startsWith(`${LAB_REGISTRY}/`)) return undefined;
  const rest = imageName.slice(LAB_REGISTRY.length + 1);
  const colon = rest.lastIndexOf(':');
  return colon > 0 ? rest.slice(0, colon) : undefined;
}

/**
 * The Kubernetes layer and provider image of a full profile with the cluster's overrides, or
 * undefined when they do not resolve to a catalog pack and a lab provider image (a profile that
 * passed validateCluster always resolves).
 */
export function clusterImage(profile: ClusterProfile, parameters: Readonly<Record<string, string>> = {}): ClusterImage | undefined {
  const k8s = profile.layers.find((l) => l.type === 'k8s');
  const os = profile.layers.find((l) => l.type === 'os');
  if (!k8s || k8s.type !== 'k8s' || !os || os.type !== 'os') return undefined;
  const pack = findK8sPack(k8s.pack);
  if (!pack) return undefined;
  const values = effectiveValues(profile, os.pack, parameters);
  const resolved = resolveSystemUri(values[URI_KEY]?.trim() ?? '', values, k8s.version);
  const image = resolved.ok ? findProviderImage(resolved.uri) : undefined;
  const repository = image && labRepositoryOf(image.name);
  if (!image || repository === undefined) return undefined;
  return { k8sPack: pack.name, distribution: pack.distribution, k8sVersion: k8s.version, image, repository };
}

const NODE_NAME_MAX = 63;

/**
 * Kubernetes node names for the hosts, in order: each host ID lowercased, with characters a
 * DNS label cannot hold turned into `-`, cut to 63; a name already taken gets `-2`, `-3`, ….
 */
export function nodeNames(hostIds: readonly string[]): string[] {
  const taken = new Set<string>();
  return hostIds.map((id) => {
    const base = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, NODE_NAME_MAX).replace(/-+$/, '') || 'node';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base.slice(0, NODE_NAME_MAX - String(n).length - 1).replace(/-+$/, '')}-${n}`;
    taken.add(name);
    return name;
  });
}

/** A static IP as the agent configures it: `10.77.0.11/24`; undefined for a malformed mask. */
export function staticIpCidr(s: StaticIp): string | undefined {
  const prefix = maskPrefixLength(s.subnetMask);
  return prefix === undefined ? undefined : `${s.ip}/${prefix}`;
}

/** The address part of `10.77.0.11/24` (or of a bare address). */
export const addressOf = (cidr: string): string => cidr.split('/')[0] ?? '';

/** Path of a blob on the lab registry (OCI distribution API). */
export function blobPath(repository: string, sha256: string): string {
  return `/v2/${repository}/blobs/sha256:${sha256}`;
}

/**
 * The profile's layers above Kubernetes, in profile order, as a host applies them after its
 * runtime starts: the network plugin, storage, add-on packs (`pack@version`) and manifest layers
 * (`manifest:name`). Characters outside [A-Za-z0-9._-] become `-`, so the list is shell-safe.
 */
export function clusterLayers(profile: ClusterProfile): string[] {
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '-');
  return profile.layers.flatMap((l) => {
    if (l.type === 'manifest') return [`manifest:${safe(l.name)}`];
    return l.type === 'os' || l.type === 'k8s' ? [] : [`${safe(l.pack)}@${safe(l.version)}`];
  });
}
