import type { Duplex } from 'node:stream';
import { encodeFrame, FrameReader, LanFramingError } from './lan-frames';

/**
 * The lab LAN between the hosts of one lab: an Ethernet hub in this process.
 * Each VM's LAN card is QEMU `-netdev stream` on one end of a socketpair the
 * driver made for that VM alone (VmProcess.lan); the hub holds the other end
 * and repeats every frame a peer sends to every other peer (a hub, not a
 * switch: no MAC learning; guests ignore frames not for them).
 *
 * Nothing listens on a port or a path for the LAN, so no other process on the
 * machine can reach a card: the only way onto the LAN is through this hub.
 */
export interface LanHubOptions {
  /** Percentage (0–100) of frames dropped, to simulate a lossy network. Default 0. */
  lossPercent?: number;
  /** Source of randomness for loss, in [0, 1); injectable for tests. */
  random?: () => number;
  /** Told when a peer is cut for breaking the framing (e.g. to log it). */
  onCut?: (peer: string, err: LanFramingError) => void;
}

export interface LanHubStats {
  /** Frames that arrived from peers. */
  received: number;
  /** Copies written to peers (a frame on a three-peer LAN counts two). */
  forwarded: number;
  /** Arrived frames not repeated to anyone: lost to `lossPercent`. */
  dropped: number;
  /** Copies not written because that peer had not read its backlog (MAX_BACKLOG_BYTES). */
  overflowed: number;
  /** Peers cut off for announcing an oversize frame. */
  cut: number;
}

/** Where a VM's LAN card is plugged in; what an EdgeHost needs of the hub. */
export interface LanSegment {
  /**
   * Connects a VM's LAN channel as a peer. Returns a function that unplugs it
   * (idempotent); the peer also leaves by itself when the channel ends or fails.
   */
  attach(channel: Duplex, name: string): () => void;
}

/**
 * Bytes a peer may leave unread before copies to it are dropped, as a busy
 * link drops them: a guest that stops reading cannot make the hub grow.
 */
export const MAX_BACKLOG_BYTES = 1024 * 1024;

interface Peer { name: string; channel: Duplex; detach: () => void }

export class LanHub implements LanSegment {
  readonly stats: LanHubStats = { received: 0, forwarded: 0, dropped: 0, overflowed: 0, cut: 0 };
  private readonly peers = new Set<Peer>();
  private closed = false;
  private readonly lossPercent: number;
  private readonly random: () => number;

  constructor(private readonly opts: LanHubOptions = {}) {
    const loss = opts.lossPercent ?? 0;
    if (!(loss >= 0 && loss <= 100)) throw new RangeError(`[simulator:lan] lossPercent must be 0–100, got ${loss}`);
    this.lossPercent = loss;
    this.random = opts.random ?? Math.random;
  }

  /** A hub (kept async for callers written when the hub bound a port). */
  static async start(opts: LanHubOptions = {}): Promise<LanHub> {
    return new LanHub(opts);
  }

  /** Names of the peers plugged in now. */
  get peerNames(): string[] { return [...this.peers].map((p) => p.name); }

  attach(channel: Duplex, name: string): () => void {
    if (this.closed || channel.destroyed) {
      // The lab is closing: the card stays unplugged.
      channel.destroy();
      return () => {};
    }
    const reader = new FrameReader();
    const onData = (chunk: Buffer): void => {
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        if (!(err instanceof LanFramingError)) throw err;
        this.stats.cut++;
        peer.detach();
        channel.destroy();
        this.opts.onCut?.(name, err);
        return;
      }
      for (const f of frames) this.repeat(peer, f);
    };
    const onGone = (): void => peer.detach();
    // A peer's errors (EPIPE, ECONNRESET when its QEMU exits) only unplug it.
    const onError = (): void => peer.detach();
    const peer: Peer = {
      name, channel,
      detach: () => {
        if (!this.peers.delete(peer)) return;
        channel.off('data', onData);
        channel.off('end', onGone);
        channel.off('close', onGone);
        channel.off('error', onError);
        // Keep swallowing errors that arrive after unplugging, so none goes unhandled.
        channel.on('error', () => {});
      },
    };
    this.peers.add(peer);
    channel.on('data', onData);
    channel.on('end', onGone);
    channel.on('close', onGone);
    channel.on('error', onError);
    return peer.detach;
  }

  /** Unplugs every peer; later attaches leave their card unplugged. The VMs own their channels. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.peers]) p.detach();
  }

  private repeat(from: Peer, frame: Buffer): void {
    this.stats.received++;
    if (this.lossPercent > 0 && this.random() * 100 < this.lossPercent) {
      this.stats.dropped++;
      return;
    }
    let wire: Buffer | null = null;
    for (const peer of this.peers) {
      if (peer === from) continue;
      if (peer.channel.writableLength > MAX_BACKLOG_BYTES) { this.stats.overflowed++; continue; }
      wire ??= encodeFrame(frame);
      peer.channel.write(wire);
      this.stats.forwarded++;
    }
  }
}
