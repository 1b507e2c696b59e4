/**
 * ARP over Ethernet for IPv4 (RFC 826), as much of it as a device on the lab
 * LAN needs to claim an address: read a request, answer it, announce itself.
 * Frames are bare Ethernet frames (no preamble, no FCS), as the hub carries them.
 */

export const ETHERTYPE_ARP = 0x0806;
const ARP_REQUEST = 1;
const ARP_REPLY = 2;
/** Ethernet header (14) + ARP body for Ethernet/IPv4 (28). */
const ARP_FRAME_BYTES = 42;
/** The shortest Ethernet frame without its FCS; shorter ones are padded with zeros. */
const MIN_FRAME_BYTES = 60;
export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

export interface ArpPacket {
  op: 'request' | 'reply';
  senderMac: string;
  /** `0.0.0.0` in a duplicate-address probe (`arping -D`, RFC 5227). */
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export const macText = (b: Uint8Array, at: number): string => [...b.subarray(at, at + 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
export const ipText = (b: Uint8Array, at: number): string => [...b.subarray(at, at + 4)].join('.');

export function macBytes(mac: string): number[] {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-f]{2}$/i.test(p))) throw new RangeError(`[simulator:lan] ${JSON.stringify(mac)} is not a MAC address (six hex pairs joined by ':')`);
  return parts.map((p) => parseInt(p, 16));
}

export function ipBytes(ip: string): number[] {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new RangeError(`[simulator:lan] ${JSON.stringify(ip)} is not an IPv4 address`);
  return parts.map(Number);
}

/** The ARP packet an Ethernet frame carries, or null when it carries something else. */
export function parseArp(frame: Uint8Array): ArpPacket | null {
  if (frame.length < ARP_FRAME_BYTES) return null;
  if (((frame[12]! << 8) | frame[13]!) !== ETHERTYPE_ARP) return null;
  // Hardware Ethernet (1), protocol IPv4 (0x0800), lengths 6 and 4.
  if (frame[14] !== 0 || frame[15] !== 1 || frame[16] !== 0x08 || frame[17] !== 0x00 || frame[18] !== 6 || frame[19] !== 4) return null;
  const op = (frame[20]! << 8) | frame[21]!;
  if (op !== ARP_REQUEST && op !== ARP_REPLY) return null;
  return {
    op: op === ARP_REQUEST ? 'request' : 'reply',
    senderMac: macText(frame, 22), senderIp: ipText(frame, 28),
    targetMac: macText(frame, 32), targetIp: ipText(frame, 38),
  };
}

/** An Ethernet frame carrying `p`, sent from `p.senderMac` to `to` (broadcast for requests and announcements). */
export function arpFrame(p: ArpPacket, to: string): Uint8Array {
  const f = new Uint8Array(MIN_FRAME_BYTES);
  f.set(macBytes(to), 0);
  f.set(macBytes(p.senderMac), 6);
  f.set([ETHERTYPE_ARP >> 8, ETHERTYPE_ARP & 0xff, 0, 1, 0x08, 0x00, 6, 4, 0, p.op === 'request' ? ARP_REQUEST : ARP_REPLY], 12);
  f.set(macBytes(p.senderMac), 22);
  f.set(ipBytes(p.senderIp), 28);
  f.set(macBytes(p.targetMac), 32);
  f.set(ipBytes(p.targetIp), 38);
  return f;
}

/** The answer of the holder of `ip` (at `mac`) to `req`, or null when `req` does not ask for `ip`. */
export function answerFor(req: ArpPacket, ip: string, mac: string): Uint8Array | null {
  if (req.op !== 'request' || req.targetIp !== ip) return null;
  // A probe's sender has no address yet (0.0.0.0): the answer still goes to its MAC (RFC 5227 §2.1.1).
  return arpFrame({ op: 'reply', senderMac: mac, senderIp: ip, targetMac: req.senderMac, targetIp: req.senderIp }, req.senderMac);
}

/** An unsolicited announcement that `ip` is at `mac` (what `arping -U` sends). */
export function announcement(ip: string, mac: string): Uint8Array {
  return arpFrame({ op: 'request', senderMac: mac, senderIp: ip, targetMac: '00:00:00:00:00:00', targetIp: ip }, BROADCAST_MAC);
}
