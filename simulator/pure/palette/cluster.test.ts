import { describe, expect, it } from 'vitest';
import { clusterStatuses, healthStatuses, hostStatuses, parseCluster, validateCluster, type ClusterContext, type ClusterSpec } from './cluster';
import type { EdgeHostView } from './cluster-nodes';
import type { ClusterProfile, ProfileLayer } from './profile';
import { DEFAULT_URI_TEMPLATE } from './provider-image';

const IMAGE = (d: string, v: string) => `registry.lab/edge-lab-provider:${d}-${v}-v4.7.16-lab`;
const profileOf = (k8s: string, version: string, uri: string, extra: ProfileLayer[] = []): ClusterProfile => ({
  name: `${k8s}-profile`, version: '1.0.0', cloudType: 'edge-native', type: 'full',
  layers: [
    { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.uri': uri } },
    { type: 'k8s', pack: k8s, version },
    { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
    ...extra,
  ],
});
const K3S = profileOf('edge-k3s', '1.32.4', IMAGE('k3s', '1.32.4'));
const TEMPLATED: ClusterProfile = {
  ...K3S,
  layers: [{ type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: {
    'system.uri': DEFAULT_URI_TEMPLATE, 'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider',
    'system.k8sDistribution': 'k3s', 'system.peVersion': 'v4.7.16', 'system.customTag': 'lab',
  } }, ...K3S.layers.slice(1)],
};

const ready = (n: number): EdgeHostView => ({ id: `edge-${n}`, status: 'Ready', ip: `192.168.50.${10 + n}`, project: 'Default' });
const HOSTS: EdgeHostView[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map(ready),
  { id: 'edge-busy', status: 'In-Use', ip: '192.168.50.30', project: 'Default' },
  { id: 'edge-new', status: 'Unpaired', ip: '', project: 'Default' },
  { id: 'edge-east', status: 'Ready', ip: '192.168.60.11', project: 'Retail-East' },
];
const ctx = (over: Partial<ClusterContext> = {}): ClusterContext => ({ profile: K3S, hosts: HOSTS, project: 'Default', clusterNames: ['old-cluster'], ...over });
const cp = (...ids: (string | number)[]) => ids.map((id) => ({ hostId: typeof id === 'number' ? `edge-${id}` : id }));
const spec = (over: Partial<ClusterSpec> = {}): ClusterSpec => ({
  name: 'store-42', profile: { id: 'p-1', version: '1.0.0' }, vip: '192.168.50.100', ntpServers: ['pool.ntp.org'],
  controlPlanePool: { hosts: cp(1), allowWorkerCapability: true }, ...over,
});
const pools = (cpIds: (string | number)[], workers: (string | number)[] = [], allowWorkerCapability = true) => ({
  controlPlanePool: { hosts: cp(...cpIds), allowWorkerCapability }, workerPool: { hosts: cp(...workers) },
});
const STATIC = { ip: '192.168.50.51', gateway: '192.168.50.1', subnetMask: '255.255.255.0', dns: '192.168.50.1' };

describe('validateCluster accepts', () => {
  it.each<[string, Partial<ClusterSpec>, Partial<ClusterContext>?]>([
    ['a single-node cluster', {}],
    ['three control-plane hosts and two workers', { ...pools([1, 2, 3], [4, 5]), sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyData01234 ops'] }],
    ['five control-plane hosts', pools([1, 2, 3, 4, 5])],
    ['a two-node K3s cluster on a two-node image', { twoNode: true, ...pools([1, 2]) }],
    ['the overlay network with a VIP inside its default range', { overlay: { enabled: true }, vip: '100.64.192.10' }],
    ['a VIP anywhere when the overlay is off', { overlay: { enabled: false, cidr: 'junk' } }],
    ['a static IP per host', { controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: STATIC }], allowWorkerCapability: true } }],
    ['a parameter override that keeps the profile valid', { parameters: { 'edge-native-byoi.system.osName': 'ubuntu' } }],
  ])('%s', (_label, over, c) => {
    expect(validateCluster(spec(over), ctx(c))).toEqual([]);
  });
});

type Bad = [label: string, over: Partial<ClusterSpec>, code: string, path: string, message: RegExp, hint: RegExp, c?: Partial<ClusterContext>];
const BAD: Bad[] = [
  ['a name with capitals', { name: 'Store 42' }, 'name-invalid', 'name', /capital letters/, /`store-42`/],
  ['a name already taken', { name: 'old-cluster' }, 'name-taken', 'name', /already has a cluster named old-cluster/, /choose another name/],
  ['a profile that does not exist', {}, 'profile-unknown', 'profile.id', /no cluster profile p-1 \(version 1\.0\.0\)/, /pick an existing/, { profile: undefined }],
  ['a profile version that does not exist', { profile: { id: 'p-1', version: '2.0.0' } }, 'profile-version-unknown', 'profile.version', /has no version 2\.0\.0/, /pick version 1\.0\.0/],
  ['an add-on profile', {}, 'profile-not-full', 'profile.id', /add-on profile; a cluster needs a full profile/, /type full/, { profile: { ...K3S, type: 'add-on', layers: [] } }],
  ['a profile with errors', {}, 'profile-invalid', 'profile', /has 1 error$/, /fix the profile/, { profile: profileOf('edge-k3s', '1.32.4', 'NA') }],
  ['an override of a pack not in the profile', { parameters: { 'edge-k8s.foo': 'x' } }, 'parameter-unknown', 'parameters.edge-k8s.foo', /does not name a value of a pack in this profile/, /edge-native-byoi, edge-k3s, cni-calico/],
  ['an override key without a value key', { parameters: { 'edge-k3s': 'x' } }, 'parameter-unknown', 'parameters.edge-k3s', /does not name a value/, /<pack>\.<key>/],
  ['an override pointing at a PXK-E image', { parameters: { 'edge-native-byoi.system.uri': IMAGE('kubeadm', '1.32.4') } }, 'provider-image-distribution', 'parameters.edge-native-byoi.system.uri', /built for `kubeadm`/, /use `registry\.lab\/edge-lab-provider:k3s-1\.32\.4/],
  ['an override of a template part', { parameters: { 'edge-native-byoi.system.registry': 'ttl.sh' } }, 'provider-image-unknown', 'parameters.edge-native-byoi.system.registry', /ttl\.sh\/edge-lab-provider.*\(resolved from the template\) does not exist/, /did you mean `registry\.lab\//, { profile: TEMPLATED }],
  ['an empty control-plane pool', pools([]), 'control-plane-empty', 'controlPlanePool.hosts', /has no hosts/, /add 1, 3 or 5/],
  ['two control-plane hosts without two-node', pools([1, 2]), 'control-plane-size', 'controlPlanePool.hosts', /has 2 hosts; it must have 1, 3 or 5/, /enable two-node capability with Palette Optimized K3s or Palette Optimized Canonical/],
  ['four control-plane hosts', pools([1, 2, 3, 4]), 'control-plane-size', 'controlPlanePool.hosts', /has 4 hosts/, /use 3 or 5 hosts: an even count risks losing etcd quorum/],
  ['seven control-plane hosts', pools([1, 2, 3, 4, 5, 6, 7]), 'control-plane-size', 'controlPlanePool.hosts', /has 7 hosts/, /keep 5 .* move the others to the worker pool/],
  ['two-node with three hosts', { twoNode: true, ...pools([1, 2, 3]) }, 'two-node-size', 'controlPlanePool.hosts', /exactly 2 control-plane hosts; the pool has 3/, /move the extra hosts/],
  ['two-node on PXK-E', { twoNode: true, ...pools([1, 2]) }, 'two-node-distribution', 'twoNode', /PXK-E\) does not support two-node clusters/, /K3s or Palette Optimized Canonical/, { profile: profileOf('edge-k8s', '1.32.4', IMAGE('kubeadm', '1.32.4')) }],
  ['two-node on an image built without it', { twoNode: true, ...pools([1, 2]) }, 'two-node-image', 'twoNode', /k3s-1\.31\.8-v4\.7\.16-lab` was not built with two-node support/, /TWO_NODE=true/, { profile: profileOf('edge-k3s', '1.31.8', IMAGE('k3s', '1.31.8')) }],
  ['an unknown host', pools(['edge-99']), 'host-unknown', 'controlPlanePool.hosts[0].hostId', /no edge host with ID edge-99/, /Edge Hosts grid/],
  ['an Unpaired host', pools(['edge-new']), 'host-unpaired', 'controlPlanePool.hosts[0].hostId', /edge-new is Unpaired/, /wait until it shows Ready/],
  ['an In-Use host', pools(['edge-busy']), 'host-in-use', 'controlPlanePool.hosts[0].hostId', /already belongs to a cluster/, /pick a Ready host/],
  ['a host of another project', pools(['edge-east']), 'host-other-project', 'controlPlanePool.hosts[0].hostId', /registered in project Retail-East, not in Default/, /pick a host of project Default/],
  ['a host in both pools', pools([1], [1]), 'host-in-both-pools', 'workerPool.hosts[0].hostId', /already in the control-plane pool/, /remove it from one of the pools/],
  ['a worker listed twice', pools([1], [2, 2]), 'host-duplicate', 'workerPool.hosts[1].hostId', /in this pool twice/, /remove the second entry/],
  ['no VIP', { vip: '' }, 'vip-invalid', 'vip', /no VIP/, /free IPv4 address/],
  ['a VIP that is not an address', { vip: '192.168.50' }, 'vip-invalid', 'vip', /not an IPv4 address/, /192\.168\.50\.100/],
  ['a loopback VIP', { vip: '127.0.0.1' }, 'vip-invalid', 'vip', /loopback address and cannot be a VIP/, /free address/],
  ['a VIP equal to a node IP on three nodes', { vip: '192.168.50.12', ...pools([1, 2, 3]) }, 'vip-conflict', 'vip', /IP of host edge-2, a node of this cluster; the VIP must be an address no host uses/, /pick an unused address/],
  ['a VIP equal to the only node\'s IP', { vip: '192.168.50.11', ...pools([1]) }, 'vip-conflict', 'vip', /IP of host edge-1, a node of this cluster/, /pick an unused address/],
  ['a VIP equal to a host outside the cluster', { vip: '192.168.50.30' }, 'vip-conflict', 'vip', /IP of host edge-busy, which is not in this cluster/, /no machine on the network uses/],
  ['a VIP outside the overlay range', { overlay: { enabled: true, cidr: '10.200.0.0/24' } }, 'vip-outside-overlay', 'vip', /inside the internal CIDR `10\.200\.0\.0\/24`/, /e\.g\. `10\.200\.0\.1`/],
  ['an overlay range that is not a range', { overlay: { enabled: true, cidr: '10.200.0.0' }, vip: '10.200.0.5' }, 'overlay-cidr-invalid', 'overlay.cidr', /not an IPv4 range/, /100\.64\.192\.0\/23/],
  ['an overlay range with host bits set', { overlay: { enabled: true, cidr: '10.200.0.7/24' }, vip: '10.200.0.5' }, 'overlay-cidr-invalid', 'overlay.cidr', /not the start of its range/, /`10\.200\.0\.0\/24`/],
  ['a static IP that is not an address', { controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: { ...STATIC, ip: '192.168.50.300' } }], allowWorkerCapability: true } }, 'static-ip-invalid', 'controlPlanePool.hosts[0].staticIp.ip', /not a usable IPv4 address/, /192\.168\.50\.11/],
  ['a static IP with a broken mask', { controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: { ...STATIC, subnetMask: '255.0.255.0' } }], allowWorkerCapability: true } }, 'static-ip-invalid', 'controlPlanePool.hosts[0].staticIp.subnetMask', /not a usable subnet mask/, /255\.255\.255\.0/],
  ['a gateway outside the subnet', { controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: { ...STATIC, gateway: '192.168.51.1' } }], allowWorkerCapability: true } }, 'static-gateway-outside', 'controlPlanePool.hosts[0].staticIp.gateway', /outside the host's subnet 192\.168\.50\.0\/24/, /same subnet/],
  ['a DNS server that is a name', { controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: { ...STATIC, dns: 'dns.lab' } }], allowWorkerCapability: true } }, 'static-ip-invalid', 'controlPlanePool.hosts[0].staticIp.dns', /`dns\.lab` is not an IPv4 address/, /leave it empty/],
  ['two hosts with one static IP', { controlPlanePool: { allowWorkerCapability: true, hosts: [1, 2, 3].map((n) => ({ hostId: `edge-${n}`, staticIp: { ...STATIC, ip: `192.168.50.6${n === 3 ? 1 : n}` } })) } }, 'static-ip-duplicate', 'controlPlanePool.hosts[2].staticIp.ip', /already the static IP of host edge-1/, /its own address/],
  ['an NTP URL', { ntpServers: ['ntp://pool.ntp.org'] }, 'ntp-invalid', 'ntpServers[0]', /not an NTP server name/, /`pool\.ntp\.org`/],
  ['a private SSH key', { sshKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----'] }, 'ssh-key-invalid', 'sshKeys[0]', /private key/, /public key/],
];

describe('validateCluster refuses', () => {
  it.each(BAD)('%s', (_label, over, code, path, message, hint, c) => {
    const issues = validateCluster(spec(over), ctx(c));
    expect(issues.map((i) => [i.code, i.path])).toEqual([[code, path]]);
    expect(issues[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(message), hint: expect.stringMatching(hint) });
  });
});

describe('validateCluster warns', () => {
  it.each<[string, Partial<ClusterSpec>, [string, string][], Partial<ClusterContext>?]>([
    ['about clocks on several nodes without NTP', { ...pools([1, 2, 3]), ntpServers: [] }, [['ntp-missing', 'ntpServers']]],
    ['when no node may run workloads', pools([1], [], false), [['no-workload-nodes', 'controlPlanePool.allowWorkerCapability']]],
    ['about Local Path storage on several nodes', pools([1, 2, 3]), [['storage-single-node', 'profile']], { profile: profileOf('edge-k3s', '1.32.4', IMAGE('k3s', '1.32.4'), [{ type: 'csi', pack: 'csi-local-path', version: '0.0.31' }]) }],
  ])('%s', (_label, over, expected, c) => {
    const issues = validateCluster(spec(over), ctx(c));
    expect(issues.map((i) => [i.code, i.path])).toEqual(expected);
    expect(issues.every((i) => i.severity === 'warning' && i.hint)).toBe(true);
  });

  it('does not warn about Local Path storage on a single node', () => {
    const profile = profileOf('edge-k3s', '1.32.4', IMAGE('k3s', '1.32.4'), [{ type: 'csi', pack: 'csi-local-path', version: '0.0.31' }]);
    expect(validateCluster(spec(), ctx({ profile }))).toEqual([]);
  });
});

describe('parseCluster and statuses', () => {
  it('checks the shape, then the rules', () => {
    expect(parseCluster({ ...spec(), vip: 5 }, ctx())).toEqual({ ok: false, issues: [expect.objectContaining({ path: 'vip', code: 'invalid-field', message: 'must be text' })] });
    expect(parseCluster({ ...spec(), controlPlanePool: undefined }, ctx())).toMatchObject({ ok: false, issues: [{ path: 'controlPlanePool', message: 'is required' }] });
    expect(parseCluster(spec({ vip: 'x' }), ctx())).toMatchObject({ ok: false, issues: [{ code: 'vip-invalid' }] });
    expect(parseCluster(spec(pools([1], [], false)), ctx())).toMatchObject({ ok: true, warnings: [{ code: 'no-workload-nodes' }] });
  });

  it('names the statuses Palette shows', () => {
    expect(clusterStatuses).toEqual(['Provisioning', 'Running', 'Upgrading', 'Deleting']);
    expect(healthStatuses).toEqual(['Healthy', 'Unhealthy']);
    expect(hostStatuses).toEqual(['Ready', 'In-Use', 'Unpaired']);
  });
});
