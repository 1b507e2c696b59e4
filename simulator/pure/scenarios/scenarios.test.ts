import { describe, expect, it } from 'vitest';
import { validateCluster } from '../palette/cluster';
import { validateProfile } from '../palette/profile';
import { validateUserData } from '../user-data';
import { findScenario, SCENARIOS } from './index';

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (_name, s) => {
  it('models a profile the simulated Palette accepts', () => {
    expect(validateProfile(s.profile).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('writes user data that validates for every host', () => {
    for (const host of s.hosts) {
      const text = s.userData({ token: 'tok-123', endpoint: 'api.palette.lab', host });
      const result = validateUserData(text, { file: 'user-data.yaml' });
      expect(result).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('answers the cluster wizard validly once its hosts are Ready', () => {
    const ids = s.hosts.map((h) => h.name);
    const hosts = s.hosts.map((h) => ({ id: h.name, status: 'Ready' as const, ip: h.lanAddress, project: s.project }));
    const spec = s.cluster(ids);
    expect(validateCluster(spec, { profile: s.profile, hosts, project: s.project })).toEqual([]);
  });

  it('gives every host a distinct name and LAN address', () => {
    expect(new Set(s.hosts.map((h) => h.name)).size).toBe(s.hosts.length);
    expect(new Set(s.hosts.map((h) => h.lanAddress)).size).toBe(s.hosts.length);
  });

  it('verifies each host by name', () => {
    const ids = s.hosts.map((h) => h.name);
    const patterns = s.verify.expect(ids, s.cluster(ids));
    const table = ['NAME          STATUS   ROLES                  AGE   VERSION', ...ids.map((id) => `${id}   Ready    control-plane,master   1m    v1.32.4`)].join('\n');
    for (const p of patterns) expect(table).toMatch(p);
    expect(table.replace(/Ready/g, 'NotReady')).not.toMatch(patterns[0]!);
  });
});

describe('findScenario', () => {
  it('finds a scenario by name', () => {
    expect(findScenario('single-node')).toMatchObject({ ok: true, scenario: { name: 'single-node' } });
  });
  it('suggests the nearest name for a typo', () => {
    expect(findScenario('single-nod')).toEqual({ ok: false, message: expect.stringMatching(/no scenario named "single-nod"; did you mean "single-node"\?/) });
  });
});
