import { describe, expect, it, vi } from 'vitest';
import { duplexPair } from './fake/duplex-pair';
import { announcement, arpFrame, parseArp, type ArpPacket } from './lan-arp';
import { LanDevice } from './lan-device';
import { encodeFrame, FrameReader } from './lan-frames';
import { LanHub } from './lan-hub';

const HOST_MAC = '52:54:00:aa:bb:01';
const DEVICE_MAC = '02:00:5e:10:00:64';
const VIP = '10.77.0.100';

/** A host's LAN card on the hub: what it heard (as ARP) and a way to send. */
function host(hub: LanHub) {
  const [wire, guest] = duplexPair();
  const reader = new FrameReader();
  const heard: (ArpPacket | null)[] = [];
  hub.attach(wire, 'edge-host-1');
  guest.on('data', (chunk: Buffer) => { for (const f of reader.push(chunk)) heard.push(parseArp(f)); });
  guest.on('error', () => {});
  return { heard, send: (f: Uint8Array) => guest.write(encodeFrame(f)) };
}

const until = (cond: () => boolean): Promise<void> => vi.waitFor(() => { if (!cond()) throw new Error('not yet'); }, { timeout: 2_000, interval: 2 });
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('lan-arp', () => {
  it('reads back what it writes, and ignores frames that are not ARP', () => {
    const p: ArpPacket = { op: 'reply', senderMac: DEVICE_MAC, senderIp: VIP, targetMac: HOST_MAC, targetIp: '10.77.0.11' };
    expect(parseArp(arpFrame(p, HOST_MAC))).toEqual(p);
    const ipv4 = arpFrame(p, HOST_MAC);
    ipv4[12] = 0x08; ipv4[13] = 0x00;
    expect(parseArp(ipv4)).toBeNull();
    expect(parseArp(new Uint8Array(20))).toBeNull();
  });

  it('refuses a malformed address with what it got', () => {
    expect(() => arpFrame({ op: 'request', senderMac: 'nope', senderIp: VIP, targetMac: HOST_MAC, targetIp: VIP }, HOST_MAC)).toThrow(/"nope" is not a MAC address/);
    expect(() => announcement('10.77.0.300', DEVICE_MAC)).toThrow(/"10.77.0.300" is not an IPv4 address/);
  });
});

describe('LanDevice', () => {
  it('announces its address when plugged in, answers who-has for it (a duplicate-address probe too) and nothing else', async () => {
    const hub = new LanHub();
    const h = host(hub);
    const device = new LanDevice(hub, 'stranger', { ip: VIP, mac: DEVICE_MAC, announceMs: 60_000 });
    await until(() => h.heard.length === 1);
    expect(h.heard[0]).toMatchObject({ op: 'request', senderMac: DEVICE_MAC, senderIp: VIP, targetIp: VIP });

    // `arping -D`: the sender has no address yet.
    h.send(arpFrame({ op: 'request', senderMac: HOST_MAC, senderIp: '0.0.0.0', targetMac: '00:00:00:00:00:00', targetIp: VIP }, 'ff:ff:ff:ff:ff:ff'));
    // Someone else's address: no answer.
    h.send(arpFrame({ op: 'request', senderMac: HOST_MAC, senderIp: '10.77.0.11', targetMac: '00:00:00:00:00:00', targetIp: '10.77.0.12' }, 'ff:ff:ff:ff:ff:ff'));
    await until(() => h.heard.length === 2);
    await settle();
    expect(h.heard).toHaveLength(2);
    expect(h.heard[1]).toEqual({ op: 'reply', senderMac: DEVICE_MAC, senderIp: VIP, targetMac: HOST_MAC, targetIp: '0.0.0.0' });
    expect(device.stats.requestsAnswered).toBe(1);
    device.remove();
  });

  it('says nothing once removed, and is gone from the hub', async () => {
    const hub = new LanHub();
    const h = host(hub);
    const device = new LanDevice(hub, 'stranger', { ip: VIP, mac: DEVICE_MAC, announceMs: 60_000 });
    await until(() => h.heard.length === 1);
    device.remove();
    device.remove();
    expect(hub.peerNames).toEqual(['edge-host-1']);
    h.send(arpFrame({ op: 'request', senderMac: HOST_MAC, senderIp: '0.0.0.0', targetMac: '00:00:00:00:00:00', targetIp: VIP }, 'ff:ff:ff:ff:ff:ff'));
    await settle();
    expect(h.heard).toHaveLength(1);
  });
});
