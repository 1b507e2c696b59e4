import { describe, expect, it } from 'vitest';
import { K8S_PACKS } from './catalog';
import { checkProviderImage, DEFAULT_URI_TEMPLATE, resolveSystemUri } from './provider-image';

const VALUES = { 'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider', 'system.k8sDistribution': 'k3s', 'system.peVersion': 'v4.7.16', 'system.customTag': 'lab' };
const k3s = K8S_PACKS.find((p) => p.name === 'edge-k3s')!;

describe('resolveSystemUri', () => {
  it('fills the BYOS default template from the OS values and the Kubernetes version', () => {
    expect(DEFAULT_URI_TEMPLATE).toContain('{{ .spectro.pack.edge-native-byoi.options.system.registry }}/');
    expect(resolveSystemUri(DEFAULT_URI_TEMPLATE, VALUES, '1.32.4')).toEqual({ ok: true, uri: 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab' });
  });

  it('accepts placeholders written without spaces and leaves plain text alone', () => {
    expect(resolveSystemUri('{{.spectro.pack.edge-native-byoi.options.system.registry}}/x:{{.spectro.system.kubernetes.version}}', VALUES, '1.33.1'))
      .toEqual({ ok: true, uri: 'registry.lab/x:1.33.1' });
    expect(resolveSystemUri('registry.lab/a:b', {}, undefined)).toEqual({ ok: true, uri: 'registry.lab/a:b' });
  });

  it.each<[string, string, Record<string, string>, string | undefined, RegExp, RegExp]>([
    ['the Kubernetes version without a Kubernetes layer', DEFAULT_URI_TEMPLATE, VALUES, undefined, /no Kubernetes layer/, /add a Kubernetes layer/],
    ['an unset option', DEFAULT_URI_TEMPLATE, { ...VALUES, 'system.repo': '' }, '1.32.4', /`system\.repo` is not set/, /set `system\.repo`/],
    ['an option that is itself a template', DEFAULT_URI_TEMPLATE, { ...VALUES, 'system.repo': '{{ x }}' }, '1.32.4', /`system\.repo` is not set/, /OS layer's values/],
    ['system.uri referring to itself', '{{ .spectro.pack.edge-native-byoi.options.system.uri }}', VALUES, '1.32.4', /not a value the profile can fill in/, /write the image reference itself/],
    ['another pack\'s option', '{{ .spectro.pack.edge-k3s.options.foo }}', VALUES, '1.32.4', /not a value the profile can fill in/, /system\.<key>/],
  ])('refuses %s', (_label, uri, values, version, message, hint) => {
    const r = resolveSystemUri(uri, values, version);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
  });
});

describe('checkProviderImage', () => {
  it('returns the matching image', () => {
    const r = checkProviderImage('layers[0]', { 'system.uri': DEFAULT_URI_TEMPLATE, ...VALUES }, { pack: k3s, version: '1.32.4' });
    expect(r).toEqual({ issues: [], image: expect.objectContaining({ k8sDistribution: 'k3s', k8sVersion: '1.32.4' }) });
  });

  it('finds the image but skips matching when the Kubernetes layer is unknown', () => {
    const r = checkProviderImage('layers[0]', { 'system.uri': 'registry.lab/edge-lab-provider:rke2-1.32.4-v4.7.16-lab' }, { pack: k3s, version: '1.0.0' });
    expect(r.issues).toEqual([]);
    expect(r.image?.k8sDistribution).toBe('rke2');
  });

  it('trims the reference and ignores the `NA` only when allowed', () => {
    expect(checkProviderImage('layers[0]', { 'system.uri': ' NA ' }, {}, { allowNoProviderImage: true })).toEqual({ issues: [] });
    expect(checkProviderImage('layers[0]', { 'system.uri': 'NA' }, {}).issues.map((i) => i.code)).toEqual(['provider-image-na']);
  });
});
