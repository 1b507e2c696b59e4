import { describe, expect, it } from 'vitest';
import { PACKS, PROVIDER_IMAGES } from '../../../../simulator/pure/palette/catalog';
import { validateProfile } from '../../../../simulator/pure/palette/profile';
import { DEFAULT_URI_TEMPLATE } from '../../../../simulator/pure/palette/provider-image';
import { singleNode } from '../../../../simulator/pure/scenarios/single-node';
import {
  addableLayerTypes, choosePack, emptyProfileForm, formToProfile, imageParts, insertLayer, layerLegend, layerSummary,
  filterProfiles, newLayer, newRow, profileToForm, uriSuggestions, valueChoices, type Catalog, type ProfileForm,
} from './profile-form';

const catalog: Catalog = {
  layers: { os: 'OS', k8s: 'Kubernetes', cni: 'Network', csi: 'Storage', addon: 'Add-on' },
  packs: PACKS,
  providerImages: PROVIDER_IMAGES.map((i) => ({ ...i, available: true })),
};

describe('profile form', () => {
  it('starts with the three required layers and nothing chosen', () => {
    const form = emptyProfileForm();
    expect(form.name).toBe('');
    expect(form.version).toBe('');
    expect(form.layers.map((l) => [l.type, l.pack, l.version])).toEqual([['os', '', ''], ['k8s', '', ''], ['cni', '', '']]);
    expect(form.layers.map((_, i) => layerLegend(form.layers, i))).toEqual(['Operating system', 'Kubernetes', 'Network']);
  });

  it('adds layers where Palette stacks them and offers each infrastructure layer once', () => {
    let layers = emptyProfileForm().layers;
    expect(addableLayerTypes(layers, catalog)).toEqual(['csi', 'addon']);
    layers = insertLayer(layers, 'addon');
    layers = insertLayer(layers, 'csi');
    layers = insertLayer(layers, 'addon');
    expect(layers.map((l) => l.type)).toEqual(['os', 'k8s', 'cni', 'csi', 'addon', 'addon']);
    expect(layers.map((_, i) => layerLegend(layers, i)).slice(3)).toEqual(['Storage', 'Add-on', 'Add-on 2']);
    expect(addableLayerTypes(layers)).toEqual(['addon']);
    const withoutK8s = layers.filter((l) => l.type !== 'k8s');
    expect(insertLayer(withoutK8s, 'k8s').map((l) => l.type)).toEqual(['os', 'k8s', 'cni', 'csi', 'addon', 'addon']);
    expect(insertLayer([], 'cni').map((l) => l.type)).toEqual(['cni']);
  });

  it('lists the BYOS values when the OS pack is chosen, and clears the version on a pack change', () => {
    const os = choosePack(newLayer('os'), 'edge-native-byoi', DEFAULT_URI_TEMPLATE);
    expect(os.version).toBe('');
    expect(os.values.map((r) => [r.key, r.value])).toEqual([
      ['system.uri', DEFAULT_URI_TEMPLATE], ['system.registry', ''], ['system.repo', ''],
      ['system.k8sDistribution', ''], ['system.peVersion', ''], ['system.customTag', ''],
    ]);
    const k8s = { ...newLayer('k8s'), pack: 'edge-k3s', version: '1.32.4' };
    expect(choosePack(k8s, 'edge-k3s', '')).toBe(k8s);
    expect(choosePack(k8s, 'edge-rke2', '')).toMatchObject({ pack: 'edge-rke2', version: '', values: [] });
    const typed = { ...newLayer('os'), values: [newRow('system.uri', 'registry.lab/x:y')] };
    expect(choosePack(typed, 'edge-native-byoi', DEFAULT_URI_TEMPLATE).values).toEqual(typed.values);
  });

  it("offers the catalog's choices for the OS pack's values", () => {
    expect(imageParts({ ...catalog.providerImages[0]! })).toEqual({ registry: 'registry.lab', repo: 'edge-lab-provider', peVersion: 'v4.7.16', customTag: 'lab' });
    expect(valueChoices(catalog, 'system.registry')).toEqual(['registry.lab']);
    expect(valueChoices(catalog, 'system.repo')).toEqual(['edge-lab-provider', 'edge-lab-provider-broken', 'edge-lab-provider-opensuse']);
    expect(valueChoices(catalog, 'system.k8sDistribution')).toEqual(['canonical', 'k3s', 'kubeadm', 'rke2']);
    expect(valueChoices(catalog, 'system.peVersion')).toEqual(['v4.7.16']);
    expect(valueChoices(catalog, 'system.customTag')).toEqual(['lab']);
    expect(valueChoices(catalog, 'system.osName')).toEqual(['opensuse-leap', 'ubuntu']);
    expect(valueChoices(catalog, 'system.uri')).toBeUndefined();
    expect(valueChoices(undefined, 'system.repo')).toBeUndefined();
    expect(uriSuggestions(catalog, 'T')[0]).toBe('T');
    expect(uriSuggestions(catalog, 'T')).toHaveLength(PROVIDER_IMAGES.length + 1);
  });

  it("builds the single-node scenario's profile from what the reader chooses", () => {
    const form = emptyProfileForm();
    form.name = ' edge-k3s-lab ';
    form.version = '1.0.0';
    const [os, k8s, cni] = form.layers as [ReturnType<typeof newLayer>, ReturnType<typeof newLayer>, ReturnType<typeof newLayer>];
    const chosen = choosePack(os, 'edge-native-byoi', DEFAULT_URI_TEMPLATE);
    const set: Record<string, string> = {
      'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider', 'system.k8sDistribution': 'k3s',
      'system.peVersion': 'v4.7.16', 'system.customTag': 'lab',
    };
    form.layers = [
      { ...chosen, version: '1.0.0', values: [...chosen.values.map((r) => ({ ...r, value: set[r.key] ?? r.value })), newRow('', 'ignored')] },
      { ...k8s, pack: 'edge-k3s', version: '1.32.4' },
      { ...cni, pack: 'cni-calico', version: '3.30.1' },
    ];
    const body = formToProfile(form);
    expect(body).toEqual(singleNode.profile);
    expect(validateProfile(body)).toEqual([]);
  });

  it('sends what is missing as empty, so the Palette names it at its field', () => {
    const body = formToProfile(emptyProfileForm());
    expect(body.layers).toEqual([{ type: 'os', pack: '', version: '' }, { type: 'k8s', pack: '', version: '' }, { type: 'cni', pack: '', version: '' }]);
    expect(body).not.toHaveProperty('description');
    const paths = validateProfile(body).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'version', 'layers[0].pack', 'layers[1].pack', 'layers[2].pack']));
  });

  it('sends tags and a tenant scope, and leaves out no tags and the project scope', () => {
    const form: ProfileForm = { ...profileToForm(singleNode.profile), tags: ' env:lab, ,store-42 ', scope: 'tenant' };
    expect(formToProfile(form)).toMatchObject({ tags: ['env:lab', 'store-42'], scope: 'tenant' });
    const plain = formToProfile(profileToForm(singleNode.profile));
    expect(plain).not.toHaveProperty('tags');
    expect(plain).not.toHaveProperty('scope');
    expect(profileToForm({ ...singleNode.profile, tags: ['a', 'b'], scope: 'tenant' })).toMatchObject({ tags: 'a, b', scope: 'tenant' });
  });

  it('opens a saved profile in the form and gives the same body back', () => {
    const form: ProfileForm = profileToForm({ ...singleNode.profile, description: 'lab' });
    expect(form.description).toBe('lab');
    expect(form.layers[0]!.values.map((r) => r.key)).toContain('system.uri');
    expect(formToProfile(form)).toEqual({ ...singleNode.profile, description: 'lab' });
    expect(layerSummary(singleNode.profile)).toBe('edge-native-byoi 1.0.0 · edge-k3s 1.32.4 · cni-calico 3.30.1');
    const withManifest = profileToForm({ ...singleNode.profile, layers: [...singleNode.profile.layers, { type: 'manifest', name: 'm', manifests: [] }] });
    expect(withManifest.layers).toHaveLength(3);
  });
});

describe('filterProfiles', () => {
  const saved = [
    { name: 'edge-k3s-lab', profile: { cloudType: 'edge-native' as const } },
    { name: 'edge-rke2', profile: { cloudType: 'edge-native' as const } },
  ];
  it('keeps a cloud type and a part of the name, in any case', () => {
    expect(filterProfiles(saved, { cloudType: 'all', nameContains: '' })).toHaveLength(2);
    expect(filterProfiles(saved, { cloudType: 'edge-native', nameContains: ' K3S ' }).map((p) => p.name)).toEqual(['edge-k3s-lab']);
    expect(filterProfiles(saved, { cloudType: 'aws', nameContains: '' })).toEqual([]);
  });
});
