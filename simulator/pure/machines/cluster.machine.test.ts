import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { clusterMachine, DEFAULT_PROVISIONING_TIMEOUT_MS, type ClusterEvent, type ClusterInput } from './cluster.machine';
import { clusterEventForStep, PROVISIONING_STEPS } from './provisioning';

function startCluster(input: ClusterInput = { name: 'store-42' }) {
  const clock = new SimulatedClock();
  const deletes: string[] = [];
  const actor = createActor(
    clusterMachine.provide({ actions: { requestDelete: ({ context }) => { deletes.push(context.name); } } }),
    { input, clock },
  ).start();
  const send = (...events: ClusterEvent[]) => { for (const e of events) actor.send(e); };
  return { actor, clock, deletes, send, snap: () => actor.getSnapshot() };
}

const STEPS_TO_RUNTIME: ClusterEvent[] = [
  { type: 'IMAGE_PULLED' }, { type: 'PARTITION_SWITCHED' }, { type: 'REBOOTED_INTO_PROVIDER_OS' }, { type: 'STAGES_RUN' }, { type: 'RUNTIME_STARTED' }, { type: 'LAYERS_APPLIED' },
];

describe('cluster machine', () => {
  it('provisions step by step and runs healthy once the node is ready', () => {
    const { send, snap } = startCluster();
    expect(snap().value).toEqual({ provisioning: 'pullingImage' });
    send(...STEPS_TO_RUNTIME);
    expect(snap().value).toEqual({ provisioning: 'waitingForNodes' });
    expect(snap().context.step).toBe('layers-applied');
    send({ type: 'NODE_READY', host: 'edge-1' });
    expect(snap().value).toEqual({ running: 'healthy' });
  });

  it('ignores a step reported out of order', () => {
    const { send, snap } = startCluster();
    send({ type: 'STAGES_RUN' });
    expect(snap().value).toEqual({ provisioning: 'pullingImage' });
    expect(snap().context.step).toBeNull();
  });

  it('waits for every node of a multi-node cluster, counting each host once', () => {
    const { send, snap } = startCluster({ name: 'c', nodeCount: 2 });
    send(...STEPS_TO_RUNTIME, { type: 'NODE_READY', host: 'a' }, { type: 'NODE_READY', host: 'a' });
    expect(snap().value).toEqual({ provisioning: 'waitingForNodes' });
    send({ type: 'NODE_READY', host: 'b' });
    expect(snap().value).toEqual({ running: 'healthy' });
    expect(snap().context.readyNodes).toEqual(['a', 'b']);
  });

  it('fails when provisioning takes longer than its budget (simulated clock, no sleeping)', () => {
    const { send, snap, clock } = startCluster({ name: 'c', provisioningTimeoutMs: 30_000 });
    send({ type: 'IMAGE_PULLED' });
    clock.increment(29_999);
    expect(snap().matches('provisioning')).toBe(true);
    clock.increment(1);
    expect(snap().value).toBe('failed');
    expect(snap().context.failure).toEqual({ reason: 'timeout' });
  });

  it('uses the default budget when none is given, and a step does not restart it', () => {
    const { send, snap, clock } = startCluster();
    clock.increment(DEFAULT_PROVISIONING_TIMEOUT_MS - 1);
    send({ type: 'IMAGE_PULLED' });
    clock.increment(1);
    expect(snap().value).toBe('failed');
  });

  it('does not time out once running', () => {
    const { send, snap, clock } = startCluster({ name: 'c', provisioningTimeoutMs: 1_000 });
    send(...STEPS_TO_RUNTIME, { type: 'NODE_READY', host: 'a' });
    clock.increment(10_000);
    expect(snap().value).toEqual({ running: 'healthy' });
  });

  it('fails with the reason a host reports', () => {
    const { send, snap } = startCluster();
    send({ type: 'IMAGE_PULLED' }, { type: 'PROVISIONING_FAILED', reason: 'kube-init SystemVerification' });
    expect(snap().value).toBe('failed');
    expect(snap().context.failure).toEqual({ reason: 'kube-init SystemVerification' });
  });

  it('provisions again when the failed node tries again from the start, as Palette does, and can still run', () => {
    const { send, snap } = startCluster();
    send({ type: 'PROVISIONING_FAILED', reason: 'image-checksum' });
    expect(snap().value).toBe('failed');
    send({ type: 'IMAGE_PULLED' });
    expect(snap().value).toEqual({ provisioning: 'switchingPartition' });
    expect(snap().context).toMatchObject({ failure: null, step: 'image-pulled' });
    send(...STEPS_TO_RUNTIME.slice(1), { type: 'NODE_READY', host: 'a' });
    expect(snap().value).toEqual({ running: 'healthy' });
  });

  it('is unhealthy while any node is, and healthy again when the last one recovers', () => {
    const { send, snap } = startCluster({ name: 'c', nodeCount: 2 });
    send(...STEPS_TO_RUNTIME, { type: 'NODE_READY', host: 'a' }, { type: 'NODE_READY', host: 'b' });
    send({ type: 'NODE_UNHEALTHY', host: 'a' }, { type: 'NODE_UNHEALTHY', host: 'b' }, { type: 'NODE_HEALTHY', host: 'a' });
    expect(snap().value).toEqual({ running: 'unhealthy' });
    send({ type: 'NODE_HEALTHY', host: 'b' });
    expect(snap().value).toEqual({ running: 'healthy' });
  });

  it.each([
    ['provisioning', [] as ClusterEvent[]],
    ['running', [...STEPS_TO_RUNTIME, { type: 'NODE_READY', host: 'a' } as ClusterEvent]],
    ['failed', [{ type: 'PROVISIONING_FAILED', reason: 'x' } as ClusterEvent]],
  ])('deletes from %s: requests the effect once, then ends when deleted', (_from, before) => {
    const { send, snap, deletes } = startCluster();
    send(...before);
    expect(snap().can({ type: 'DELETE' })).toBe(true);
    send({ type: 'DELETE' });
    expect(snap().value).toBe('deleting');
    expect(snap().can({ type: 'DELETE' })).toBe(false);
    send({ type: 'DELETE' }, { type: 'DELETED' });
    expect(snap().status).toBe('done');
    expect(deletes).toEqual(['store-42']);
  });
});

describe('clusterEventForStep', () => {
  it('gives every host step its cluster event, in order, and drives a cluster to Running', () => {
    const { send, snap } = startCluster();
    send(...PROVISIONING_STEPS.map((s) => clusterEventForStep(s, 'edge-1')));
    expect(snap().value).toEqual({ running: 'healthy' });
    expect(clusterEventForStep('node-ready', 'edge-1')).toEqual({ type: 'NODE_READY', host: 'edge-1' });
  });
});
