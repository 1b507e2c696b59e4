// Cluster profiles of cloud type Edge Native (reference §3). A `full` profile stacks the layers
// OS, Kubernetes, Network (all required, in that order), an optional Storage layer, then add-ons
// and manifests. An `add-on` profile holds add-ons and manifests only. Packs and versions must
// exist in the catalog, the CNI must pair with the distribution, and the OS layer's
// `system.uri` must name a provider image that exists and fits (provider-image.ts).
import { z } from 'zod';
import { didYouMean } from '../user-data/did-you-mean';
import {
  BYOS_PACK, CSI_PACKS, findK8sPack, findPack, K8S_PACKS, LAYER_LABELS, packsOfLayer,
  type K8sPack, type LayerType, type ProviderImage, type StoragePack,
} from './catalog';
import { error, oneOf, parseWith, warning, type PaletteIssue, type Parsed } from './issues';
import { checkName, checkSemver, checkTagList } from './names';
import { checkProviderImage } from './provider-image';

const packLayerSchema = z.object({
  type: z.enum(['os', 'k8s', 'cni', 'csi', 'addon']),
  pack: z.string(),
  version: z.string(),
  /** Pack values as flat keys, e.g. `system.uri` for the OS layer. */
  values: z.record(z.string(), z.string()).optional(),
});
const manifestLayerSchema = z.object({
  type: z.literal('manifest'),
  name: z.string(),
  manifests: z.array(z.object({ name: z.string(), content: z.string() })),
});
export const profileLayerSchema = z.discriminatedUnion('type', [packLayerSchema, manifestLayerSchema], {
  error: 'must be a layer whose `type` is `os`, `k8s`, `cni`, `csi`, `addon` or `manifest`',
});

export const clusterProfileSchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /**
   * Where the profile is visible (reference, "Model Cluster Profile"): `project` (the default), in the project it was
   * made in; `tenant`, in every project. The lab has clusters in one project, so both are usable.
   */
  scope: z.enum(['project', 'tenant']).optional(),
  cloudType: z.literal('edge-native'),
  type: z.enum(['full', 'add-on']),
  layers: z.array(profileLayerSchema),
});

export type PackLayer = z.infer<typeof packLayerSchema>;
export type ManifestLayer = z.infer<typeof manifestLayerSchema>;
export type ProfileLayer = z.infer<typeof profileLayerSchema>;
export type ClusterProfile = z.infer<typeof clusterProfileSchema>;

export interface ProfileOptions {
  /** Accept `system.uri: NA` (a profile that names no provider image). */
  allowNoProviderImage?: boolean;
  /** The provider image must resolve and exist (a cluster is being created); otherwise those are warnings. */
  requireProviderImage?: boolean;
}

/** What a profile's infrastructure layers resolve to in the catalog (first layer of each type). */
export interface ProfileFacts {
  k8s?: { pack: K8sPack; version: string };
  storage?: StoragePack;
  image?: ProviderImage;
}

const RANK: Record<ProfileLayer['type'], number> = { os: 0, k8s: 1, cni: 2, csi: 3, addon: 4, manifest: 4 };
const REQUIRED: readonly LayerType[] = ['os', 'k8s', 'cni'];
const ADD_HINT: Partial<Record<LayerType, string>> = {
  os: `add the BYOS Edge OS layer (\`${BYOS_PACK}\`) first`,
  k8s: `add a Kubernetes layer after the OS layer: ${oneOf(K8S_PACKS.map((p) => p.name))}`,
  cni: `add a Network layer after Kubernetes: ${oneOf(packsOfLayer('cni').map((p) => p.name))}`,
};
const label = (t: ProfileLayer['type']): string => (t === 'manifest' ? 'Manifest' : LAYER_LABELS[t]);

function structureIssues(p: ClusterProfile): PaletteIssue[] {
  const issues: PaletteIssue[] = [];
  if (p.type === 'add-on') {
    if (p.layers.length === 0) issues.push(error('layers', 'layer-missing', 'the add-on profile has no layers', 'add at least one add-on pack or manifest'));
    p.layers.forEach((l, i) => {
      if (RANK[l.type] < 4) {
        issues.push(error(`layers[${i}].type`, 'layer-not-allowed', `an add-on profile cannot hold a ${label(l.type)} layer`, 'remove the layer, or make this a profile of type `full`'));
      }
    });
    return issues;
  }
  const seen = new Set<string>();
  let highest: ProfileLayer['type'] = 'os';
  p.layers.forEach((l, i) => {
    if (RANK[l.type] < 4 && seen.has(l.type)) {
      issues.push(error(`layers[${i}]`, 'layer-duplicate', `the profile already has a ${label(l.type)} layer`, 'remove one of them; a profile has one layer of each infrastructure type'));
      return;
    }
    seen.add(l.type);
    if (RANK[l.type] < RANK[highest]) {
      issues.push(error(`layers[${i}]`, 'layer-order', `the ${label(l.type)} layer comes after the ${label(highest)} layer`, 'order the layers OS, Kubernetes, Network, Storage (optional), then add-ons'));
    } else highest = l.type;
  });
  for (const t of REQUIRED) {
    if (!seen.has(t)) issues.push(error('layers', 'layer-missing', `the profile has no ${LAYER_LABELS[t]} layer; a full Edge Native profile needs OS, Kubernetes and Network`, ADD_HINT[t]));
  }
  return issues;
}

function packIssues(l: PackLayer, at: string): PaletteIssue[] {
  const pack = findPack(l.pack);
  const choices = packsOfLayer(l.type).map((p) => p.name);
  if (!pack) {
    const close = didYouMean(l.pack, choices);
    return [error(`${at}.pack`, 'pack-unknown', `the catalog has no pack \`${l.pack}\``, close ? `did you mean \`${close}\`?` : `choose ${oneOf(choices)}`)];
  }
  if (pack.layer !== l.type) {
    return [error(`${at}.pack`, 'pack-wrong-layer', `\`${l.pack}\` is a ${LAYER_LABELS[pack.layer]} pack, not a ${LAYER_LABELS[l.type]} pack`, `choose ${oneOf(choices)} for this layer`)];
  }
  if (!pack.versions.includes(l.version)) {
    return [error(`${at}.version`, 'version-unknown', `${pack.displayName} has no version \`${l.version}\``, `choose ${oneOf(pack.versions)}`)];
  }
  return [];
}

function manifestIssues(l: ManifestLayer, at: string): PaletteIssue[] {
  const issues = l.name.trim() === '' ? [error(`${at}.name`, 'manifest-invalid', 'the manifest layer has no name', 'name it, e.g. `hello-universe`')] : [];
  if (l.manifests.length === 0) issues.push(error(`${at}.manifests`, 'manifest-empty', 'the manifest layer holds no manifests', 'add a manifest, or remove the layer'));
  l.manifests.forEach((m, j) => {
    if (m.content.trim() === '') issues.push(error(`${at}.manifests[${j}].content`, 'manifest-empty', `manifest \`${m.name}\` is empty`, 'paste the Kubernetes YAML, or remove the manifest'));
  });
  return issues;
}

function firstOf(p: ClusterProfile, t: LayerType): { i: number; layer: PackLayer } | undefined {
  const i = p.layers.findIndex((l) => l.type === t);
  const layer = p.layers[i];
  return layer && layer.type !== 'manifest' ? { i, layer } : undefined;
}

/** Checks a profile; errors block saving it, warnings do not. */
export function validateProfile(p: ClusterProfile, opts: ProfileOptions = {}): PaletteIssue[] {
  return analyseProfile(p, opts).issues;
}

/** validateProfile plus what the profile resolves to (used by the cluster wizard). */
export function analyseProfile(p: ClusterProfile, opts: ProfileOptions = {}): { issues: PaletteIssue[]; facts: ProfileFacts } {
  const issues = [...checkName(p.name, 'name', 'profile'), ...checkSemver(p.version, 'version'), ...checkTagList(p.tags ?? [], 'tags'), ...structureIssues(p)];
  p.layers.forEach((l, i) => issues.push(...(l.type === 'manifest' ? manifestIssues(l, `layers[${i}]`) : packIssues(l, `layers[${i}]`))));
  const facts: ProfileFacts = {};
  if (p.type !== 'full') return { issues, facts };

  const k8s = firstOf(p, 'k8s');
  const k8sPack = k8s && findK8sPack(k8s.layer.pack);
  if (k8sPack && k8sPack.versions.includes(k8s.layer.version)) facts.k8s = { pack: k8sPack, version: k8s.layer.version };
  const cni = firstOf(p, 'cni');
  const cniPack = cni && findPack(cni.layer.pack);
  if (cni && k8sPack && cniPack?.layer === 'cni' && !k8sPack.cnis.includes(cniPack.name)) {
    const others = K8S_PACKS.filter((k) => k.cnis.includes(cniPack.name)).map((k) => k.displayName);
    issues.push(error(`layers[${cni.i}].pack`, 'cni-incompatible',
      `${cniPack.displayName} does not pair with ${k8sPack.displayName}, which pairs with ${k8sPack.cnis.map((c) => findPack(c)?.displayName ?? c).join(', ')}`,
      `choose ${oneOf(k8sPack.cnis)}${others.length > 0 ? `, or use ${others.join(' or ')} for ${cniPack.displayName}` : ''}`));
  }
  const os = firstOf(p, 'os');
  if (os && os.layer.pack === BYOS_PACK) {
    const checked = checkProviderImage(`layers[${os.i}]`, os.layer.values ?? {}, { pack: k8sPack, version: k8s?.layer.version }, opts);
    issues.push(...checked.issues);
    if (checked.image) facts.image = checked.image;
  }
  const csi = firstOf(p, 'csi');
  facts.storage = csi && CSI_PACKS.find((s) => s.name === csi.layer.pack);
  if (csi && facts.storage && !facts.storage.multiNode) {
    const better = CSI_PACKS.filter((s) => s.multiNode).map((s) => s.displayName).join(' or ');
    issues.push(warning(`layers[${csi.i}].pack`, 'storage-single-node',
      `${facts.storage.displayName} keeps each volume on one node's disk: fine for a single-node cluster, but pods on other nodes cannot reach it`,
      `for clusters of more than one node, use ${better}`));
  }
  if (!facts.storage) delete facts.storage;
  return { issues, facts };
}

/** Shape check (zod) then validateProfile, for a profile arriving as JSON. */
export function parseProfile(raw: unknown, opts: ProfileOptions = {}): Parsed<ClusterProfile> {
  return parseWith(clusterProfileSchema, raw, (p) => validateProfile(p, opts));
}
