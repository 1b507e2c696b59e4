import { describe, expect, it } from 'vitest';
import type { ClusterView, ProfileView } from '../../../../simulator/pure/palette/views';
import { upgradeChoices, upgradeText } from './upgrade-view';

const profile = (name: string, version: string, repo = 'edge-lab-provider'): ProfileView => ({
  name, version, savedAt: 1, usedBy: [],
  profile: { name, version, cloudType: 'edge-native', type: 'full', layers: [{ type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.repo': repo } }] } as ProfileView['profile'],
});
const nodes: ClusterView['nodes'] = [
  { hostId: 'edge-1', nodeName: 'edge-1', role: 'control-plane', lanIp: '', step: 'node-ready', failure: null },
  { hostId: 'edge-2', nodeName: 'edge-2', role: 'worker', lanIp: '', step: 'node-ready', failure: null },
];

describe('upgrade control', () => {
  it('offers the newer versions of the cluster\'s own profile, oldest first, and marks the broken one', () => {
    const list = [profile('edge-k3s-lab', '1.10.0'), profile('edge-k3s-lab', '1.0.0'), profile('edge-k3s-lab', '0.9.0'), profile('other', '2.0.0'), profile('edge-k3s-lab', '1.2.0', 'edge-lab-provider-broken')];
    const choices = upgradeChoices({ profile: { name: 'edge-k3s-lab', version: '1.0.0' } }, list);
    expect(choices.map((c) => c.version)).toEqual(['1.2.0', '1.10.0']);
    expect(choices[0]).toMatchObject({ broken: true, label: expect.stringMatching(/broken on purpose/) });
    expect(choices[1]).toMatchObject({ broken: false, label: '1.10.0' });
  });

  it('puts the roll in words: under way, failed, done', () => {
    const base = { from: '1.0.0', to: '1.1.0', order: ['edge-1', 'edge-2'], failed: null };
    expect(upgradeText({ nodes, upgrade: null })).toBeNull();
    expect(upgradeText({ nodes, upgrade: { ...base, done: [], current: 'edge-1', state: 'rolling' } })).toBe('Upgrading 1.0.0 → 1.1.0: 0 of 2 hosts done; now edge-1 (control plane) repaves and reboots. One host at a time, control planes first.');
    expect(upgradeText({ nodes, upgrade: { ...base, done: [], current: null, state: 'failed', failed: { hostId: 'edge-1', slot: 'active', reason: 'x' } } })).toBe('Upgrade to 1.1.0 failed on edge-1: booted back into active. The roll stopped after 0 of 2 hosts.');
    expect(upgradeText({ nodes, upgrade: { ...base, done: ['edge-1', 'edge-2'], current: null, state: 'done' } })).toBe('Upgraded from 1.0.0 to 1.1.0: all 2 hosts repaved.');
  });
});
