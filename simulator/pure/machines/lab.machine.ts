/**
 * Where a lab stands in the four phases (palette-edge.md §1): one atomic state per step
 * of lab.steps.ts. The reader asks for a step to be checked (CHECK, which requests the
 * named effect `runCheck`); the simulator runs the check and answers with a result event.
 * A result advances the lab only in the step it belongs to, and only when its guard
 * holds (every expected host installed, registered; the lab's own cluster running).
 *
 * The session's role is in the context: CHECK is allowed only on the steps that role
 * owns (solo owns them all), so `snapshot.can({ type: 'CHECK' })` answers for the page.
 *
 * Custody of the hosts is in the context too: IT/Ops holds them from the start; the
 * HAND_OFF command, accepted only at `installHandoff.shippingHosts` and only for IT/Ops
 * (or solo), gives them to the site technician and appends to `handoffs`. Nothing else
 * changes custody; RESTART clears it with the rest of the context.
 */
import type { PageDrillId } from '../drills/drill-checks';
import { assign, setup } from 'xstate';
import { HANDOFF_STEP_PATH, stepAt, type HostCustodian, type HostHandoff, type LabCheck, type SessionRole } from './lab.steps';

/** The lab chart's events a page may send (as lab commands). */
export const LAB_COMMANDS = ['CHECK', 'RESTART', 'HAND_OFF'] as const;
export type LabCommandType = (typeof LAB_COMMANDS)[number];

export type LabEvent =
  | { type: 'CHECK' }
  | { type: 'RESTART' }
  | { type: 'HAND_OFF' }
  | { type: 'PROFILE_VALID'; profile: string }
  | { type: 'TOKEN_CREATED'; token: string }
  | { type: 'INSTALLER_BUILT'; installer: string }
  | { type: 'HOST_INSTALLED'; host: string }
  | { type: 'HOST_REGISTERED'; host: string }
  | { type: 'CLUSTER_CREATED'; cluster: string }
  | { type: 'CLUSTER_RUNNING'; cluster: string }
  | { type: 'CHECK_FAILED'; check: LabCheck; message: string }
  /** A Troubleshooting drill's "Check my work" answered (pure/drills/drill-checks.ts); moves no step. */
  | { type: 'DRILL_CHECKED'; drill: PageDrillId; passed: boolean; message: string };

export interface LabContext {
  role: SessionRole;
  /** How many hosts the scenario installs and registers (several allowed). */
  expectedHosts: number;
  profile: string | null;
  token: string | null;
  installer: string | null;
  installedHosts: readonly string[];
  registeredHosts: readonly string[];
  cluster: string | null;
  /** Who holds the hosts now; changed only by HAND_OFF. */
  custody: HostCustodian;
  /** Every handoff so far, oldest first. */
  handoffs: readonly HostHandoff[];
  /** The last check that did not pass, with what to do; cleared when a step is done. */
  lastFailure: { check: LabCheck; message: string } | null;
  /** Each Troubleshooting drill's last "Check my work" answer. */
  drillChecks: Readonly<Partial<Record<PageDrillId, { passed: boolean; message: string }>>>;
}

export interface LabInput {
  role?: SessionRole;
  expectedHosts?: number;
}

const initialContext = (input: LabInput | undefined): LabContext => ({
  role: input?.role ?? 'solo',
  expectedHosts: Math.max(1, input?.expectedHosts ?? 1),
  profile: null, token: null, installer: null, installedHosts: [], registeredHosts: [], cluster: null,
  custody: 'it-ops', handoffs: [], lastFailure: null, drillChecks: {},
});

const added = (list: readonly string[], item: string): string[] => (list.includes(item) ? [...list] : [...list, item]);

/** The CHECK transition of the step at `path`: guarded by its role, requesting its check. */
function checkOf(path: string) {
  const step = stepAt(path);
  if (!step) throw new Error(`[lab-machine] no step at ${path} in LAB_STEPS`);
  return { guard: { type: 'mayAct?', params: { role: step.role } }, actions: { type: 'runCheck', params: { check: step.check } } } as const;
}

/** The HAND_OFF transition of the handoff step: guarded by its role, giving the hosts to the site. */
function handOffOf(path: string) {
  const step = stepAt(path);
  if (!step) throw new Error(`[lab-machine] no step at ${path} in LAB_STEPS`);
  return { guard: { type: 'mayAct?', params: { role: step.role } }, target: '#lab.registration', actions: 'handOverHosts' } as const;
}

export const labMachine = setup({
  types: {} as { context: LabContext; events: LabEvent; input: LabInput | undefined },
  actions: {
    // Effects, bound by the simulator with .provide().
    runCheck: (_, _params: { check: LabCheck }) => {},
    resetLab: () => {},
    record: assign(({ context, event }): Partial<LabContext> => {
      switch (event.type) {
        case 'PROFILE_VALID': return { profile: event.profile, lastFailure: null };
        case 'TOKEN_CREATED': return { token: event.token, lastFailure: null };
        case 'INSTALLER_BUILT': return { installer: event.installer, lastFailure: null };
        case 'HOST_INSTALLED': return { installedHosts: added(context.installedHosts, event.host), lastFailure: null };
        case 'HOST_REGISTERED': return { registeredHosts: added(context.registeredHosts, event.host), lastFailure: null };
        case 'CLUSTER_CREATED': return { cluster: event.cluster, lastFailure: null };
        case 'CLUSTER_RUNNING': return { lastFailure: null };
        case 'CHECK_FAILED': return { lastFailure: { check: event.check, message: event.message } };
        case 'DRILL_CHECKED': return { drillChecks: { ...context.drillChecks, [event.drill]: { passed: event.passed, message: event.message } } };
        default: return {};
      }
    }),
    /** The only action that changes custody. */
    handOverHosts: assign(({ context }): Partial<LabContext> => ({
      custody: 'site-technician',
      handoffs: [...context.handoffs, { from: context.custody, to: 'site-technician', what: 'hosts' }],
      lastFailure: null,
    })),
    clear: assign(({ context }) => initialContext({ role: context.role, expectedHosts: context.expectedHosts })),
  },
  guards: {
    'mayAct?': ({ context }, params: { role: string }) => context.role === 'solo' || context.role === params.role,
    'hasProgress?': ({ context }) => context.profile !== null,
    'isNewHost?': ({ context, event }) => event.type === 'HOST_INSTALLED' && !context.installedHosts.includes(event.host),
    'completesInstall?': ({ context, event }) =>
      event.type === 'HOST_INSTALLED' && added(context.installedHosts, event.host).length >= context.expectedHosts,
    'isNewRegistration?': ({ context, event }) => event.type === 'HOST_REGISTERED' && !context.registeredHosts.includes(event.host),
    'completesRegistration?': ({ context, event }) =>
      event.type === 'HOST_REGISTERED' && added(context.registeredHosts, event.host).length >= context.expectedHosts,
    'isLabCluster?': ({ context, event }) => event.type === 'CLUSTER_RUNNING' && event.cluster === context.cluster,
  },
}).createMachine({
  id: 'lab',
  initial: 'modelProfile',
  context: ({ input }) => initialContext(input),
  on: {
    CHECK_FAILED: { actions: 'record' },
    DRILL_CHECKED: { actions: 'record' },
    RESTART: { guard: 'hasProgress?', target: '.modelProfile', actions: ['resetLab', 'clear'] },
  },
  states: {
    modelProfile: {
      on: { CHECK: checkOf('modelProfile'), PROFILE_VALID: { target: 'installHandoff', actions: 'record' } },
    },
    installHandoff: {
      initial: 'creatingToken',
      states: {
        creatingToken: {
          on: { CHECK: checkOf('installHandoff.creatingToken'), TOKEN_CREATED: { target: 'forgingInstaller', actions: 'record' } },
        },
        forgingInstaller: {
          on: { CHECK: checkOf('installHandoff.forgingInstaller'), INSTALLER_BUILT: { target: 'installingHosts', actions: 'record' } },
        },
        installingHosts: {
          on: {
            CHECK: checkOf('installHandoff.installingHosts'),
            HOST_INSTALLED: [
              { guard: 'completesInstall?', target: 'shippingHosts', actions: 'record' },
              { guard: 'isNewHost?', actions: 'record' },
            ],
          },
        },
        /** Installed, still on the staging bench: IT/Ops hands them over (HAND_OFF). A CHECK here says so. */
        shippingHosts: {
          on: { CHECK: checkOf(HANDOFF_STEP_PATH), HAND_OFF: handOffOf(HANDOFF_STEP_PATH) },
        },
      },
    },
    registration: {
      on: {
        CHECK: checkOf('registration'),
        HOST_REGISTERED: [
          { guard: 'completesRegistration?', target: 'clusterProvisioning', actions: 'record' },
          { guard: 'isNewRegistration?', actions: 'record' },
        ],
      },
    },
    clusterProvisioning: {
      initial: 'creatingCluster',
      states: {
        creatingCluster: {
          on: { CHECK: checkOf('clusterProvisioning.creatingCluster'), CLUSTER_CREATED: { target: 'waitingForRunning', actions: 'record' } },
        },
        waitingForRunning: {
          on: {
            CHECK: checkOf('clusterProvisioning.waitingForRunning'),
            CLUSTER_RUNNING: { guard: 'isLabCluster?', target: '#lab.done', actions: 'record' },
          },
        },
      },
    },
    /** Every phase done. Not a final state: the reader may still restart the lab. */
    done: { tags: ['complete'] },
  },
});

export type LabMachine = typeof labMachine;
