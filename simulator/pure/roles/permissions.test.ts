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
    expect(rolesFor({ kind: 'palette', method: 'POST', path: '/clusters' })).toEqual(['it-ops']);
    expect(rolesFor({ kind: 'palette', method: 'GET', path: '/clusters/c1' })).toBe('anyone');
    expect(mayAct('site-technician', { kind: 'palette', method: 'GET', path: '/edgehosts' }).ok).toBe(true);
  });

  it('hands the hosts from IT/Ops on the staging bench to the site technician after Install Handoff', () => {
    const staging = { kind: 'host', what: 'POWER_ON', phase: 'installHandoff' } as const;
    const site = { kind: 'host', what: 'POWER_ON', phase: 'registration' } as const;
    expect(mayAct('it-ops', staging).ok).toBe(true);
    expect(mayAct('site-technician', staging).ok).toBe(false);
    expect(mayAct('site-technician', site).ok).toBe(true);
    expect(mayAct('it-ops', site).ok).toBe(false);
  });

  it('refuses with a message naming who may do it', () => {
    const r = mayAct('app-owner', { kind: 'palette', method: 'POST', path: '/tokens' });
    expect(r).toMatchObject({ ok: false, code: 'role-forbidden', allowed: ['tenant-admin'] });
    expect(!r.ok && r.message).toBe('[lab-roles] creating registration tokens is not your step: you play the App owner. The Tenant admin may do it; ask them, or watch their progress in the guide.');
    const e = mayAct('site-technician', { kind: 'palette', method: 'POST', path: '/edgehosts' });
    expect(!e.ok && e.message).toMatch(/The Tenant admin or IT\/Ops may do it/);
    expect(mayAct('it-ops', { kind: 'lab', name: 'RESTART' })).toMatchObject({ ok: false, allowed: [] });
    expect(mayAct('it-ops', { kind: 'lab', name: 'CHECK' }).ok).toBe(true);
  });
});
