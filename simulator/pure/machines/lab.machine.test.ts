import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { labMachine, type LabEvent, type LabInput } from './lab.machine';
import { LAB_STEPS } from './lab.steps';
import { declaredAtomicStates } from './model-walk';

function startLab(input: LabInput = {}) {
  const checks: string[] = [];
  let resets = 0;
  const actor = createActor(
    labMachine.provide({ actions: { runCheck: (_, params) => { checks.push(params.check); }, resetLab: () => { resets += 1; } } }),
    { input },
  ).start();
  const send = (...events: LabEvent[]) => { for (const e of events) actor.send(e); };
  return { actor, checks, resets: () => resets, send, snap: () => actor.getSnapshot() };
}

const CHECK: LabEvent = { type: 'CHECK' };
const HAND_OFF: LabEvent = { type: 'HAND_OFF' };
const INSTALLED: LabEvent[] = [
  { type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' }, { type: 'HOST_INSTALLED', host: 'a' },
];

describe('lab machine', () => {
  it('walks the four phases in order, asking for the check of each step', () => {
    const { send, snap, checks } = startLab();
    send(CHECK, { type: 'PROFILE_VALID', profile: 'edge-k3s' });
    expect(snap().value).toEqual({ installHandoff: 'creatingToken' });
    send(CHECK, { type: 'TOKEN_CREATED', token: 'lab-token-1' }, CHECK, { type: 'INSTALLER_BUILT', installer: 'edge-installer.img' });
    send(CHECK, { type: 'HOST_INSTALLED', host: 'host-1' });
    expect(snap().value).toEqual({ installHandoff: 'shippingHosts' });
    send(CHECK, HAND_OFF);
    expect(snap().value).toBe('registration');
    send(CHECK, { type: 'HOST_REGISTERED', host: 'edge-1' });
    expect(snap().value).toEqual({ clusterProvisioning: 'creatingCluster' });
    send(CHECK, { type: 'CLUSTER_CREATED', cluster: 'store-42' }, CHECK, { type: 'CLUSTER_RUNNING', cluster: 'store-42' });
    expect(snap().value).toBe('done');
    expect(snap().hasTag('complete')).toBe(true);
    expect(checks).toEqual(LAB_STEPS.map((s) => s.check));
  });

  it('ignores a result that belongs to another step', () => {
    const { send, snap } = startLab();
    send({ type: 'HOST_REGISTERED', host: 'edge-1' }, { type: 'INSTALLER_BUILT', installer: 'x' });
    expect(snap().value).toBe('modelProfile');
    expect(snap().context.registeredHosts).toEqual([]);
  });

  it('waits for every expected host, counting each once', () => {
    const { send, snap } = startLab({ expectedHosts: 2 });
    send({ type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' });
    send({ type: 'HOST_INSTALLED', host: 'a' }, { type: 'HOST_INSTALLED', host: 'a' });
    expect(snap().value).toEqual({ installHandoff: 'installingHosts' });
    send({ type: 'HOST_INSTALLED', host: 'b' }, { type: 'HOST_REGISTERED', host: 'edge-a' });
    expect(snap().value).toEqual({ installHandoff: 'shippingHosts' });
    send(HAND_OFF, { type: 'HOST_REGISTERED', host: 'edge-a' });
    expect(snap().value).toBe('registration');
    send({ type: 'HOST_REGISTERED', host: 'edge-b' });
    expect(snap().value).toEqual({ clusterProvisioning: 'creatingCluster' });
    expect(snap().context.installedHosts).toEqual(['a', 'b']);
  });

  it('finishes only on the lab\'s own cluster', () => {
    const { send, snap } = startLab();
    send({ type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' });
    send({ type: 'HOST_INSTALLED', host: 'a' }, HAND_OFF, { type: 'HOST_REGISTERED', host: 'edge-a' }, { type: 'CLUSTER_CREATED', cluster: 'mine' });
    send({ type: 'CLUSTER_RUNNING', cluster: 'someone-else' });
    expect(snap().value).toEqual({ clusterProvisioning: 'waitingForRunning' });
    send({ type: 'CLUSTER_RUNNING', cluster: 'mine' });
    expect(snap().value).toBe('done');
  });

  it('lets a role check only the steps it owns; solo owns them all', () => {
    const itOps = startLab({ role: 'it-ops' });
    expect(itOps.snap().can(CHECK)).toBe(false);
    itOps.send(CHECK, { type: 'PROFILE_VALID', profile: 'p' });
    expect(itOps.checks).toEqual([]);
    expect(itOps.snap().can(CHECK)).toBe(false); // creating the token is the tenant admin's
    itOps.send({ type: 'TOKEN_CREATED', token: 't' });
    expect(itOps.snap().can(CHECK)).toBe(true);
    itOps.send(CHECK);
    expect(itOps.checks).toEqual(['installer']);
    expect(startLab({ role: 'app-owner' }).snap().can(CHECK)).toBe(true);
  });

  it('starts with the hosts on the staging bench, and accepts HAND_OFF only once they are installed', () => {
    const { send, snap } = startLab({ expectedHosts: 2 });
    expect(snap().context).toMatchObject({ custody: 'it-ops', handoffs: [] });
    const early = [HAND_OFF, { type: 'PROFILE_VALID', profile: 'p' }, HAND_OFF, { type: 'TOKEN_CREATED', token: 't' }, HAND_OFF,
      { type: 'INSTALLER_BUILT', installer: 'i' }, HAND_OFF, { type: 'HOST_INSTALLED', host: 'a' }] as LabEvent[];
    for (const e of early) {
      if (e.type === 'HAND_OFF') expect(snap().can(HAND_OFF)).toBe(false);
      send(e);
    }
    expect(snap().can(HAND_OFF)).toBe(false); // one of two hosts installed
    expect(snap().context).toMatchObject({ custody: 'it-ops', handoffs: [] });
    send({ type: 'HOST_INSTALLED', host: 'b' });
    expect(snap().can(HAND_OFF)).toBe(true);
    send(HAND_OFF);
    expect(snap().value).toBe('registration');
    expect(snap().context).toMatchObject({ custody: 'site-technician', handoffs: [{ from: 'it-ops', to: 'site-technician', what: 'hosts' }] });
    // Handed over once: no step accepts it again, and nothing gives the hosts back.
    send(HAND_OFF, { type: 'HOST_REGISTERED', host: 'a' }, { type: 'HOST_REGISTERED', host: 'b' }, HAND_OFF);
    expect(snap().value).toEqual({ clusterProvisioning: 'creatingCluster' });
    expect(snap().context.handoffs).toHaveLength(1);
    expect(snap().context.custody).toBe('site-technician');
  });

  it('asks for the handoff check when CHECK is pressed at the handoff step, and a failure there is cleared by the handoff', () => {
    const { send, snap, checks } = startLab();
    send(...INSTALLED, CHECK, { type: 'CHECK_FAILED', check: 'hosts-handed-off', message: 'Hand them over.' });
    expect(checks).toEqual(['hosts-handed-off']);
    expect(snap().value).toEqual({ installHandoff: 'shippingHosts' });
    expect(snap().context.lastFailure).toEqual({ check: 'hosts-handed-off', message: 'Hand them over.' });
    send(HAND_OFF);
    expect(snap().context.lastFailure).toBeNull();
  });

  it('lets only IT/Ops (or solo) hand the hosts over', () => {
    for (const role of ['app-owner', 'tenant-admin', 'site-technician'] as const) {
      const other = startLab({ role });
      other.send(...INSTALLED, HAND_OFF);
      expect(other.snap().can(HAND_OFF)).toBe(false);
      expect(other.snap().value).toEqual({ installHandoff: 'shippingHosts' });
      expect(other.snap().context.custody).toBe('it-ops');
    }
    for (const role of ['it-ops', 'solo'] as const) {
      const ok = startLab({ role });
      ok.send(...INSTALLED, HAND_OFF);
      expect(ok.snap().context.custody).toBe('site-technician');
    }
  });

  it('gives the hosts back to the staging bench on RESTART', () => {
    const { send, snap } = startLab();
    send(...INSTALLED, HAND_OFF, { type: 'RESTART' });
    expect(snap().value).toBe('modelProfile');
    expect(snap().context).toMatchObject({ custody: 'it-ops', handoffs: [] });
  });

  it('keeps the last failed check until the step is done', () => {
    const { send, snap } = startLab();
    send(CHECK, { type: 'CHECK_FAILED', check: 'profile', message: 'The profile has no Kubernetes layer.' });
    expect(snap().context.lastFailure).toEqual({ check: 'profile', message: 'The profile has no Kubernetes layer.' });
    expect(snap().value).toBe('modelProfile');
    send({ type: 'PROFILE_VALID', profile: 'p' });
    expect(snap().context.lastFailure).toBeNull();
  });

  it('restarts from the first phase, keeping role and host count, once there is progress', () => {
    const { send, snap, resets } = startLab({ role: 'solo', expectedHosts: 3 });
    expect(snap().can({ type: 'RESTART' })).toBe(false);
    send({ type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'RESTART' });
    expect(snap().value).toBe('modelProfile');
    expect(snap().context).toMatchObject({ role: 'solo', expectedHosts: 3, profile: null, token: null });
    expect(resets()).toBe(1);
  });

  it('has exactly one LAB_STEPS row per step state', () => {
    const steps = declaredAtomicStates(labMachine).filter((p) => p !== 'done');
    expect(LAB_STEPS.map((s) => s.path).sort()).toEqual(steps);
    for (const s of LAB_STEPS) expect(s.path.split('.')[0]).toBe(s.phase);
  });
});
