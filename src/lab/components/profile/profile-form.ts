// The profile builder's form state, and its translation to and from the cluster profile body the
// simulated Palette takes (POST /palette/v1/profiles). One form layer is one body layer, in the
// same order, so an issue at `layers[i]…` belongs to the form's layer i.
import type { ClusterProfile } from '../../../../simulator/pure/palette/profile';

export type LayerType = 'os' | 'k8s' | 'cni' | 'csi' | 'addon';

/** The order Palette stacks layers in: OS, Kubernetes, Network, Storage, then add-ons. */
export const LAYER_ORDER: readonly LayerType[] = ['os', 'k8s', 'cni', 'csi', 'addon'];
/** The layers a full Edge Native profile must have; the form starts with them, packs unchosen. */
export const REQUIRED_LAYERS: readonly LayerType[] = ['os', 'k8s', 'cni'];

/** How the builder names each layer (the legend of its fieldset). */
export const LAYER_NAMES: Readonly<Record<LayerType, string>> = {
  os: 'Operating system', k8s: 'Kubernetes', cni: 'Network', csi: 'Storage', addon: 'Add-on',
};

/** The BYOS Edge OS pack and the values its editor shows when it is chosen. */
export const BYOI_PACK = 'edge-native-byoi';
export const URI_KEY = 'system.uri';
export const BYOI_KEYS = [
  URI_KEY, 'system.registry', 'system.repo', 'system.k8sDistribution', 'system.peVersion', 'system.customTag',
] as const;
/** Further keys the OS pack understands, offered when a value row is added. */
export const BYOI_OPTIONAL_KEYS = ['system.osName', 'system.osVersion'] as const;

/** What GET /palette/v1/catalog answers. */
export interface CatalogPack {
  name: string;
  displayName: string;
  layer: LayerType;
  versions: readonly string[];
  /** Kubernetes packs: `system.k8sDistribution` value, CNIs it pairs with. */
  distribution?: string;
  cnis?: readonly string[];
  /** Storage packs: whether volumes reach other nodes. */
  multiNode?: boolean;
}
export interface CatalogImage {
  name: string;
  os: { name: string; version: string };
  k8sDistribution: string;
  k8sVersion: string;
  twoNode: boolean;
  available: boolean;
}
export interface Catalog {
  layers: Partial<Record<LayerType, string>>;
  packs: readonly CatalogPack[];
  providerImages: readonly CatalogImage[];
}

export interface ValueRow { id: string; key: string; value: string }
export interface LayerForm { id: string; type: LayerType; pack: string; version: string; values: ValueRow[] }
export interface ProfileForm {
  name: string;
  version: string;
  description: string;
  /** Comma-separated, as typed. */
  tags: string;
  /** `project`: only the current project sees it; `tenant`: every project does. */
  scope: 'project' | 'tenant';
  layers: LayerForm[];
}

let lastId = 0;
const nextId = (prefix: string): string => `${prefix}${++lastId}`;

export function newRow(key = '', value = ''): ValueRow {
  return { id: nextId('v'), key, value };
}

export function newLayer(type: LayerType): LayerForm {
  return { id: nextId('l'), type, pack: '', version: '', values: [] };
}

/** A fresh form: nothing named, the three required layers with no pack chosen. */
export function emptyProfileForm(): ProfileForm {
  return { name: '', version: '', description: '', tags: '', scope: 'project', layers: REQUIRED_LAYERS.map(newLayer) };
}

/** `Operating system`, `Kubernetes`, …; add-ons after the first are numbered (`Add-on 2`). */
export function layerLegend(layers: readonly LayerForm[], index: number): string {
  const layer = layers[index];
  if (!layer) return '';
  const same = layers.slice(0, index + 1).filter((l) => l.type === layer.type).length;
  return same > 1 ? `${LAYER_NAMES[layer.type]} ${same}` : LAYER_NAMES[layer.type];
}

/** Layer types that can be added now: each infrastructure layer once, add-ons any number of times. */
export function addableLayerTypes(layers: readonly LayerForm[], catalog?: Catalog): LayerType[] {
  return LAYER_ORDER.filter((t) => (t === 'addon' || !layers.some((l) => l.type === t))
    && (!catalog || catalog.packs.some((p) => p.layer === t)));
}

/** Adds a layer of `type` where Palette stacks it (after the last layer of the same or a lower rank). */
export function insertLayer(layers: readonly LayerForm[], type: LayerType): LayerForm[] {
  const rank = LAYER_ORDER.indexOf(type);
  let at = 0;
  layers.forEach((l, i) => { if (LAYER_ORDER.indexOf(l.type) <= rank) at = i + 1; });
  return [...layers.slice(0, at), newLayer(type), ...layers.slice(at)];
}

export function packsFor(catalog: Catalog | undefined, type: LayerType): CatalogPack[] {
  return catalog ? catalog.packs.filter((p) => p.layer === type) : [];
}

export function findPack(catalog: Catalog | undefined, name: string): CatalogPack | undefined {
  return catalog?.packs.find((p) => p.name === name);
}

/**
 * The layer with another pack: the version is cleared (the reader chooses it), and choosing the
 * BYOS Edge OS pack for a layer without values lists its keys, `system.uri` with the pack's
 * default template as Palette shows it, the others empty.
 */
export function choosePack(layer: LayerForm, pack: string, defaultUri: string): LayerForm {
  if (pack === layer.pack) return layer;
  const values = pack === BYOI_PACK && layer.values.length === 0
    ? BYOI_KEYS.map((k) => newRow(k, k === URI_KEY ? defaultUri : ''))
    : layer.values;
  return { ...layer, pack, version: '', values };
}

/** `registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab` → its CanvOS parts, or undefined. */
export function imageParts(image: CatalogImage): { registry: string; repo: string; peVersion: string; customTag: string } | undefined {
  const slash = image.name.indexOf('/');
  const colon = image.name.lastIndexOf(':');
  if (slash < 0 || colon < slash) return undefined;
  const tag = image.name.slice(colon + 1);
  const head = `${image.k8sDistribution}-${image.k8sVersion}-`;
  if (!tag.startsWith(head)) return undefined;
  const rest = tag.slice(head.length);
  const dash = rest.indexOf('-');
  if (dash <= 0) return undefined;
  return { registry: image.name.slice(0, slash), repo: image.name.slice(slash + 1, colon), peVersion: rest.slice(0, dash), customTag: rest.slice(dash + 1) };
}

const unique = (xs: readonly (string | undefined)[]): string[] =>
  Array.from(new Set(xs.filter((x): x is string => typeof x === 'string' && x !== ''))).sort();

/**
 * The catalog's choices for a value of the OS pack (a select offers them), or undefined when the
 * value is free text. Derived from the provider images in the lab registry and the Kubernetes packs.
 */
export function valueChoices(catalog: Catalog | undefined, key: string): string[] | undefined {
  if (!catalog) return undefined;
  const parts = catalog.providerImages.map(imageParts);
  switch (key) {
    case 'system.registry': return unique(parts.map((p) => p?.registry));
    case 'system.repo': return unique(parts.map((p) => p?.repo));
    case 'system.peVersion': return unique(parts.map((p) => p?.peVersion));
    case 'system.customTag': return unique(parts.map((p) => p?.customTag));
    case 'system.k8sDistribution': return unique(catalog.packs.filter((p) => p.layer === 'k8s').map((p) => p.distribution));
    case 'system.osName': return unique(catalog.providerImages.map((i) => i.os.name));
    case 'system.osVersion': return unique(catalog.providerImages.map((i) => i.os.version));
    default: return undefined;
  }
}

/** Suggestions for `system.uri` (free text): the pack's template, then every image in the registry. */
export function uriSuggestions(catalog: Catalog | undefined, defaultUri: string): string[] {
  return [defaultUri, ...(catalog?.providerImages.map((i) => i.name) ?? [])];
}

/** The body POST /palette/v1/profiles takes. Rows without a key are left out; values are sent as typed. */
export function formToProfile(form: ProfileForm): ClusterProfile {
  const description = form.description.trim();
  const tags = form.tags.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return {
    name: form.name.trim(),
    version: form.version.trim(),
    ...(description ? { description } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    // Project is what Palette assumes without a scope; only the other choice is sent.
    ...(form.scope === 'tenant' ? { scope: 'tenant' as const } : {}),
    cloudType: 'edge-native',
    type: 'full',
    layers: form.layers.map((l) => {
      const rows = l.values.filter((r) => r.key.trim() !== '');
      const values: Record<string, string> = {};
      for (const r of rows) values[r.key.trim()] = r.value;
      return { type: l.type, pack: l.pack, version: l.version, ...(rows.length > 0 ? { values } : {}) };
    }),
  };
}

/** A saved profile back in the form, to change it and save it as another version. Manifest layers are left out. */
export function profileToForm(profile: ClusterProfile): ProfileForm {
  const layers: LayerForm[] = [];
  for (const l of profile.layers) {
    if (l.type === 'manifest') continue;
    layers.push({ ...newLayer(l.type), pack: l.pack, version: l.version, values: Object.entries(l.values ?? {}).map(([k, v]) => newRow(k, v)) });
  }
  return {
    name: profile.name, version: profile.version, description: profile.description ?? '',
    tags: (profile.tags ?? []).join(', '), scope: profile.scope ?? 'project', layers,
  };
}

/** `edge-native-byoi 1.0.0 · edge-k3s 1.32.4 · …`: a saved profile in one line. */
export function layerSummary(profile: ClusterProfile): string {
  return profile.layers.map((l) => (l.type === 'manifest' ? `manifest ${l.name}` : `${l.pack} ${l.version}`)).join(' · ');
}

/** How Palette's Profiles page names a cloud type. */
export const CLOUD_TYPE_NAMES: Readonly<Record<ClusterProfile['cloudType'], string>> = { 'edge-native': 'Edge Native' };

/**
 * The saved profiles the list shows: `cloudType` `all` or one cloud type, and a case-insensitive
 * part of the name (blank: any).
 */
export function filterProfiles<P extends { name: string; profile: Pick<ClusterProfile, 'cloudType'> }>(
  profiles: readonly P[], filter: { cloudType: string; nameContains: string },
): P[] {
  const part = filter.nameContains.trim().toLowerCase();
  return profiles.filter((p) => (filter.cloudType === 'all' || p.profile.cloudType === filter.cloudType) && p.name.toLowerCase().includes(part));
}
