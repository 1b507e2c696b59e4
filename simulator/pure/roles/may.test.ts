import { describe, expect, it } from 'vitest';
import type { LabView, MachineView } from '../protocol/common';
import { labViewSchema } from '../protocol/common';
import { viewForRole } from './may';

const host = (allowed: string[]): MachineView => ({ state: 'poweredOff', label: 'Powered off', tags: [], allowed, may: allowed, data: {} });

/** As the lab server builds it: `may` is what a solo reader may do. */
const built = (custody: 'it-ops' | 'site-technician', labAllowed: string[]): LabView => ({
  state: 'installHandoff', label: '', tags: [], allowed: labAllowed, may: labAllowed, at: 0, phases: [],
  data: { step: { path: 'installHandoff.shippingHosts', label: 'Ship the hosts', role: 'it-ops' }, custody, handoffs: [] },
  hosts: { 'edge-host-1': host(['POWER_ON', 'INSERT_USB']) },
  clusters: {},
});

describe('a lab view as one session sees it', () => {
  it('leaves a solo reader and the trainer everything the charts accept', () => {
    const v = built('it-ops', ['CHECK', 'RESTART', 'HAND_OFF']);
    expect(viewForRole(v, 'solo')).toEqual(v);
    expect(viewForRole(v, 'trainer')).toEqual(v);
  });

  it('gives the hosts\' buttons only to the role that has custody of them', () => {
    const staging = built('it-ops', ['CHECK', 'HAND_OFF']);
    expect(viewForRole(staging, 'it-ops').hosts['edge-host-1']!.may).toEqual(['POWER_ON', 'INSERT_USB']);
    expect(viewForRole(staging, 'site-technician').hosts['edge-host-1']!.may).toEqual([]);
    const site = built('site-technician', ['CHECK']);
    expect(viewForRole(site, 'site-technician').hosts['edge-host-1']!.may).toEqual(['POWER_ON', 'INSERT_USB']);
    expect(viewForRole(site, 'it-ops').hosts['edge-host-1']!.may).toEqual([]);
  });

  it('lets everyone check, IT/Ops hand over, and nobody but the trainer restart the lab', () => {
    const v = built('it-ops', ['CHECK', 'RESTART', 'HAND_OFF']);
    expect(viewForRole(v, 'it-ops').may).toEqual(['CHECK', 'HAND_OFF']);
    expect(viewForRole(v, 'app-owner').may).toEqual(['CHECK']);
    expect(viewForRole(v, 'tenant-admin').allowed).toEqual(['CHECK', 'RESTART', 'HAND_OFF']);
  });

  it('keeps the view valid for the protocol', () => {
    expect(labViewSchema.safeParse(viewForRole(built('it-ops', ['CHECK']), 'app-owner')).success).toBe(true);
  });
});
