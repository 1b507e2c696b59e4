import { describe, expect, it } from 'vitest';
import type { EdgeHostRow, ProfileView } from '../../../../simulator/pure/palette/views';
import {
  buildClusterBody, emptyForm, failingSteps, fieldOf, firstFailingStep, leftoverIssues, listItemLabel, pickProfile,
  placeIssues, poolChoices, profileNames, profileValues, reviewRows, stepOfField, toggled, versionsOf, WIZARD_STEPS, type WizardForm,
} from './wizard';

const profile = (version: string): ProfileView => ({
  name: 'edge-k3s-lab', version, savedAt: 1, usedBy: [],
  profile: {
    name: 'edge-k3s-lab', version, cloudType: 'edge-native', type: 'full',
    layers: [
      { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.uri': '{{registry}}/{{repo}}', 'system.customTag': 'lab' } },
      { type: 'k8s', pack: 'edge-k3s', version: '1.32.4' },
      { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
      { type: 'manifest', name: 'hello', manifests: [] },
    ],
  },
});
const PROFILES = [profile('1.0.0'), profile('1.10.0'), profile('1.9.0')];

const host = (hostId: string, status: EdgeHostRow['status']): EdgeHostRow => ({
  hostId, status, health: 'Healthy', registration: status === 'Unpaired' ? 'added' : 'registered', method: 'auto', tags: {}, cluster: null,
  cpus: 1, memoryMb: 1, os: '', ip: '', mac: '', arch: '', project: 'Default', hostName: '', firstSeenAt: null, registeredAt: null, lastHeartbeatAt: null,
});

/** The single-node cluster of the Deployment guide, as a reader fills the wizard in. */
const singleNode = (): WizardForm => ({
  ...pickProfile({ ...emptyForm(), name: 'edge-lab-cluster' }, PROFILES, 'edge-k3s-lab', '1.0.0'),
  vip: '10.77.0.100', controlPlaneHosts: ['edge-host-1'], allowWorkerCapability: true,
});

describe('wizard steps', () => {
  it('follows the real wizard', () => {
    expect(WIZARD_STEPS.map((s) => s.title)).toEqual(['Basic information', 'Cluster profile', 'Parameters', 'Cluster configuration', 'Nodes configuration', 'Settings', 'Validate']);
  });

  it('pre-fills nothing the real wizard leaves empty', () => {
    expect(emptyForm()).toMatchObject({ name: '', vip: '', profileName: '', controlPlaneHosts: [], workerHosts: [] });
  });
});

describe('profiles', () => {
  it('lists names once and versions highest first', () => {
    expect(profileNames(PROFILES)).toEqual(['edge-k3s-lab']);
    expect(versionsOf(PROFILES, 'edge-k3s-lab')).toEqual(['1.10.0', '1.9.0', '1.0.0']);
  });

  it('takes the highest version unless one is picked, and loads its values as parameters', () => {
    expect(pickProfile(emptyForm(), PROFILES, 'edge-k3s-lab')).toMatchObject({ profileVersion: '1.10.0' });
    expect(pickProfile(emptyForm(), PROFILES, 'edge-k3s-lab', '1.0.0').parameters).toEqual({
      'edge-native-byoi.system.uri': '{{registry}}/{{repo}}', 'edge-native-byoi.system.customTag': 'lab',
    });
    expect(profileValues(undefined)).toEqual([]);
    expect(profileValues(PROFILES[0]!.profile).map((v) => v.key)).toEqual(['edge-native-byoi.system.uri', 'edge-native-byoi.system.customTag']);
  });
});

describe('the POST body', () => {
  it('holds only what the reader set for a single-node cluster', () => {
    expect(buildClusterBody(singleNode(), PROFILES[0]!.profile)).toEqual({
      name: 'edge-lab-cluster',
      profile: { id: 'edge-k3s-lab', version: '1.0.0' },
      vip: '10.77.0.100',
      controlPlanePool: { hosts: [{ hostId: 'edge-host-1' }], allowWorkerCapability: true },
    });
  });

  it('sends changed values as overrides and every optional field the reader filled in', () => {
    const form: WizardForm = {
      ...singleNode(),
      description: ' store 42 ', tags: 'env:lab, , site:42',
      parameters: { ...singleNode().parameters, 'edge-native-byoi.system.customTag': 'demo' },
      ntpServers: 'pool.ntp.org\n\n 10.0.0.1 ', sshKeys: 'ssh-ed25519 AAAA x\n',
      overlayEnabled: true, overlayCidr: '100.64.192.0/23', twoNode: true,
      controlPlaneHosts: ['edge-host-1', 'edge-host-2'], workerPoolEnabled: true, workerHosts: ['edge-host-3'],
    };
    expect(buildClusterBody(form, PROFILES[0]!.profile)).toEqual({
      name: 'edge-lab-cluster', description: 'store 42', tags: ['env:lab', 'site:42'],
      profile: { id: 'edge-k3s-lab', version: '1.0.0' },
      parameters: { 'edge-native-byoi.system.customTag': 'demo' },
      vip: '10.77.0.100', ntpServers: ['pool.ntp.org', '10.0.0.1'], sshKeys: ['ssh-ed25519 AAAA x'],
      overlay: { enabled: true, cidr: '100.64.192.0/23' }, twoNode: true,
      controlPlanePool: { hosts: [{ hostId: 'edge-host-1' }, { hostId: 'edge-host-2' }], allowWorkerCapability: true },
      workerPool: { hosts: [{ hostId: 'edge-host-3' }] },
    });
  });

  it('gives a host the static IP the reader typed, trimmed, without an empty DNS', () => {
    const form: WizardForm = {
      ...singleNode(), controlPlaneHosts: ['edge-host-1', 'edge-host-2'],
      staticIps: { 'edge-host-2': { ip: ' 10.77.0.21 ', gateway: '10.77.0.1', subnetMask: '255.255.255.0', dns: ' ' }, 'edge-host-9': { ip: '10.77.0.29', gateway: '10.77.0.1', subnetMask: '255.255.255.0', dns: '10.77.0.1' } },
    };
    const body = buildClusterBody(form, undefined);
    expect(body.controlPlanePool.hosts).toEqual([
      { hostId: 'edge-host-1' },
      { hostId: 'edge-host-2', staticIp: { ip: '10.77.0.21', gateway: '10.77.0.1', subnetMask: '255.255.255.0' } },
    ]);
    expect(reviewRows(body).find(([k]) => k === 'Control-plane pool')?.[1]).toBe('edge-host-1, edge-host-2 (static IP 10.77.0.21/255.255.255.0, gateway 10.77.0.1)');
  });

  it('leaves out a worker pool that is switched off', () => {
    const body = buildClusterBody({ ...singleNode(), workerPoolEnabled: false, workerHosts: ['edge-host-3'] }, undefined);
    expect(body.workerPool).toBeUndefined();
  });
});

describe('where issues go', () => {
  const sent = buildClusterBody({ ...singleNode(), controlPlaneHosts: ['edge-host-1', 'edge-host-2'], workerPoolEnabled: true, workerHosts: ['edge-host-3'] }, undefined);

  it('puts each path on its field', () => {
    expect(fieldOf('name', sent)).toBe('name');
    expect(fieldOf('tags[1]', sent)).toBe('tags');
    expect(fieldOf('profile.version', sent)).toBe('profile');
    expect(fieldOf('parameters.edge-native-byoi.system.uri', sent)).toBe('parameters.edge-native-byoi.system.uri');
    expect(fieldOf('ntpServers[0]', sent)).toBe('ntpServers');
    expect(fieldOf('overlay.cidr', sent)).toBe('overlay.cidr');
    expect(fieldOf('controlPlanePool.hosts[1].hostId', sent)).toBe('controlPlanePool.hosts:edge-host-2');
    expect(fieldOf('controlPlanePool.hosts[0].staticIp.gateway', sent)).toBe('controlPlanePool.hosts:edge-host-1.staticIp.gateway');
    expect(fieldOf('workerPool.hosts[0].staticIp.ip', sent)).toBe('workerPool.hosts:edge-host-3.staticIp.ip');
    expect(fieldOf('controlPlanePool.hosts[0].staticIp', sent)).toBe('controlPlanePool.hosts:edge-host-1');
    expect(fieldOf('controlPlanePool.hosts', sent)).toBe('controlPlanePool');
    expect(fieldOf('controlPlanePool.allowWorkerCapability', sent)).toBe('controlPlanePool.allowWorkerCapability');
    expect(fieldOf('workerPool.hosts[0].hostId', sent)).toBe('workerPool.hosts:edge-host-3');
    expect(fieldOf('workerPool.hosts[5].hostId', sent)).toBe('workerPool');
    expect(fieldOf('project', sent)).toBe('general');
    expect(fieldOf('', null)).toBe('general');
  });

  it('maps fields to their steps', () => {
    expect(stepOfField('tags')).toBe('basic');
    expect(stepOfField('profile')).toBe('profile');
    expect(stepOfField('parameters.edge-native-byoi.system.uri')).toBe('parameters');
    expect(stepOfField('vip')).toBe('config');
    expect(stepOfField('overlay.cidr')).toBe('config');
    expect(stepOfField('controlPlanePool.hosts:edge-host-1')).toBe('nodes');
    expect(stepOfField('twoNode')).toBe('nodes');
    expect(stepOfField('workerPool.hosts:edge-host-3.staticIp.dns')).toBe('nodes');
    expect(stepOfField('general')).toBe('review');
  });

  it('jumps to the earliest step with an error; warnings never count', () => {
    const issues = [
      { path: 'controlPlanePool.hosts[0].hostId', message: 'host edge-host-1 is In-Use', severity: 'error' as const },
      { path: 'vip', message: 'not an IPv4 address', severity: 'error' as const },
      { path: 'name', message: 'no NTP', severity: 'warning' as const },
    ];
    expect(firstFailingStep(issues, sent)).toBe('config');
    expect(Array.from(failingSteps(issues, sent)).sort()).toEqual(['config', 'nodes']);
    expect(firstFailingStep([issues[2]!], sent)).toBeNull();
    expect(firstFailingStep([{ path: 'profile.id', message: 'no such profile' }], sent)).toBe('profile');
  });

  it('groups issues by field and keeps the ones without an input for the step top', () => {
    const byField = placeIssues([
      { path: 'parameters', message: 'a' }, { path: 'parameters.x.y', message: 'b' }, { path: 'parameters.edge-native-byoi.system.uri', message: 'c' },
      { path: 'project', message: 'd' },
    ], sent);
    expect(leftoverIssues(byField, 'parameters', ['parameters.edge-native-byoi.system.uri']).map((i) => i.message)).toEqual(['a', 'b']);
    expect(leftoverIssues(byField, 'review', []).map((i) => i.message)).toEqual(['d']);
  });

  it('names the entry of a list field', () => {
    expect(listItemLabel('ntpServers[1]')).toBe('Line 2');
    expect(listItemLabel('tags[0]')).toBe('Tag 1');
    expect(listItemLabel('vip')).toBeUndefined();
  });
});

describe('pools', () => {
  const hosts = [host('a', 'Ready'), host('b', 'In-Use'), host('c', 'Unpaired'), host('d', 'Ready')];

  it('offers Ready hosts, keeps picked ones, leaves out the other pool', () => {
    expect(poolChoices(hosts, []).map((h) => h.hostId)).toEqual(['a', 'd']);
    expect(poolChoices(hosts, ['b']).map((h) => h.hostId)).toEqual(['a', 'b', 'd']);
    expect(poolChoices(hosts, [], ['a']).map((h) => h.hostId)).toEqual(['d']);
  });

  it('toggles a host in and out', () => {
    expect(toggled(['a'], 'd', true)).toEqual(['a', 'd']);
    expect(toggled(['a', 'd'], 'a', false)).toEqual(['d']);
    expect(toggled(['a'], 'a', true)).toEqual(['a']);
  });
});

describe('review', () => {
  it('lists what will be sent', () => {
    const rows = reviewRows(buildClusterBody(singleNode(), PROFILES[0]!.profile));
    expect(rows).toContainEqual(['Cluster profile', 'edge-k3s-lab 1.0.0']);
    expect(rows).toContainEqual(['Control-plane pool', 'edge-host-1']);
    expect(rows).toContainEqual(['Parameter overrides', 'none']);
    expect(rows).toContainEqual(['Worker pool', 'none']);
  });
});
