import { describe, expect, it, vi } from 'vitest';
import { duplexPair } from './fake/duplex-pair';
import { ipBytes, macBytes } from './lan-arp';
import { LanDevice } from './lan-device';
import { encodeFrame, FrameReader } from './lan-frames';
import { LanHub } from './lan-hub';
import { ntpReply, ntpServe, parseNtpRequest, readNtpTime, writeNtpTime } from './lan-ntp';

const CLIENT_MAC = '52:54:00:aa:bb:02';
const CLIENT_IP = '10.77.0.12';
const SERVER_MAC = '0e:a1:0a:4d:00:7b';
const SERVER_IP = '10.77.0.123';
const NOW = Date.UTC(2026, 11, 7, 16, 30, 0, 250);

/** A client's request as an SNTP client sends it: Ethernet, IPv4 (checksum left 0), UDP, 48 bytes of NTP. */
function request(o: { to?: string; port?: number; mode?: number; version?: number; fragment?: boolean } = {}): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + 48);
  f.set(macBytes(SERVER_MAC), 0);
  f.set(macBytes(CLIENT_MAC), 6);
  f.set([0x08, 0x00], 12);
  f.set([0x45, 0, 0, 76, 0, 1, o.fragment ? 0x20 : 0x40, 0, 64, 17, 0, 0], 14);
  f.set(ipBytes(CLIENT_IP), 26);
  f.set(ipBytes(o.to ?? SERVER_IP), 30);
  f.set([0xa0, 0x01, 0, o.port ?? 123, 0, 56, 0, 0], 34);
  f[42] = ((o.version ?? 4) << 3) | (o.mode ?? 3);
  f[44] = 6;
  f.set([1, 2, 3, 4, 5, 6, 7, 8], 42 + 40);
  return f;
}

/** RFC 1071: a header or datagram with its checksum in place sums to 0xffff. */
function sums(b: Uint8Array, start = 0): number {
  let s = start;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

describe('lan-ntp', () => {
  it('reads a client request to the server, and nothing else', () => {
    const req = parseNtpRequest(request(), SERVER_IP);
    expect(req).toMatchObject({ clientMac: CLIENT_MAC, clientIp: CLIENT_IP, clientPort: 0xa001, serverIp: SERVER_IP, version: 4, poll: 6 });
    expect([...req!.transmit]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseNtpRequest(request({ to: '10.77.0.99' }), SERVER_IP)).toBeNull();
    expect(parseNtpRequest(request({ port: 53 }), SERVER_IP)).toBeNull();
    expect(parseNtpRequest(request({ mode: 4 }), SERVER_IP)).toBeNull();
    expect(parseNtpRequest(request({ fragment: true }), SERVER_IP)).toBeNull();
    expect(parseNtpRequest(request().subarray(0, 60), SERVER_IP)).toBeNull();
  });

  it('answers with the server time, the client\'s timestamp as originate, and checksums that verify', () => {
    const req = parseNtpRequest(request({ version: 3 }), SERVER_IP)!;
    const f = ntpReply(req, SERVER_MAC, NOW);
    expect(f.length).toBe(90);
    expect([...f.subarray(0, 6)]).toEqual(macBytes(CLIENT_MAC));
    expect([...f.subarray(6, 12)]).toEqual(macBytes(SERVER_MAC));
    expect(sums(f.subarray(14, 34))).toBe(0xffff);
    const pseudo = new Uint8Array([...f.subarray(26, 34), 0, 17, 0, 56]);
    expect(sums(f.subarray(34, 90), sums(pseudo))).toBe(0xffff);
    expect([f[34]! << 8 | f[35]!, f[36]! << 8 | f[37]!]).toEqual([123, 0xa001]);
    const ntp = 42;
    expect(f[ntp]! & 7).toBe(4);
    expect((f[ntp]! >> 3) & 7).toBe(3);
    expect(f[ntp + 1]).toBe(1);
    expect([...f.subarray(ntp + 24, ntp + 32)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readNtpTime(f, ntp + 40)).toBeCloseTo(NOW, 0);
    expect(readNtpTime(f, ntp + 32)).toBeCloseTo(NOW, 0);
  });

  it('writes and reads NTP time to well under a millisecond', () => {
    const b = new Uint8Array(8);
    for (const t of [0, NOW, NOW + 999, Date.UTC(2036, 1, 7, 6, 28, 15)]) {
      writeNtpTime(b, 0, t);
      expect(Math.abs(readNtpTime(b, 0) - t)).toBeLessThan(0.001);
    }
  });

  it('serves the time through the hub to a host that asks, and only answers what is asked of it', async () => {
    const hub = await LanHub.start();
    const [wire, guest] = duplexPair();
    hub.attach(wire, 'edge-host-2');
    const heard: Uint8Array[] = [];
    const reader = new FrameReader();
    guest.on('data', (chunk: Buffer) => { heard.push(...reader.push(chunk)); });
    guest.on('error', () => {});
    let clock = NOW;
    const server = new LanDevice(hub, 'time server', { ip: SERVER_IP, mac: SERVER_MAC, announceMs: null, serve: ntpServe(SERVER_IP, SERVER_MAC, () => clock) });
    try {
      guest.write(encodeFrame(request({ to: '10.77.0.99' })));
      guest.write(encodeFrame(request()));
      await vi.waitFor(() => { if (!heard.some((f) => f[12] === 0x08 && f[13] === 0x00)) throw new Error('no answer yet'); }, { timeout: 2_000, interval: 2 });
      const answers = heard.filter((f) => f[12] === 0x08 && f[13] === 0x00);
      expect(answers).toHaveLength(1);
      expect(readNtpTime(answers[0]!, 42 + 40)).toBeCloseTo(NOW, 0);
      expect(server.stats).toMatchObject({ served: 1, announcements: 1 });
      clock += 60_000;
      guest.write(encodeFrame(request()));
      await vi.waitFor(() => { if (heard.filter((f) => f[13] === 0x00).length < 2) throw new Error('no second answer'); }, { timeout: 2_000, interval: 2 });
      expect(readNtpTime(heard.filter((f) => f[13] === 0x00)[1]!, 82)).toBeCloseTo(NOW + 60_000, 0);
    } finally {
      server.remove();
      await hub.close();
    }
  });
});
