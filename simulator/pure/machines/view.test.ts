import { describe, expect, it } from 'vitest';
import { createActor, getNextSnapshot, type AnyMachineSnapshot } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { clusterMachine, type ClusterEvent } from './cluster.machine';
import { HOST_STATE_LABELS } from './host.labels';
import { HOST_SAMPLE_EVENTS, hostStateKey } from './host.samples';
import { hostMachine } from './host.machine';
import type { HostCommand, HostEvent } from './host.events';
import { labMachine, type LabEvent, type LabInput } from './lab.machine';
import { declaredAtomicStates } from './model-walk';
import { toClusterView, toHostView, toLabView } from './view';

const hostAfter = (...events: HostEvent[]) => {
  const actor = createActor(hostMachine, { input: {} }).start();
  for (const e of events) actor.send(e);
  return actor.getSnapshot();
};
const ON_DISK: HostEvent = { type: 'POWERED_ON', device: 'disk', cause: 'power-on' };
const isPlain = (v: unknown) => expect(JSON.parse(JSON.stringify(v))).toEqual(v);

describe('toHostView', () => {
  it('shows a powered-off host with what may be done to it', () => {
    const view = toHostView(hostAfter());
    expect(view).toMatchObject({ kind: 'host', value: 'poweredOff', states: ['poweredOff'], label: 'Powered off', hint: null, tags: ['off'] });
    expect(view.allowed).toEqual(['POWER_ON', 'INSERT_USB', 'UNPLUG_CABLE', 'FIT_SMALL_DISK', 'SET_CLOCK_BEHIND']);
    isPlain(view);
  });

  it('explains an install failure from its detail', () => {
    const view = toHostView(hostAfter(
      { type: 'INSERT_USB', image: 'i.img' }, { type: 'POWER_ON' }, { type: 'POWERED_ON', device: 'usb', cause: 'power-on' },
      { type: 'INSTALL_FAILED', reason: 'disk-too-small', detail: { need_mb: '540', have_mb: '128' } },
    ));
    expect(view.label).toBe('Installation failed');
    expect(view.hint).toBe('The disk is too small (128 MiB, at least 540 MiB needed). Give the host a larger disk and install again.');
    expect(view.allowed).toEqual(['POWER_BUTTON', 'RESET', 'POWER_OFF', 'REMOVE_USB', 'UNPLUG_CABLE']);
    expect(view.tags).toEqual(['error', 'on']);
  });

  it('names the real fixes for an unreachable endpoint, and says the lab has none of them', () => {
    const view = toHostView(hostAfter({ type: 'POWER_ON' }, ON_DISK, { type: 'ENDPOINT_UNREACHABLE', endpoint: 'api.palette.lab', retrySeconds: 4 }));
    expect(view.hint).toMatch(/cannot reach api\.palette\.lab; it tries again in 4 s\. Check stylus\.site\.paletteEndpoint/);
    expect(view.hint).toMatch(/httpsProxy, caCerts or insecureSkipVerify; the lab's network has neither/);
  });

  it('tells the learner what to do about a refusal', () => {
    const view = toHostView(hostAfter({ type: 'POWER_ON' }, ON_DISK, { type: 'REGISTRATION_REFUSED', code: 'duplicate-host-id' }));
    expect(view.label).toBe('Registration refused');
    expect(view.hint).toMatch(/Delete the old host record in Palette/);
    expect(view.context.refusal).toBe('duplicate-host-id');
  });

  it('labels a paired host by lifecycle and health', () => {
    const view = toHostView(hostAfter({ type: 'POWER_ON' }, ON_DISK, { type: 'REGISTERED', hostId: 'edge-1', project: 'Default' }, { type: 'HEARTBEAT_FAILED' }));
    expect(view.label).toBe('Registered · Unhealthy');
    expect(view.states).toEqual(['powered.paired.lifecycle.registered', 'powered.paired.health.unhealthy']);
    expect(view.context).toMatchObject({ hostId: 'edge-1', project: 'Default' });
  });

  it('has a label for every state of the chart', () => {
    expect(declaredAtomicStates(hostMachine).filter((s) => !HOST_STATE_LABELS[s])).toEqual([]);
  });

  it('lists exactly the commands the chart takes: in every reachable state, the others change nothing', () => {
    const states = createTestModel(hostMachine, { events: [...HOST_SAMPLE_EVENTS], serializeState: hostStateKey }).getShortestPaths({ allowDuplicatePaths: true }).map((p) => p.state as AnyMachineSnapshot);
    const all: HostCommand[] = [{ type: 'POWER_ON' }, { type: 'POWER_BUTTON' }, { type: 'RESET' }, { type: 'POWER_OFF' }, { type: 'INSERT_USB', image: 'x' }, { type: 'REMOVE_USB' }];
    for (const s of states) {
      const allowed = toHostView(s as never).allowed;
      for (const cmd of all.filter((c) => !allowed.includes(c.type))) {
        const next = getNextSnapshot(hostMachine, s as never, cmd);
        expect({ value: next.value, context: next.context }, `${cmd.type} in ${JSON.stringify(s.value)}`).toEqual({ value: s.value, context: s.context });
      }
    }
  });
});

describe('toClusterView', () => {
  it('shows the provisioning step, then Running · Healthy, and allows deleting', () => {
    const actor = createActor(clusterMachine, { input: { name: 'store-42' } }).start();
    actor.send({ type: 'IMAGE_PULLED' } satisfies ClusterEvent);
    expect(toClusterView(actor.getSnapshot())).toMatchObject({ label: 'Provisioning (image-pulled)', allowed: ['DELETE'], tags: ['busy'] });
    for (const type of ['PARTITION_SWITCHED', 'REBOOTED_INTO_PROVIDER_OS', 'STAGES_RUN', 'RUNTIME_STARTED', 'LAYERS_APPLIED'] as const) actor.send({ type });
    actor.send({ type: 'NODE_READY', host: 'edge-1' });
    const view = toClusterView(actor.getSnapshot());
    expect(view).toMatchObject({ label: 'Running · Healthy', context: { name: 'store-42', readyNodes: ['edge-1'] } });
    isPlain(view);
    actor.send({ type: 'DELETE' });
    expect(toClusterView(actor.getSnapshot())).toMatchObject({ label: 'Deleting', allowed: [] });
  });
});

describe('toLabView', () => {
  const labAfter = (input: LabInput, ...events: LabEvent[]) => {
    const actor = createActor(labMachine, { input }).start();
    for (const e of events) actor.send(e);
    return actor.getSnapshot();
  };

  it('shows the first phase active, its step and role, and carries the sequence number', () => {
    const view = toLabView(labAfter({}), 7);
    expect(view.seq).toBe(7);
    expect(view.phases.map((p) => p.status)).toEqual(['active', 'pending', 'pending', 'pending']);
    expect(view.step).toEqual({ path: 'modelProfile', label: 'Model an Edge Native cluster profile', role: 'app-owner', check: 'profile' });
    expect(view.label).toBe('Model Cluster Profile: Model an Edge Native cluster profile');
    expect(view.allowed).toEqual(['CHECK']);
    isPlain(view);
  });

  it('lets only the owning role check, as the chart decides', () => {
    expect(toLabView(labAfter({ role: 'it-ops' }), 0).allowed).toEqual([]);
    expect(toLabView(labAfter({ role: 'it-ops' }, { type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }), 0).allowed)
      .toEqual(['CHECK', 'RESTART']);
  });

  it('marks earlier phases done and keeps the token value out of the view', () => {
    const view = toLabView(labAfter({}, { type: 'PROFILE_VALID', profile: 'edge-k3s' }, { type: 'TOKEN_CREATED', token: 'secret-token-value' }), 3);
    expect(view.phases.map((p) => p.status)).toEqual(['done', 'active', 'pending', 'pending']);
    expect(view.step?.role).toBe('it-ops');
    expect(view.context.hasToken).toBe(true);
    expect(JSON.stringify(view)).not.toContain('secret-token-value');
  });

  it('shows every phase done at the end, with no step and only a restart', () => {
    const view = toLabView(labAfter({},
      { type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' },
      { type: 'HOST_INSTALLED', host: 'a' }, { type: 'HAND_OFF' }, { type: 'HOST_REGISTERED', host: 'edge-a' },
      { type: 'CLUSTER_CREATED', cluster: 'c' }, { type: 'CLUSTER_RUNNING', cluster: 'c' },
    ), 9);
    expect(view).toMatchObject({ value: 'done', label: 'All four phases done', step: null, allowed: ['RESTART'], tags: ['complete'] });
    expect(view.phases.every((p) => p.status === 'done')).toBe(true);
  });

  it('offers HAND_OFF at the handoff step only, and shows who holds the hosts and the handoffs', () => {
    const installed: LabEvent[] = [
      { type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' }, { type: 'HOST_INSTALLED', host: 'a' },
    ];
    const bench = toLabView(labAfter({}, ...installed), 4);
    expect(bench).toMatchObject({
      label: 'Install Handoff: Hand the installed hosts over to the site',
      step: { path: 'installHandoff.shippingHosts', role: 'it-ops', check: 'hosts-handed-off' },
      allowed: ['CHECK', 'RESTART', 'HAND_OFF'],
      context: { custody: 'it-ops', handoffs: [] },
    });
    expect(bench.phases.map((p) => p.status)).toEqual(['done', 'active', 'pending', 'pending']);
    expect(toLabView(labAfter({ role: 'site-technician' }, ...installed), 4).allowed).toEqual(['RESTART']);
    const site = toLabView(labAfter({}, ...installed, { type: 'HAND_OFF' }), 5);
    expect(site).toMatchObject({ step: { path: 'registration' }, allowed: ['CHECK', 'RESTART'] });
    expect(site.context).toMatchObject({ custody: 'site-technician', handoffs: [{ from: 'it-ops', to: 'site-technician', what: 'hosts' }] });
    expect(site.phases.map((p) => p.status)).toEqual(['done', 'done', 'active', 'pending']);
    isPlain(site);
  });
});
