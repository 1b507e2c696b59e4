/**
 * NTP's server side (RFC 5905, the parts an SNTP client uses, RFC 4330) over
 * IPv4 and UDP on bare Ethernet frames, as the lab hub carries them: read a
 * client's request addressed to the server, and build the server's answer
 * with the time given. Pure; the clock is the caller's.
 */
import { ipBytes, ipText, macBytes, macText } from './lan-arp';

export const ETHERTYPE_IPV4 = 0x0800;
export const NTP_PORT = 123;
const IPPROTO_UDP = 17;
const ETH_BYTES = 14;
const IPV4_BYTES = 20;
const UDP_BYTES = 8;
const NTP_BYTES = 48;
const MODE_CLIENT = 3;
const MODE_SERVER = 4;
/** Seconds from NTP's era (1900-01-01) to the Unix epoch. */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;

/** A client's NTP request, with what the answer needs of it. */
export interface NtpRequest {
  clientMac: string;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  /** NTP version the client speaks (the answer uses the same). */
  version: number;
  poll: number;
  /** The client's transmit timestamp, raw: the answer's originate timestamp. */
  transmit: Uint8Array;
}

/** The NTP request a frame carries to `serverIp`, or null for anything else. */
export function parseNtpRequest(frame: Uint8Array, serverIp: string): NtpRequest | null {
  if (frame.length < ETH_BYTES + IPV4_BYTES + UDP_BYTES + NTP_BYTES) return null;
  if (((frame[12]! << 8) | frame[13]!) !== ETHERTYPE_IPV4) return null;
  const ip = ETH_BYTES;
  if (frame[ip]! >> 4 !== 4) return null;
  const ihl = (frame[ip]! & 0x0f) * 4;
  if (ihl < IPV4_BYTES || frame[ip + 9] !== IPPROTO_UDP) return null;
  // A fragment (more-fragments set, or an offset) is not a whole request.
  if ((((frame[ip + 6]! << 8) | frame[ip + 7]!) & 0x3fff) !== 0) return null;
  if (ipText(frame, ip + 16) !== serverIp) return null;
  const udp = ip + ihl;
  const ntp = udp + UDP_BYTES;
  if (frame.length < ntp + NTP_BYTES) return null;
  if (((frame[udp + 2]! << 8) | frame[udp + 3]!) !== NTP_PORT) return null;
  const version = (frame[ntp]! >> 3) & 0x07;
  if ((frame[ntp]! & 0x07) !== MODE_CLIENT || version < 1 || version > 4) return null;
  return {
    clientMac: macText(frame, 6), clientIp: ipText(frame, ip + 12), clientPort: (frame[udp]! << 8) | frame[udp + 1]!,
    serverIp, version, poll: frame[ntp + 2]!, transmit: frame.slice(ntp + 40, ntp + 48),
  };
}

/** `unixMs` as an NTP timestamp (seconds since 1900, then a 32-bit fraction), written at `at`. */
export function writeNtpTime(b: Uint8Array, at: number, unixMs: number): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const seconds = Math.floor(unixMs / 1000);
  v.setUint32(at, (seconds + NTP_UNIX_OFFSET_S) >>> 0);
  v.setUint32(at + 4, Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32) >>> 0);
}

/** An NTP timestamp at `at` as Unix milliseconds. */
export function readNtpTime(b: Uint8Array, at: number): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return (v.getUint32(at) - NTP_UNIX_OFFSET_S) * 1000 + (v.getUint32(at + 4) / 2 ** 32) * 1000;
}

/** The one's-complement sum of `b` as 16-bit words (RFC 1071), not yet inverted. */
function sum16(b: Uint8Array, start = 0): number {
  let s = start;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/**
 * The server's answer to `req`: stratum 1 (its clock is the lab machine's, the
 * reference of the site), every timestamp taken from `unixMs`.
 */
export function ntpReply(req: NtpRequest, serverMac: string, unixMs: number): Uint8Array {
  const f = new Uint8Array(ETH_BYTES + IPV4_BYTES + UDP_BYTES + NTP_BYTES);
  f.set(macBytes(req.clientMac), 0);
  f.set(macBytes(serverMac), 6);
  f.set([ETHERTYPE_IPV4 >> 8, ETHERTYPE_IPV4 & 0xff], 12);
  const ip = ETH_BYTES;
  const total = IPV4_BYTES + UDP_BYTES + NTP_BYTES;
  // Version 4, 20-byte header; length; don't fragment; TTL 64; UDP.
  f.set([0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, IPPROTO_UDP, 0, 0], ip);
  f.set(ipBytes(req.serverIp), ip + 12);
  f.set(ipBytes(req.clientIp), ip + 16);
  const ipSum = ~sum16(f.subarray(ip, ip + IPV4_BYTES)) & 0xffff;
  f.set([ipSum >> 8, ipSum & 0xff], ip + 10);
  const udp = ip + IPV4_BYTES;
  const udpLen = UDP_BYTES + NTP_BYTES;
  f.set([NTP_PORT >> 8, NTP_PORT & 0xff, req.clientPort >> 8, req.clientPort & 0xff, udpLen >> 8, udpLen & 0xff], udp);
  const ntp = udp + UDP_BYTES;
  f[ntp] = (req.version << 3) | MODE_SERVER; // leap indicator 0: no warning
  f[ntp + 1] = 1;
  f[ntp + 2] = req.poll;
  f[ntp + 3] = 0xec; // precision 2^-20 s
  f.set([0, 0, 0, 0x10], ntp + 8); // root dispersion about 0.25 ms
  f.set([...'LOCL'].map((c) => c.charCodeAt(0)), ntp + 12); // reference ID of a stratum-1 server: its source
  writeNtpTime(f, ntp + 16, unixMs); // reference
  f.set(req.transmit, ntp + 24); // originate: the client's transmit
  writeNtpTime(f, ntp + 32, unixMs); // receive
  writeNtpTime(f, ntp + 40, unixMs); // transmit
  // UDP checksum over the pseudo-header (addresses, protocol, length) and the datagram.
  const pseudo = new Uint8Array(12);
  pseudo.set(f.subarray(ip + 12, ip + 20), 0);
  pseudo.set([0, IPPROTO_UDP, udpLen >> 8, udpLen & 0xff], 8);
  const udpSum = (~sum16(f.subarray(udp, udp + udpLen), sum16(pseudo)) & 0xffff) || 0xffff;
  f.set([udpSum >> 8, udpSum & 0xff], udp + 6);
  return f;
}

/** A LanDevice's `serve` for a time server at `ip`/`mac` whose clock is `now` (Unix ms). */
export function ntpServe(ip: string, mac: string, now: () => number): (frame: Uint8Array) => Uint8Array | null {
  return (frame) => {
    const req = parseNtpRequest(frame, ip);
    return req ? ntpReply(req, mac, now()) : null;
  };
}
