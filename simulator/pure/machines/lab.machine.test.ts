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

describe('lab machine', () => {
  it('walks the four phases in order, asking for the check of each step', () => {
    const { send, snap, checks } = startLab();
    send(CHECK, { type: 'PROFILE_VALID', profile: 'edge-k3s' });
    expect(snap().value).toEqual({ installHandoff: 'creatingToken' });
    send(CHECK, { type: 'TOKEN_CREATED', token: 'lab-token-1' }, CHECK, { type: 'INSTALLER_BUILT', installer: 'edge-installer.img' });
    send(CHECK, { type: 'HOST_INSTALLED', host: 'host-1' });
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
    expect(snap().value).toBe('registration');
    send({ type: 'HOST_REGISTERED', host: 'edge-b' });
    expect(snap().value).toEqual({ clusterProvisioning: 'creatingCluster' });
    expect(snap().context.installedHosts).toEqual(['a', 'b']);
  });

  it('finishes only on the lab\'s own cluster', () => {
    const { send, snap } = startLab();
    send({ type: 'PROFILE_VALID', profile: 'p' }, { type: 'TOKEN_CREATED', token: 't' }, { type: 'INSTALLER_BUILT', installer: 'i' });
    send({ type: 'HOST_INSTALLED', host: 'a' }, { type: 'HOST_REGISTERED', host: 'edge-a' }, { type: 'CLUSTER_CREATED', cluster: 'mine' });
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
