import { describe, expect, it } from 'vitest';
import { parseProfile, validateProfile, type ClusterProfile, type ProfileLayer } from './profile';
import { DEFAULT_URI_TEMPLATE } from './provider-image';

const K3S_IMAGE = 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab';
const os = (values: Record<string, string> = { 'system.uri': K3S_IMAGE }): ProfileLayer => ({ type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values });
const k8s = (pack = 'edge-k3s', version = '1.32.4'): ProfileLayer => ({ type: 'k8s', pack, version });
const cni = (pack = 'cni-calico', version = '3.30.1'): ProfileLayer => ({ type: 'cni', pack, version });
const csi = (pack: string, version: string): ProfileLayer => ({ type: 'csi', pack, version });
const hello: ProfileLayer = { type: 'manifest', name: 'hello-universe', manifests: [{ name: 'hello', content: 'apiVersion: v1\nkind: Namespace' }] };

const profile = (layers: ProfileLayer[], over: Partial<ClusterProfile> = {}): ClusterProfile => ({
  name: 'edge-k3s-lab', version: '1.0.0', cloudType: 'edge-native', type: 'full', layers, ...over,
});
const TEMPLATE_VALUES = {
  'system.uri': DEFAULT_URI_TEMPLATE, 'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider',
  'system.k8sDistribution': 'k3s', 'system.peVersion': 'v4.7.16', 'system.customTag': 'lab',
};

describe('validateProfile accepts', () => {
  it.each<[string, ClusterProfile, { allowNoProviderImage?: boolean }?]>([
    ['OS, K3s, Calico and a manifest', profile([os(), k8s(), cni(), hello])],
    ['the template form of system.uri when every part resolves', profile([os(TEMPLATE_VALUES), k8s(), cni()])],
    ['optional Longhorn storage and an add-on pack', profile([os(), k8s(), cni(), csi('csi-longhorn', '1.8.1'), { type: 'addon', pack: 'spectro-proxy', version: '1.5.4' }])],
    ['PXK-E with Flannel', profile([os({ 'system.uri': 'registry.lab/edge-lab-provider:kubeadm-1.32.4-v4.7.16-lab' }), k8s('edge-k8s'), cni('cni-flannel', '0.26.4')])],
    ['Canonical with Cilium on Ubuntu', profile([os({ 'system.uri': 'registry.lab/edge-lab-provider:canonical-1.32.4-v4.7.16-lab', 'system.osName': 'ubuntu' }), k8s('edge-canonical'), cni('cni-cilium', '1.17.2')])],
    ['a custom CNI with K3s', profile([os(), k8s(), cni('cni-custom', '0.1.0')])],
    ['an add-on profile holding only add-ons', profile([hello, { type: 'addon', pack: 'hello-universe', version: '1.2.0' }], { type: 'add-on' })],
    ['system.uri NA when the caller allows it', profile([os({ 'system.uri': 'NA' }), k8s(), cni()]), { allowNoProviderImage: true }],
  ])('%s', (_label, p, opts) => {
    expect(validateProfile(p, opts)).toEqual([]);
  });

  it('warns, without an error, that Local Path Provisioner suits a single node only', () => {
    expect(validateProfile(profile([os(), k8s(), cni(), csi('csi-local-path', '0.0.31')]))).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'storage-single-node', path: 'layers[3].pack', hint: expect.stringMatching(/Longhorn or Rook Ceph/) }),
    ]);
  });
});

type Bad = [label: string, p: ClusterProfile, code: string, path: string, message: RegExp, hint: RegExp];
const base = [os(), k8s(), cni()];
const uri = (u: string, extra: Record<string, string> = {}) => [os({ 'system.uri': u, ...extra }), k8s(), cni()];

const BAD: Bad[] = [
  ['a name with capitals and a space', profile(base, { name: 'Edge K3s' }), 'name-invalid', 'name', /capital letters/, /`edge-k3s`/],
  ['an empty name', profile(base, { name: '' }), 'name-invalid', 'name', /has no name/, /give it a name/],
  ['a two-part version', profile(base, { version: '1.0' }), 'version-invalid', 'version', /major\.minor\.patch/, /`1\.0\.0`/],
  ['a version with a v', profile(base, { version: 'v2.1.0' }), 'version-invalid', 'version', /`v2\.1\.0`/, /`2\.1\.0`/],
  ['no OS layer', profile([k8s(), cni()]), 'layer-missing', 'layers', /no OS layer/, /BYOS Edge OS.*edge-native-byoi/],
  ['no Network layer', profile([os(), k8s()]), 'layer-missing', 'layers', /no Network layer/, /cni-calico/],
  ['Network before Kubernetes', profile([os(), cni(), k8s()]), 'layer-order', 'layers[2]', /Kubernetes layer comes after the Network layer/, /OS, Kubernetes, Network, Storage/],
  ['a manifest before the Network layer', profile([os(), k8s(), hello, cni()]), 'layer-order', 'layers[3]', /Network layer comes after the Manifest layer/, /then add-ons/],
  ['two Kubernetes layers', profile([os(), k8s(), k8s('edge-k8s'), cni()]), 'layer-duplicate', 'layers[2]', /already has a Kubernetes layer/, /remove one/],
  ['an add-on profile with a Kubernetes layer', profile([k8s(), hello], { type: 'add-on' }), 'layer-not-allowed', 'layers[0].type', /add-on profile cannot hold a Kubernetes layer/, /type `full`/],
  ['an empty add-on profile', profile([], { type: 'add-on' }), 'layer-missing', 'layers', /no layers/, /add at least one/],
  ['a misspelled Kubernetes pack', profile([os(), k8s('edge-k3z'), cni()]), 'pack-unknown', 'layers[1].pack', /no pack `edge-k3z`/, /did you mean `edge-k3s`\?/],
  ['a CNI pack in the Kubernetes slot', profile([os(), k8s('cni-calico', '3.30.1'), cni()]), 'pack-wrong-layer', 'layers[1].pack', /is a Network pack, not a Kubernetes pack/, /`edge-k8s`.*`edge-canonical`/],
  ['a Kubernetes version outside the catalog', profile([os(), k8s('edge-k3s', '1.29.0'), cni()]), 'version-unknown', 'layers[1].version', /no version `1\.29\.0`/, /`1\.32\.4`/],
  ['Cilium with K3s', profile([os(), k8s(), cni('cni-cilium', '1.17.2')]), 'cni-incompatible', 'layers[2].pack', /Cilium does not pair with Palette Optimized K3s/, /`cni-calico`.*Canonical for Cilium/],
  ['Flannel with Canonical', profile([os({ 'system.uri': 'registry.lab/edge-lab-provider:canonical-1.32.4-v4.7.16-lab' }), k8s('edge-canonical'), cni('cni-flannel', '0.26.4')]), 'cni-incompatible', 'layers[2].pack', /Flannel does not pair with Palette Optimized Canonical/, /`cni-calico`, `cni-cilium`/],
  ['no system.uri', profile([os({}), k8s(), cni()]), 'provider-image-missing', 'layers[0].values.system.uri', /names no provider image/, /k3s-1\.32\.4-v4\.7\.16-lab/],
  ['system.uri NA without the flag', profile(uri('NA')), 'provider-image-na', 'layers[0].values.system.uri', /`NA` is not allowed/, /set `system\.uri`/],
  ['a template whose customTag is unset', profile([os({ ...TEMPLATE_VALUES, 'system.customTag': '' }), k8s(), cni()]), 'uri-template-unresolved', 'layers[0].values.system.uri', /`system\.customTag` is not set/, /set `system\.customTag`/],
  ['a template with an unknown macro', profile(uri('{{ .spectro.cluster.name }}/x:y')), 'uri-template-unresolved', 'layers[0].values.system.uri', /not a value the profile can fill in/, /options\.system\.<key>/],
  ['an unclosed template', profile(uri('registry.lab/{{ .spectro.system.kubernetes.version')), 'uri-template-unresolved', 'layers[0].values.system.uri', /unbalanced/, /close every/],
  ['a reference without a registry or tag', profile(uri('edge-lab-provider')), 'provider-image-invalid', 'layers[0].values.system.uri', /not an image reference/, /<registry>\/<repository>:<tag>/],
  ['a misspelled image', profile(uri('registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lba')), 'provider-image-unknown', 'layers[0].values.system.uri', /does not exist in the lab registry/, /did you mean `registry\.lab\/edge-lab-provider:k3s-1\.32\.4-v4\.7\.16-lab`\?/],
  ['an image from another registry', profile(uri('ttl.sh/ubuntu:k3s-1.32.4-v4.7.16-demo')), 'provider-image-unknown', 'layers[0].values.system.uri', /`ttl\.sh\/ubuntu:k3s-1\.32\.4-v4\.7\.16-demo` does not exist/, /for Palette Optimized K3s 1\.32\.4, e\.g\. `registry\.lab\/edge-lab-provider:k3s-1\.32\.4/],
  ['a template resolving to a missing image', profile([os({ ...TEMPLATE_VALUES, 'system.registry': 'ttl.sh', 'system.repo': 'ubuntu', 'system.customTag': 'demo' }), k8s(), cni()]), 'provider-image-unknown', 'layers[0].values.system.uri', /`ttl\.sh\/ubuntu:k3s-1\.32\.4-v4\.7\.16-demo` \(resolved from the template\) does not exist/, /build and push/],
  ['a template resolving to a near miss', profile([os({ ...TEMPLATE_VALUES, 'system.peVersion': 'v4.6.0' }), k8s(), cni()]), 'provider-image-unknown', 'layers[0].values.system.uri', /k3s-1\.32\.4-v4\.6\.0-lab` \(resolved from the template\)/, /did you mean `registry\.lab\/edge-lab-provider:k3s-1\.32\.4-v4\.7\.16-lab`\?/],
  ['a K3s image under PXK-E', profile([os(), k8s('edge-k8s'), cni()]), 'provider-image-distribution', 'layers[0].values.system.uri', /built for `k3s`, but the Kubernetes layer is Palette eXtended Kubernetes - Edge \(PXK-E\)/, /use `registry\.lab\/edge-lab-provider:kubeadm-1\.32\.4-v4\.7\.16-lab`/],
  ['an image of another Kubernetes version', profile([os(), k8s('edge-k3s', '1.33.1'), cni()]), 'provider-image-k8s-version', 'layers[0].values.system.uri', /carries Kubernetes 1\.32\.4, but the Kubernetes layer is version 1\.33\.1/, /k3s-1\.33\.1-v4\.7\.16-lab`, or set the Kubernetes layer's version to 1\.32\.4/],
  ['an osName that disagrees with the image', profile(uri(K3S_IMAGE, { 'system.osName': 'opensuse-leap' })), 'provider-image-os', 'layers[0].values.system.osName', /says `opensuse-leap`, but the provider image is built on `ubuntu`/, /`system\.osName: ubuntu`/],
  ['Canonical on openSUSE', profile([os({ 'system.uri': 'registry.lab/edge-lab-provider:canonical-1.32.4-v4.7.16-lab', 'system.osName': 'opensuse-leap' }), k8s('edge-canonical'), cni()]), 'os-unsupported', 'layers[0].values.system.osName', /runs on `ubuntu` only, not on `opensuse-leap`/, /choose another Kubernetes distribution/],
  ['an empty manifest', profile([...base, { type: 'manifest', name: 'm', manifests: [{ name: 'a', content: ' ' }] }]), 'manifest-empty', 'layers[3].manifests[0].content', /manifest `a` is empty/, /paste the Kubernetes YAML/],
];

/** A placeholder with no value yet, or an image not built yet: a warning while modelling, refused for a cluster. */
const NOT_YET = new Set(['a template whose customTag is unset', 'a misspelled image', 'an image from another registry', 'a template resolving to a missing image', 'a template resolving to a near miss']);

describe('validateProfile refuses', () => {
  it.each(BAD)('%s', (label, p, code, path, message, hint) => {
    const issues = validateProfile(p, NOT_YET.has(label) ? { requireProviderImage: true } : {});
    expect(issues.map((i) => [i.code, i.path])).toEqual([[code, path]]);
    expect(issues[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
  });
});

describe('validateProfile lets a profile be modelled before its provider image exists', () => {
  it.each(BAD.filter(([label]) => NOT_YET.has(label)))('%s: a warning that names when it must resolve', (_label, p, code, path, message, hint) => {
    const issues = validateProfile(p);
    expect(issues.map((i) => [i.code, i.path, i.severity])).toEqual([[code, path, 'warning']]);
    expect(issues[0]!.message).toMatch(message);
    expect(issues[0]!.message).toMatch(/fine while modelling, but it must resolve to an image in the lab registry by the time a cluster is created from the profile$/);
    expect(issues[0]!.hint).toMatch(hint);
  });
});

describe('parseProfile', () => {
  it('returns the profile and its warnings when it is valid', () => {
    const r = parseProfile(profile([os(), k8s(), cni(), csi('csi-local-path', '0.0.31')]));
    expect(r).toMatchObject({ ok: true, value: { name: 'edge-k3s-lab' }, warnings: [{ code: 'storage-single-node' }] });
  });

  it.each<[string, unknown, string, RegExp, RegExp]>([
    ['another cloud type', { ...profile(base), cloudType: 'eks' }, 'cloudType', /must be `edge-native`/, /set `cloudType` to `edge-native`/],
    ['no layers', { ...profile(base), layers: undefined }, 'layers', /is required/, /add `layers`/],
    ['an unknown layer type', profile([{ type: 'storage' } as unknown as ProfileLayer]), 'layers[0].type', /`type` is `os`, `k8s`/, /correct `layers\[0\]\.type`/],
    ['a number as the pack', profile([{ ...k8s(), pack: 3 } as unknown as ProfileLayer]), 'layers[0].pack', /must be text/, /change `layers\[0\]\.pack` to text/],
    ['a bad type', { ...profile(base), type: 'infra' }, 'type', /must be `full` or `add-on`/, /set `type`/],
  ])('reports %s as invalid-field', (_label, raw, path, message, hint) => {
    const r = parseProfile(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([{ path, code: 'invalid-field', message: expect.stringMatching(message), hint: expect.stringMatching(hint), severity: 'error' }]);
  });

  it('runs the profile rules after the shape check', () => {
    const r = parseProfile(profile([k8s(), cni()]));
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(['layer-missing']);
  });
});

describe('profile tags and scope', () => {
  it('accepts tags and either scope, and names a bad tag at its index', () => {
    expect(validateProfile(profile([os(), k8s(), cni()], { tags: ['env:lab'], scope: 'tenant' }))).toEqual([]);
    expect(validateProfile(profile([os(), k8s(), cni()], { tags: ['env:lab', 'two words'] })).map((i) => [i.path, i.code])).toEqual([['tags[1]', 'tag-invalid']]);
    expect(parseProfile({ ...profile([os(), k8s(), cni()]), scope: 'everyone' })).toMatchObject({ ok: false, issues: [{ path: 'scope' }] });
  });
});
