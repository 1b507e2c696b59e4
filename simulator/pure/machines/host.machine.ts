/**
 * One edge host, from the bench to a cluster: install from the USB stick, boot into
 * registration mode, register with Palette, get assigned, provision, run. Every error
 * state the product (and the lab's guest) can show is a state here.
 *
 * Pure: the chart never performs I/O. The user commands request effects that are
 * only *named* here (`powerOn`, `pressPowerButton`, `reset`, `powerOff`, `insertUsb`,
 * `removeUsb`, `resumeVm`, `unplugCable`, `plugCable`); the simulator binds them with `hostMachine.provide({ actions })`. What
 * the host then does comes back as events: power changes and console events (see
 * host.events.ts), and Palette's view of the host.
 *
 * Booting is routed by the power change, which carries the device the firmware chose:
 * a bootable stick wins over the disk, so a host that restarts with the installer stick
 * still in installs again (palette-edge.md §1 B, §7).
 */
import { assign, setup } from 'xstate';
import { initialHostContext, recordFact, type HostContext, type HostInput } from './host.context';
import type { HostEvent } from './host.events';

export const hostMachine = setup({
  types: {} as { context: HostContext; events: HostEvent; input: HostInput | undefined },
  actions: {
    // Effects, bound by the simulator (and by tests) with .provide(). Deliberately empty here.
    powerOn: () => {},
    pressPowerButton: () => {},
    reset: () => {},
    powerOff: () => {},
    insertUsb: (_, _params: { image: string }) => {},
    removeUsb: () => {},
    resumeVm: () => {},
    unplugCable: () => {},
    plugCable: () => {},
    fitSmallDisk: () => {},
    fitLargeDisk: () => {},
    setClockBehind: () => {},
    setClockRight: () => {},
    record: assign(({ context, event }) => recordFact(context, event)),
  },
  guards: {
    'bootsFromUsb?': ({ event }) => event.type === 'POWERED_ON' && event.device === 'usb',
    'isRestore?': ({ event }) => event.type === 'POWERED_ON' && event.cause === 'restore',
    'isAssigned?': ({ context }) => context.cluster !== null,
    'usbOut?': ({ context }) => !context.usbInserted,
    'usbIn?': ({ context }) => context.usbInserted,
    // `?? false`: a chart restored from before the cable existed has it plugged in.
    'cableIn?': ({ context }) => !(context.cableUnplugged ?? false),
    'cableOut?': ({ context }) => context.cableUnplugged ?? false,
    'largeDiskIn?': ({ context }) => !(context.smallDisk ?? false),
    'smallDiskIn?': ({ context }) => context.smallDisk ?? false,
    'clockRight?': ({ context }) => !(context.clockBehind ?? false),
    'clockBehind?': ({ context }) => context.clockBehind ?? false,
    'ioPaused?': ({ context }) => context.ioPause !== null,
    'isPowerOnFailure?': ({ event }) => event.type === 'COMMAND_FAILED' && event.command === 'POWER_ON',
    'isNodeReady?': ({ event }) => event.type === 'PROVISIONING_STEP' && event.step === 'node-ready',
    /** Provisioning reached node-ready before (a later boot of a cluster's node). */
    'wasProvisioned?': ({ context }) => context.provisioningStep === 'node-ready',
  },
}).createMachine({
  id: 'host',
  initial: 'poweredOff',
  context: ({ input }) => initialHostContext(input),
  on: {
    // A checkpoint restore resumes the VM where the chart (restored with it) already is.
    POWERED_ON: [
      { guard: 'isRestore?' },
      { guard: 'bootsFromUsb?', target: '#host.powered.installerBooted', actions: 'record' },
      { target: '#host.powered.registrationMode', actions: 'record' },
    ],
    INSERT_USB: {
      guard: 'usbOut?',
      actions: [{ type: 'insertUsb', params: ({ event }) => ({ image: event.image }) }, 'record'],
    },
    REMOVE_USB: { guard: 'usbIn?', actions: ['removeUsb', 'record'] },
    UNPLUG_CABLE: { guard: 'cableIn?', actions: ['unplugCable', 'record'] },
    PLUG_CABLE: { guard: 'cableOut?', actions: ['plugCable', 'record'] },
    COMMAND_FAILED: { actions: 'record' },
    // Palette may assign the host before its agent has said "registered" on the console (both
    // come from real, unsynchronised sources); the fact is kept, and REGISTERED then goes
    // straight to `assigned`. While paired, the lifecycle's own transitions take these first.
    ASSIGNED: { actions: 'record' },
    UNASSIGNED: { actions: 'record' },
    // Who holds the VIP is a fact beside the lifecycle: it moves between running nodes.
    VIP_CHANGED: { actions: 'record' },
    // So is the etcd leader its member sees (the cluster picture marks it).
    ETCD_LEADER_CHANGED: { actions: 'record' },
    // And so is the clock: what its NTP client and its etcd member say of it.
    CLOCK_SYNCED: { actions: 'record' },
    CLOCK_UNSYNCED: { actions: 'record' },
    CLOCK_DRIFT: { actions: 'record' },
  },
  states: {
    poweredOff: {
      tags: ['off'],
      on: {
        POWER_ON: { target: 'poweringOn', actions: ['record', 'powerOn'] },
        // Disks are swapped with the power off, as in a real box.
        FIT_SMALL_DISK: { guard: 'largeDiskIn?', actions: ['fitSmallDisk', 'record'] },
        FIT_LARGE_DISK: { guard: 'smallDiskIn?', actions: ['fitLargeDisk', 'record'] },
        // So is the hardware clock set: the kernel reads it once, at boot.
        SET_CLOCK_BEHIND: { guard: 'clockRight?', actions: ['setClockBehind', 'record'] },
        SET_CLOCK_RIGHT: { guard: 'clockBehind?', actions: ['setClockRight', 'record'] },
      },
    },
    /**
     * Asked to power on, not yet on. Power can still be lost here (the lab server
     * restarting appends a power-off for every host its charts hold on) and a person
     * can still cut it: both lead back to `poweredOff`, so no state is a dead end.
     */
    poweringOn: {
      tags: ['busy'],
      on: {
        COMMAND_FAILED: [{ guard: 'isPowerOnFailure?', target: 'poweredOff', actions: 'record' }, { actions: 'record' }],
        POWERED_OFF: { target: 'poweredOff', actions: 'record' },
        POWER_OFF: { actions: 'powerOff' },
      },
    },
    powered: {
      tags: ['on'],
      initial: 'registrationMode',
      on: {
        POWER_BUTTON: { actions: 'pressPowerButton' },
        RESET: { actions: ['reset', 'record'] },
        POWER_OFF: { actions: 'powerOff' },
        POWERED_OFF: { target: 'poweredOff', actions: 'record' },
        OS_SHUTDOWN: '.shuttingDown',
        NO_BOOTABLE_DEVICE: { target: '.noBootableDevice', actions: 'record' },
        // A pause on a full disk is recorded beside the state (host.context.ts `ioPause`).
        IO_PAUSED: { actions: 'record' },
        IO_RESUMED: { actions: 'record' },
        RESUME: { guard: 'ioPaused?', actions: 'resumeVm' },
      },
      states: {
        installerBooted: {
          tags: ['busy'],
          on: {
            INSTALL_STARTED: 'installing',
            INSTALL_FAILED: { target: 'installFailed', actions: 'record' },
          },
        },
        installing: {
          tags: ['busy'],
          on: {
            INSTALL_STEP: { actions: 'record' },
            INSTALL_FAILED: { target: 'installFailed', actions: 'record' },
            INSTALL_COMPLETE: { target: 'installed', actions: 'record' },
          },
        },
        /** The "Installation Complete" screen (install.poweroff/reboot false, the default). */
        installed: {},
        installFailed: { tags: ['error'] },
        noBootableDevice: { tags: ['error'] },
        shuttingDown: { tags: ['busy'] },
        registrationMode: {
          initial: 'booting',
          on: {
            OS_BOOTED: { actions: 'record' },
            AGENT_READY: { target: '.agentReady', actions: 'record' },
            AGENT_REGISTERING: { actions: 'record' },
            AWAITING_APPROVAL: { target: '.awaitingApproval', actions: 'record' },
            ENDPOINT_UNREACHABLE: { target: '.endpointUnreachable', actions: 'record' },
            REGISTRATION_REFUSED: { target: '.registrationRefused', actions: 'record' },
            NO_ENDPOINT: '.noEndpoint',
            // After a reboot the agent registers again and gets the same answer (palette-api.md).
            REGISTERED: [
              { guard: 'isAssigned?', target: '#host.powered.paired.lifecycle.assigned', actions: 'record' },
              { target: 'paired', actions: 'record' },
            ],
          },
          states: {
            booting: { tags: ['busy'] },
            agentReady: { tags: ['busy'] },
            /** Manual registration: someone has to add the host ID in Palette. */
            awaitingApproval: {},
            /** The agent retries on its own with a growing delay (context.retrySeconds). */
            endpointUnreachable: { tags: ['error', 'retrying'] },
            /** The agent asks again every 10 s; context.refusal says why. */
            registrationRefused: { tags: ['error', 'retrying'] },
            /** No paletteEndpoint in the user data: only a new installer fixes it. */
            noEndpoint: { tags: ['error'] },
          },
        },
        /** Known to Palette: a lifecycle and, from heartbeats, a health. */
        paired: {
          type: 'parallel',
          states: {
            lifecycle: {
              initial: 'registered',
              states: {
                registered: { on: { ASSIGNED: { target: 'assigned', actions: 'record' } } },
                assigned: {
                  on: {
                    PROVISIONING_STEP: [
                      { guard: 'isNodeReady?', target: 'running', actions: 'record' },
                      { target: 'provisioning', actions: 'record' },
                    ],
                    // A first try can fail before its first step (the provider image's download or checksum).
                    PROVISIONING_FAILED: { target: 'provisioningFailed', actions: 'record' },
                    UNASSIGNED: { target: 'registered', actions: 'record' },
                    // After a reboot a provisioned node comes back here, and is running again once
                    // its cluster service says the node is Ready (nothing is reported to Palette then).
                    NODE_READY_AGAIN: { guard: 'wasProvisioned?', target: 'running' },
                  },
                },
                provisioning: {
                  tags: ['busy'],
                  on: {
                    PROVISIONING_STEP: [{ guard: 'isNodeReady?', target: 'running', actions: 'record' }, { actions: 'record' }],
                    PROVISIONING_FAILED: { target: 'provisioningFailed', actions: 'record' },
                    UNASSIGNED: { target: 'registered', actions: 'record' },
                    // Rebooting into the provider OS is a step of provisioning, not a new boot.
                    POWERED_ON: [
                      { guard: 'isRestore?' },
                      { guard: 'bootsFromUsb?', target: '#host.powered.installerBooted', actions: 'record' },
                      { actions: 'record' },
                    ],
                    OS_SHUTDOWN: {},
                  },
                },
                provisioningFailed: {
                  tags: ['error'],
                  on: {
                    PROVISIONING_STEP: { target: 'provisioning', actions: 'record' },
                    UNASSIGNED: { target: 'registered', actions: 'record' },
                  },
                },
                running: { on: { UNASSIGNED: { target: 'registered', actions: 'record' } } },
              },
            },
            health: {
              initial: 'healthy',
              states: {
                healthy: { on: { HEARTBEAT_FAILED: 'unhealthy' } },
                unhealthy: { tags: ['error'], on: { HEARTBEAT_OK: 'healthy' } },
              },
            },
          },
        },
      },
    },
  },
});

export type HostMachine = typeof hostMachine;
