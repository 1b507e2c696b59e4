import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/**
 * The lab LAN between the hosts of one lab: an Ethernet hub over UDP on
 * loopback. Each VM's LAN NIC is QEMU `-netdev dgram` with local port L and
 * remote port = the hub's port, so every frame the guest sends arrives here as
 * one datagram from 127.0.0.1:L. The hub repeats it to every other registered
 * peer (a hub, not a switch: no MAC learning; guests ignore frames not for
 * them). Nothing outside this machine can inject frames: only loopback
 * sources on registered ports are accepted.
 */
export interface LanHubOptions {
  /** Percentage (0–100) of datagrams dropped, to simulate a lossy network. Default 0. */
  lossPercent?: number;
  /** Source of randomness for loss, in [0, 1); injectable for tests. */
  random?: () => number;
}

export interface LanHubStats {
  /** Datagrams that arrived at the hub. */
  received: number;
  /** Copies sent to peers (a datagram on a three-peer LAN counts two). */
  forwarded: number;
  /** Arrived datagrams not repeated: unregistered or non-loopback source, or lost. */
  dropped: number;
}

const LOOPBACK = '127.0.0.1';

export class LanHub {
  readonly stats: LanHubStats = { received: 0, forwarded: 0, dropped: 0 };
  private readonly peers = new Set<number>();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly socket: Socket,
    /** The UDP port QEMU's `remote.port` points at. */
    readonly port: number,
    private readonly lossPercent: number,
    private readonly random: () => number,
  ) {
    socket.on('message', (msg, from) => this.onMessage(msg, from));
    // Sends to a peer that is not listening (VM powered off) fail silently; never crash the simulator.
    socket.on('error', () => {});
  }

  static async start(opts: LanHubOptions = {}): Promise<LanHub> {
    const loss = opts.lossPercent ?? 0;
    if (!(loss >= 0 && loss <= 100)) throw new RangeError(`[simulator:lan] lossPercent must be 0–100, got ${loss}`);
    const socket = await bindLoopback(0);
    return new LanHub(socket, socket.address().port, loss, opts.random ?? Math.random);
  }

  /** Registers a VM's LAN port (its `local.port`); frames from it are repeated, frames to it delivered. */
  addPeer(localPort: number): void { this.peers.add(checkPort(localPort)); }

  removePeer(localPort: number): void { this.peers.delete(localPort); }

  /** Stops the hub and releases its port. Idempotent: every call returns the same promise. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => this.socket.close(() => resolve()));
    return this.closing;
  }

  private onMessage(msg: Buffer, from: RemoteInfo): void {
    this.stats.received++;
    const known = from.address === LOOPBACK && this.peers.has(from.port);
    if (!known || (this.lossPercent > 0 && this.random() * 100 < this.lossPercent)) {
      this.stats.dropped++;
      return;
    }
    for (const peer of this.peers) {
      if (peer === from.port) continue;
      this.socket.send(msg, peer, LOOPBACK, () => {});
      this.stats.forwarded++;
    }
  }
}

/**
 * A UDP port free on 127.0.0.1 right now, for a VM's `local.port`. The port is
 * released before QEMU binds it, so another process could take it meanwhile:
 * callers must expect QEMU to fail binding it (e.g. retry with a new port).
 */
export async function allocateUdpPort(): Promise<number> {
  const socket = await bindLoopback(0);
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function bindLoopback(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, LOOPBACK, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`[simulator:lan] not a UDP port: ${port}`);
  return port;
}
