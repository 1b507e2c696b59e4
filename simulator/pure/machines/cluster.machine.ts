/**
 * An Edge Native cluster as Palette shows it: Provisioning → Running (Healthy or
 * Unhealthy) ⇄ Upgrading (a newer profile version rolled over the hosts) → Deleting → deleted, or Failed when provisioning errs or takes too long
 * (palette-edge.md §1 D, §6 "Statuses"). Provisioning advances one step per event, in
 * the order the hosts report them (provisioning.ts); a step out of order is ignored.
 * The cluster is Running once every node reports ready.
 *
 * The timeout is an `after` on the whole provisioning state (entered once, so the steps
 * do not restart it); its length comes from the input, so the simulator can give a fast
 * lab a short budget and a test a SimulatedClock. Deleting the cluster is an effect
 * named here (`requestDelete`) and bound by the simulator with `.provide()`.
 */
import { assign, setup } from 'xstate';
import type { ProvisioningStep } from './provisioning';

export const CLUSTER_COMMANDS = ['DELETE'] as const;
export type ClusterCommandType = (typeof CLUSTER_COMMANDS)[number];

/** The real product's tutorial allows up to about 20 minutes. */
export const DEFAULT_PROVISIONING_TIMEOUT_MS = 20 * 60_000;

export type ClusterEvent =
  | { type: 'IMAGE_PULLED' }
  | { type: 'PARTITION_SWITCHED' }
  | { type: 'REBOOTED_INTO_PROVIDER_OS' }
  | { type: 'STAGES_RUN' }
  | { type: 'RUNTIME_STARTED' }
  | { type: 'LAYERS_APPLIED' }
  | { type: 'NODE_READY'; host: string }
  | { type: 'PROVISIONING_FAILED'; reason: string }
  | { type: 'NODE_UNHEALTHY'; host: string }
  | { type: 'NODE_HEALTHY'; host: string }
  /** Day-2: Palette started rolling a newer profile version over the hosts (pure/palette/upgrade.ts). */
  | { type: 'UPGRADE_STARTED'; version: string }
  /** A host came up on the new image with its node Ready. */
  | { type: 'NODE_UPGRADED'; host: string }
  | { type: 'UPGRADE_COMPLETED' }
  /** A host booted back into its previous partition; the roll stopped. */
  | { type: 'UPGRADE_FAILED'; host: string; slot: string }
  | { type: 'DELETE' }
  /** Palette started deleting the cluster (asked through its API rather than this chart's DELETE). */
  | { type: 'DELETING' }
  | { type: 'DELETED' };

export interface ClusterContext {
  name: string;
  /** Nodes in the control-plane and worker pools together. */
  nodeCount: number;
  provisioningTimeoutMs: number;
  /** The last provisioning step reached (null before the first). */
  step: ProvisioningStep | null;
  readyNodes: readonly string[];
  unhealthyNodes: readonly string[];
  failure: { reason: string } | null;
  /** The latest upgrade: its target, the hosts done, and where it failed (null before the first). */
  upgrade: { version: string; upgraded: readonly string[]; failedOn: { host: string; slot: string } | null } | null;
}

export interface ClusterInput {
  name: string;
  nodeCount?: number;
  provisioningTimeoutMs?: number;
}

const without = (list: readonly string[], item: string): string[] => list.filter((x) => x !== item);
const withItem = (list: readonly string[], item: string): string[] => (list.includes(item) ? [...list] : [...list, item]);

export const clusterMachine = setup({
  types: {} as { context: ClusterContext; events: ClusterEvent; input: ClusterInput },
  actions: {
    requestDelete: () => {},
    setStep: assign((_, params: { step: ProvisioningStep }) => ({ step: params.step })),
    markReady: assign(({ context, event }) =>
      event.type === 'NODE_READY' ? { readyNodes: withItem(context.readyNodes, event.host), step: 'node-ready' as const } : {}),
    markUnhealthy: assign(({ context, event }) =>
      event.type === 'NODE_UNHEALTHY' ? { unhealthyNodes: withItem(context.unhealthyNodes, event.host) } : {}),
    markHealthy: assign(({ context, event }) =>
      event.type === 'NODE_HEALTHY' ? { unhealthyNodes: without(context.unhealthyNodes, event.host) } : {}),
    startUpgrade: assign(({ event }) => (event.type === 'UPGRADE_STARTED' ? { upgrade: { version: event.version, upgraded: [], failedOn: null } } : {})),
    markUpgraded: assign(({ context, event }) =>
      event.type === 'NODE_UPGRADED' && context.upgrade ? { upgrade: { ...context.upgrade, upgraded: withItem(context.upgrade.upgraded, event.host) } } : {}),
    failUpgrade: assign(({ context, event }) =>
      event.type === 'UPGRADE_FAILED' && context.upgrade ? { upgrade: { ...context.upgrade, failedOn: { host: event.host, slot: event.slot } } } : {}),
    fail: assign(({ event }) => ({ failure: { reason: event.type === 'PROVISIONING_FAILED' ? event.reason : 'timeout' } })),
    /** A failed node tried again from the start (Palette keeps the cluster Provisioning, and so does the chart). */
    retry: assign({ failure: null, step: 'image-pulled' as const }),
  },
  guards: {
    'completesNodes?': ({ context, event }) =>
      event.type === 'NODE_READY' && withItem(context.readyNodes, event.host).length >= context.nodeCount,
    'lastUnhealthyRecovers?': ({ context, event }) =>
      event.type === 'NODE_HEALTHY' && without(context.unhealthyNodes, event.host).length === 0,
    'anyUnhealthy?': ({ context }) => context.unhealthyNodes.length > 0,
  },
  delays: {
    provisioningTimeout: ({ context }) => context.provisioningTimeoutMs,
  },
}).createMachine({
  id: 'cluster',
  initial: 'provisioning',
  context: ({ input }) => ({
    name: input.name,
    nodeCount: Math.max(1, input.nodeCount ?? 1),
    provisioningTimeoutMs: input.provisioningTimeoutMs ?? DEFAULT_PROVISIONING_TIMEOUT_MS,
    step: null,
    readyNodes: [],
    unhealthyNodes: [],
    failure: null,
    upgrade: null,
  }),
  states: {
    provisioning: {
      tags: ['busy'],
      initial: 'pullingImage',
      after: { provisioningTimeout: { target: 'failed', actions: 'fail' } },
      on: {
        PROVISIONING_FAILED: { target: 'failed', actions: 'fail' },
        DELETE: { target: 'deleting', actions: 'requestDelete' },
        DELETING: 'deleting',
      },
      states: {
        pullingImage: { on: { IMAGE_PULLED: { target: 'switchingPartition', actions: { type: 'setStep', params: { step: 'image-pulled' } } } } },
        switchingPartition: { on: { PARTITION_SWITCHED: { target: 'rebooting', actions: { type: 'setStep', params: { step: 'partition-switched' } } } } },
        rebooting: { on: { REBOOTED_INTO_PROVIDER_OS: { target: 'runningStages', actions: { type: 'setStep', params: { step: 'rebooted-into-provider-os' } } } } },
        runningStages: { on: { STAGES_RUN: { target: 'startingRuntime', actions: { type: 'setStep', params: { step: 'stages-run' } } } } },
        startingRuntime: { on: { RUNTIME_STARTED: { target: 'applyingLayers', actions: { type: 'setStep', params: { step: 'runtime-started' } } } } },
        /** The network plugin, then the add-ons, after Kubernetes and before a node is Ready. */
        applyingLayers: { on: { LAYERS_APPLIED: { target: 'waitingForNodes', actions: { type: 'setStep', params: { step: 'layers-applied' } } } } },
        /** A node is ready only after its runtime started, so readiness counts from here. */
        waitingForNodes: {
          on: { NODE_READY: [{ guard: 'completesNodes?', target: '#cluster.running', actions: 'markReady' }, { actions: 'markReady' }] },
        },
      },
    },
    running: {
      initial: 'healthy',
      on: {
        DELETE: { target: 'deleting', actions: 'requestDelete' }, DELETING: 'deleting',
        UPGRADE_STARTED: { target: 'upgrading', actions: 'startUpgrade' },
      },
      states: {
        healthy: { on: { NODE_UNHEALTHY: { target: 'unhealthy', actions: 'markUnhealthy' } } },
        unhealthy: {
          tags: ['error'],
          on: {
            NODE_UNHEALTHY: { actions: 'markUnhealthy' },
            NODE_HEALTHY: [{ guard: 'lastUnhealthyRecovers?', target: 'healthy', actions: 'markHealthy' }, { actions: 'markHealthy' }],
          },
        },
      },
    },
    /**
     * Hosts repaved one at a time (control planes first). Health is still followed; the roll ends
     * Running, healthy or not as the nodes are, after the last host or the first that fell back.
     */
    upgrading: {
      tags: ['busy'],
      on: {
        NODE_UPGRADED: { actions: 'markUpgraded' },
        NODE_UNHEALTHY: { actions: 'markUnhealthy' },
        NODE_HEALTHY: { actions: 'markHealthy' },
        UPGRADE_COMPLETED: [{ guard: 'anyUnhealthy?', target: '#cluster.running.unhealthy' }, { target: '#cluster.running' }],
        UPGRADE_FAILED: [
          { guard: 'anyUnhealthy?', target: '#cluster.running.unhealthy', actions: 'failUpgrade' },
          { target: '#cluster.running', actions: 'failUpgrade' },
        ],
        DELETE: { target: 'deleting', actions: 'requestDelete' },
        DELETING: 'deleting',
      },
    },
    failed: {
      tags: ['error'],
      on: {
        // The agent retries a failed provisioning from its first step (stylus-agent, 30 s after the
        // failure); once it gets past it again, so does the cluster (pure/palette/cluster-progress.ts).
        IMAGE_PULLED: { target: 'provisioning.switchingPartition', actions: 'retry' },
        DELETE: { target: 'deleting', actions: 'requestDelete' },
        DELETING: 'deleting',
      },
    },
    /** Palette says deletion takes up to about 10 minutes (its hosts reset); the simulator reports DELETED. */
    deleting: { tags: ['busy'], on: { DELETED: 'deleted' } },
    deleted: { type: 'final' },
  },
});

export type ClusterMachine = typeof clusterMachine;
