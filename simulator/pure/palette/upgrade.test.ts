import { describe, expect, it } from 'vitest';
import { checkUpgrade, compareVersions, upgradeOrder, upgradeTurn, type UpgradeCheckInput } from '.';

const input = (over: { cluster?: Partial<UpgradeCheckInput['cluster']>; requested?: Partial<UpgradeCheckInput['requested']>; versions?: string[] } = {}): UpgradeCheckInput => ({
  cluster: { name: 'store-42', status: 'Running', profile: { name: 'edge-k3s-lab', version: '1.0.0' }, rolling: false, ...over.cluster },
  requested: { name: 'edge-k3s-lab', version: '1.1.0', ...over.requested },
  versions: over.versions ?? ['1.0.0', '1.1.0', '0.9.0'],
});
const codes = (i: UpgradeCheckInput): string[] => checkUpgrade(i).map((x) => `${x.path} ${x.code}`);

describe('upgrade rules', () => {
  it('lets a Running cluster take a newer version of its own profile', () => {
    expect(checkUpgrade(input())).toEqual([]);
  });

  it('refuses, each with a [palette] message and a hint: a roll under way, a cluster not Running, another profile, an unknown or an older version', () => {
    expect(codes(input({ cluster: { status: 'Upgrading', rolling: true } }))).toEqual(['cluster upgrade-rolling']);
    expect(codes(input({ cluster: { status: 'Provisioning' } }))).toEqual(['cluster cluster-not-running']);
    expect(codes(input({ cluster: { status: 'Deleting' } }))).toEqual(['cluster cluster-not-running']);
    expect(codes(input({ requested: { name: 'other-profile' } }))).toEqual(['profile.id profile-other']);
    expect(codes(input({ requested: { version: '2.0.0' } }))).toEqual(['profile.version version-unknown']);
    expect(codes(input({ requested: { version: '1.0.0' } }))).toEqual(['profile.version version-not-newer']);
    expect(codes(input({ requested: { version: '0.9.0' } }))).toEqual(['profile.version version-not-newer']);
    for (const i of [input({ cluster: { rolling: true } }), input({ requested: { version: '1.0.0' } }), input({ requested: { name: 'x' } })]) {
      const [issue] = checkUpgrade(i);
      expect(issue?.message).toMatch(/^\[palette\] /);
      expect(issue?.hint).toBeTruthy();
      expect(issue?.severity).toBe('error');
    }
  });

  it('names the newer versions when the one asked for does not exist', () => {
    expect(checkUpgrade(input({ requested: { version: '3.0.0' } }))[0]?.hint).toBe('pick one of 1.1.0');
    expect(checkUpgrade(input({ requested: { version: '3.0.0' }, versions: ['1.0.0'] }))[0]?.hint).toMatch(/save a new version/);
  });

  it('orders control planes first, in pool order, then workers, and gives each its turn in that order', () => {
    const nodes = [
      { hostId: 'w1', role: 'worker' as const }, { hostId: 'cp1', role: 'control-plane' as const },
      { hostId: 'w2', role: 'worker' as const }, { hostId: 'cp2', role: 'control-plane' as const }, { hostId: 'cp3', role: 'control-plane' as const },
    ];
    const order = upgradeOrder(nodes);
    expect(order).toEqual(['cp1', 'cp2', 'cp3', 'w1', 'w2']);
    expect(upgradeTurn(order, [])).toBe('cp1');
    expect(upgradeTurn(order, ['cp1'])).toBe('cp2');
    expect(upgradeTurn(order, ['cp1', 'cp2', 'cp3'])).toBe('w1');
    expect(upgradeTurn(order, order)).toBeUndefined();
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.1')).toBeLessThan(0);
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0);
  });
});
