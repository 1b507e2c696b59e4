import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { HOST_CUSTODIANS as PROTOCOL_CUSTODIANS, labCustody, labViewSchema } from '../protocol/common';
import { clusterMachine } from './cluster.machine';
import { hostMachine } from './host.machine';
import { labMachine } from './lab.machine';
import { HOST_CUSTODIANS } from './lab.steps';
import { toProtocolLabView } from './protocol-view';
import { toClusterView, toHostView, toLabView } from './view';

describe('toProtocolLabView', () => {
  it('produces what the protocol schema accepts, with kebab-case phases and allowed commands', () => {
    const lab = createActor(labMachine, { input: { expectedHosts: 1 } }).start();
    lab.send({ type: 'PROFILE_VALID', profile: 'p' });
    const host = createActor(hostMachine, { input: undefined }).start();
    const cluster = createActor(clusterMachine, { input: { name: 'c1' } }).start();
    const view = toProtocolLabView(
      toLabView(lab.getSnapshot(), 3),
      { 'edge-host-1': toHostView(host.getSnapshot()) },
      { c1: toClusterView(cluster.getSnapshot()) },
      1_700_000_000_000,
    );
    expect(labViewSchema.parse(view)).toEqual(view);
    expect(view.phases.map((p) => [p.id, p.status])).toEqual([
      ['model-profile', 'done'], ['install-handoff', 'active'], ['registration', 'pending'], ['cluster-provisioning', 'pending'],
    ]);
    expect(view.state).toEqual({ installHandoff: 'creatingToken' });
    expect(view.hosts['edge-host-1']?.allowed).toContain('POWER_ON');
    expect(view.hosts['edge-host-1']?.data).toMatchObject({ usbInserted: false });
    expect(view.hosts['edge-host-1']?.data).toHaveProperty('hint');
    expect(view.clusters.c1?.label).toBe('Provisioning');
    expect(view.data).toMatchObject({ profile: 'p', hasToken: false, step: { path: 'installHandoff.creatingToken' } });
    lab.stop(); host.stop(); cluster.stop();
  });

  it('carries who holds the hosts and the handoffs, which a page reads with labCustody', () => {
    const lab = createActor(labMachine, { input: { expectedHosts: 1 } }).start();
    const view = () => toProtocolLabView(toLabView(lab.getSnapshot(), 1), {}, {}, 0);
    expect(labCustody(view())).toEqual({ custody: 'it-ops', handoffs: [] });
    for (const e of [{ type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' }, { type: 'HOST_INSTALLED', host: 'a' }] as const) lab.send(e);
    expect(view().allowed).toContain('HAND_OFF');
    lab.send({ type: 'HAND_OFF' });
    const after = view();
    expect(labViewSchema.parse(after)).toEqual(after);
    expect(after.allowed).not.toContain('HAND_OFF');
    expect(labCustody(after)).toEqual({ custody: 'site-technician', handoffs: [{ from: 'it-ops', to: 'site-technician', what: 'hosts' }] });
    lab.stop();
  });

  it('reads no custody from a view without one, or with a malformed one', () => {
    expect(labCustody({ data: {} })).toBeNull();
    expect(labCustody({ data: { custody: 'app-owner', handoffs: [] } })).toBeNull();
    expect(labCustody({ data: { custody: 'it-ops', handoffs: [{ from: 'it-ops', to: 'site-technician', what: 'cows' }] } })).toBeNull();
  });

  it('names the same custodians as the lab chart', () => {
    expect([...PROTOCOL_CUSTODIANS]).toEqual([...HOST_CUSTODIANS]);
  });
});
