import { describe, expect, it } from 'vitest';
import { mayAct, rolesFor } from './permissions';

describe('lab roles', () => {
  it('lets solo and trainer do everything', () => {
    for (const role of ['solo', 'trainer']) {
      expect(mayAct(role, { kind: 'palette', method: 'POST', path: '/clusters' }).ok).toBe(true);
      expect(mayAct(role, { kind: 'lab', name: 'RESTART' }).ok).toBe(true);
    }
  });

  it('gives each Palette change to its lifecycle role, and reading to everyone', () => {
    expect(rolesFor({ kind: 'palette', method: 'POST', path: '/profiles' })).toEqual(['app-owner']);
    expect(rolesFor({ kind: 'palette', method: 'DELETE', path: '/tokens/t1' })).toEqual(['tenant-admin']);
    expect(rolesFor({ kind: 'palette', method: 'POST', path: '/clusters' })).toEqual(['it-ops', 'tenant-admin']);
    expect(mayAct('tenant-admin', { kind: 'palette', method: 'POST', path: '/clusters' }).ok).toBe(true);
    expect(mayAct('site-technician', { kind: 'palette', method: 'POST', path: '/clusters' })).toMatchObject({ ok: false, code: 'role-forbidden' });
    expect(rolesFor({ kind: 'palette', method: 'GET', path: '/clusters/c1' })).toBe('anyone');
    expect(mayAct('site-technician', { kind: 'palette', method: 'GET', path: '/edgehosts' }).ok).toBe(true);
  });

  it('gives site user-data sticks to the site technician and IT/Ops, and says who when refusing', () => {
    expect(rolesFor({ kind: 'build-site-stick' })).toEqual(['site-technician', 'it-ops']);
    expect(mayAct('site-technician', { kind: 'build-site-stick' }).ok).toBe(true);
    expect(mayAct('app-owner', { kind: 'build-site-stick' })).toMatchObject({ ok: false, code: 'role-forbidden', message: expect.stringMatching(/building a site user data stick/) });
    expect(rolesFor({ kind: 'lan' })).toEqual(['site-technician', 'it-ops']);
    expect(mayAct('tenant-admin', { kind: 'lan' })).toMatchObject({ ok: false, code: 'role-forbidden', message: expect.stringMatching(/^\[lab-roles\] putting machines on the site LAN or taking them off is not your step: you play .*Site technician or IT\/Ops may do it/i) });
  });

  it('refuses a change to anything that is not a known resource, for every role', () => {
    for (const path of ['/%74okens', '/v1/tokens', '/Tokens', '', '/', '/catalog', '/constructor', '/__proto__/x']) {
      expect(rolesFor({ kind: 'palette', method: 'POST', path }), path).toBe('nobody');
      for (const role of ['solo', 'trainer', 'app-owner', 'tenant-admin', 'it-ops', 'site-technician']) {
        expect(mayAct(role, { kind: 'palette', method: 'POST', path }), `${role} ${path}`).toMatchObject({ ok: false, code: 'unknown-resource', message: expect.stringMatching(/^\[lab-roles\] .*nothing there to change/) });
      }
    }
  });

  it('gives the hosts to whoever has custody of them, not to a phase', () => {
    const bench = { kind: 'host', what: 'POWER_ON', custody: 'it-ops' } as const;
    const site = { kind: 'host', what: 'POWER_ON', custody: 'site-technician' } as const;
    expect(rolesFor(bench)).toEqual(['it-ops']);
    expect(rolesFor(site)).toEqual(['site-technician']);
    expect(mayAct('it-ops', bench).ok).toBe(true);
    expect(mayAct('site-technician', site).ok).toBe(true);
    for (const role of ['solo', 'trainer']) expect(mayAct(role, bench).ok && mayAct(role, site).ok).toBe(true);
    const early = mayAct('site-technician', { kind: 'host', what: 'typing on the console', custody: 'it-ops' });
    expect(!early.ok && early.message).toBe('[lab-roles] typing on the console while the hosts are on the staging bench with IT/Ops is not your step: you play the Site technician. IT/Ops may do it; ask them, or watch their progress in the guide.');
    const late = mayAct('it-ops', site);
    expect(late).toMatchObject({ ok: false, code: 'role-forbidden', allowed: ['site-technician'] });
    expect(!late.ok && late.message).toMatch(/POWER_ON while the hosts are at the site with the site technician is not your step: you play IT\/Ops\. The Site technician may do it/);
  });

  it('lets IT/Ops hand the hosts over (and solo, trainer), and no one else', () => {
    const handOff = { kind: 'lab', name: 'HAND_OFF' } as const;
    expect(rolesFor(handOff)).toEqual(['it-ops']);
    for (const role of ['it-ops', 'solo', 'trainer']) expect(mayAct(role, handOff)).toEqual({ ok: true });
    for (const role of ['app-owner', 'site-technician', 'tenant-admin']) {
      const r = mayAct(role, handOff);
      expect(r).toMatchObject({ ok: false, code: 'role-forbidden', allowed: ['it-ops'] });
      expect(!r.ok && r.message).toMatch(/^\[lab-roles\] handing the hosts over to the site is not your step: .* IT\/Ops may do it;/);
    }
  });

  it('refuses with a message naming who may do it', () => {
    const r = mayAct('app-owner', { kind: 'palette', method: 'POST', path: '/tokens' });
    expect(r).toMatchObject({ ok: false, code: 'role-forbidden', allowed: ['tenant-admin'] });
    expect(!r.ok && r.message).toBe('[lab-roles] creating registration tokens is not your step: you play the App owner. The Tenant admin may do it; ask them, or watch their progress in the guide.');
    const e = mayAct('site-technician', { kind: 'palette', method: 'POST', path: '/edgehosts' });
    expect(!e.ok && e.message).toMatch(/The Tenant admin or IT\/Ops may do it/);
    const pushed = mayAct('app-owner', { kind: 'palette', method: 'POST', path: '/registry/edge-lab-provider/push' });
    expect(!pushed.ok && pushed.message).toMatch(/^\[lab-roles\] changing the provider images in the lab registry is not your step: .* IT\/Ops may do it;/);
    expect(mayAct('it-ops', { kind: 'palette', method: 'POST', path: '/registry/edge-lab-provider/damage' }).ok).toBe(true);
    expect(mayAct('it-ops', { kind: 'lab', name: 'RESTART' })).toMatchObject({ ok: false, allowed: [] });
    expect(mayAct('it-ops', { kind: 'lab', name: 'CHECK' }).ok).toBe(true);
  });
});
