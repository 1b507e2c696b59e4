import { Duplex } from 'node:stream';
import { announcement, answerFor, parseArp } from './lan-arp';
import { encodeFrame, FrameReader } from './lan-frames';
import type { LanSegment } from './lan-hub';

/**
 * A machine on the lab LAN that is not an edge host: it holds one IPv4 address
 * and does what any host with that address does at the link layer. It answers
 * ARP requests for the address (duplicate-address probes too) and announces
 * the address when it is plugged in and every `announceMs` after. It is the VIP
 * clash drill's "someone else already uses that address": the frames are real,
 * the hosts' kernels and `arping` see them as they would see a printer or a
 * camera set to the same address.
 */
export interface LanDeviceOptions {
  ip: string;
  mac: string;
  /** How often it announces the address (gratuitous ARP). Default 5 s; null: once, when plugged in. */
  announceMs?: number | null;
  /** What the device serves beyond ARP: its answer to a frame, or null (e.g. the site's time server, ntpServe). */
  serve?: (frame: Uint8Array) => Uint8Array | null;
}

/** What a LanDevice saw and said, for tests and logs. */
export interface LanDeviceStats {
  requestsAnswered: number;
  announcements: number;
  /** Frames answered by `serve`. */
  served: number;
}

export class LanDevice {
  readonly stats: LanDeviceStats = { requestsAnswered: 0, announcements: 0, served: 0 };
  private readonly port: Duplex;
  private readonly unplug: () => void;
  private readonly timer: NodeJS.Timeout | null;

  /** Plugs a device holding `o.ip` into `lan` under `name`; it speaks at once. */
  constructor(lan: LanSegment, name: string, readonly o: LanDeviceOptions) {
    const reader = new FrameReader();
    // The hub writes encoded frames to it and reads what it pushes.
    this.port = new Duplex({
      read: () => {},
      write: (chunk: Buffer, _enc, done) => {
        try {
          for (const frame of reader.push(chunk)) this.hear(frame);
          done();
        } catch (err) {
          done(err as Error);
        }
      },
    });
    this.unplug = lan.attach(this.port, name);
    this.announce();
    this.timer = o.announceMs === null ? null : setInterval(() => this.announce(), o.announceMs ?? 5_000);
    this.timer?.unref();
  }

  /** Takes the device off the LAN. Idempotent. */
  remove(): void {
    if (this.timer) clearInterval(this.timer);
    this.unplug();
    this.port.destroy();
  }

  private hear(frame: Uint8Array): void {
    const req = parseArp(frame);
    const answer = req ? answerFor(req, this.o.ip, this.o.mac) : null;
    if (answer) {
      this.stats.requestsAnswered++;
      this.send(answer);
      return;
    }
    const served = req ? null : this.o.serve?.(frame);
    if (!served) return;
    this.stats.served++;
    this.send(served);
  }

  private announce(): void {
    this.stats.announcements++;
    this.send(announcement(this.o.ip, this.o.mac));
  }

  private send(frame: Uint8Array): void {
    if (!this.port.destroyed) this.port.push(encodeFrame(frame));
  }
}
