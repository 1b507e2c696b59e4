import type { Duplex } from 'node:stream';

/**
 * The VM driver: the one seam between host logic and QEMU. A driver starts
 * processes; each process is one power-on of a virtual machine, with a QMP
 * monitor and a serial console. Everything about edge hosts (boot order, USB
 * stick, stepped shutdown, checkpoints) is built on this in ../hosts, so the
 * fake driver in ./fake can stand in for QEMU in unit tests.
 */

/** A TCP forward from the guest network to a program on the host (QEMU guestfwd `cmd:`). */
export interface GuestForward {
  /** Address and port the guest connects to, e.g. 10.0.2.100:80. */
  guestAddr: string;
  guestPort: number;
  /** Program QEMU spawns once per guest connection, with the connection on stdin/stdout. */
  command: readonly string[];
}

/** Everything needed to launch one VM process. Plain data: saved with checkpoints. */
export interface VmLaunch {
  name: string;
  cpus: number;
  memoryMb: number;
  kernel: string;
  initrd: string;
  append: string;
  /** SMBIOS type 1 product UUID: the host's hardware identity. */
  smbiosUuid: string;
  disk?: { path: string };
  /** A USB stick present at power-on (raw image, read-only). */
  usb?: { path: string };
  /** User-mode NIC, always `restrict=on`: the guest reaches only `forwards`. */
  nic: { mac: string; forwards: readonly GuestForward[] };
  /**
   * Second NIC on the lab LAN. Its wire is a private channel the driver makes
   * for this process alone (VmProcess.lan): no port, no path. Launches saved
   * before this carried `localPort`/`hubPort`; those fields are ignored.
   */
  lan?: { mac: string };
  /** The hardware clock (RTC) at power-on, UTC `YYYY-MM-DDTHH:MM:SS`; absent: the real time. */
  rtcBase?: string;
  /** Migration stream to start from (a checkpoint's memory state), e.g. `exec:cat file`. */
  incoming?: string;
}

export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Reason of the last QMP SHUTDOWN event, if one came: guest-shutdown, guest-reset, host-qmp-system-reset, host-qmp-quit, … */
  shutdownReason: string | null;
}

export interface QmpEventMessage {
  event: string;
  data: unknown;
}

/**
 * Data of QMP's BLOCK_IO_ERROR event (QEMU's QAPI schema), sent when a disk
 * request fails. `device` is '' for disks given with -blockdev, as ours are;
 * `node-name` then names the disk's node (`disk`, see ./qemu/args.ts). With
 * action 'stop' QEMU emits STOP right after it, query-status says 'io-error'
 * until `cont`, and `cont` retries the failed request (RESUME first). `nospace`
 * is true when the host's filesystem is full (ENOSPC).
 */
export interface QmpBlockIoError {
  device: string;
  'node-name'?: string;
  operation: 'read' | 'write';
  action: 'stop' | 'report' | 'ignore';
  nospace?: boolean;
  reason: string;
}

/** One running VM process. */
export interface VmProcess {
  readonly pid: number | undefined;
  /** Runs a QMP command; one command is in flight at a time. */
  execute<T = unknown>(command: string, args?: object): Promise<T>;
  /** Registers before sending, so events that precede a reply are not missed. */
  waitForEvent(event: string, timeoutMs: number, predicate?: (data: unknown) => boolean): Promise<unknown>;
  onEvent(listener: (e: QmpEventMessage) => void): () => void;
  onConsole(listener: (bytes: Uint8Array) => void): () => void;
  writeConsole(bytes: Uint8Array | string): void;
  /**
   * The LAN card's wire when the launch has a LAN: Ethernet frames, each a
   * 4-byte big-endian length then the frame (see ./lan-frames). The lab's
   * hub is the only other end; it ends when the process exits.
   */
  readonly lan?: Duplex;
  /** Sends a signal to the process (no-op once exited). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once the process has exited and been reaped. */
  readonly exited: Promise<VmExit>;
}

export interface VmDriver {
  /** Starts a VM process; resolves once QMP is connected. Rejects with a typed error if QEMU refuses the launch. */
  start(launch: VmLaunch): Promise<VmProcess>;
}
