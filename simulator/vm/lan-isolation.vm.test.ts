import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeHost } from '../hosts/edge-host';
import { VmLab } from '../testing/vm-lab';
import { duplexPair } from './fake/duplex-pair';
import { encodeFrame, FrameReader } from './lan-frames';
import { LanHub } from './lan-hub';
import { QEMU_BINARY } from './qemu/qemu-driver';
import { socketsOf, type InetSocket } from './testing/process-sockets';

// Only the lab's hub may reach a host's LAN card. Two real hosts share a lab
// LAN; a foreign process on this machine then looks for every socket their
// QEMU processes hold and fires Ethernet frames at each. The guests' own
// counters (eth1 rx_packets) must move only for frames the hub delivered.
let lab: VmLab;
let disk: string;
const hub = new LanHub();
beforeAll(async () => {
  lab = await VmLab.create();
  disk = await lab.installedDisk(lab.userData());
}, 180_000);
afterAll(async () => { await hub.close(); await lab.dispose(); });

const A_MAC = '52:54:00:c0:00:01';
const B_MAC = '52:54:00:c0:00:02';
const FOREIGN_MAC = '02:00:00:00:66:66';
const macBytes = (mac: string): Buffer => Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));

/** An Ethernet frame of the local experimental EtherType, padded to the 60-byte minimum. */
function frame(dst: string, text: string): Buffer {
  const f = Buffer.alloc(60);
  macBytes(dst).copy(f, 0);
  macBytes(FOREIGN_MAC).copy(f, 6);
  f.writeUInt16BE(0x88b5, 12);
  f.write(text, 14);
  return f;
}
const CRAFTED = [frame('ff:ff:ff:ff:ff:ff', 'foreign-broadcast'), frame(B_MAC, 'foreign-to-b'), frame(A_MAC, 'foreign-to-a')];

/** The guest's own count of frames its LAN card took in. */
async function rxPackets(h: EdgeHost): Promise<number> {
  const out = await lab.run(h, 'echo "rx=$(cat /sys/class/net/eth1/statistics/rx_packets)"', /rx=\d+/);
  return Number(/rx=(\d+)/.exec(out)![1]);
}

/** Fires every crafted frame, bare and stream-framed, at one socket of a QEMU process; resolves with how many sends were made. */
async function inject(target: InetSocket): Promise<number> {
  const host = target.family === 4 ? '127.0.0.1' : '::1';
  const payloads = CRAFTED.flatMap((f) => [f, encodeFrame(f)]);
  if (target.proto === 'udp') {
    const s = createSocket(target.family === 4 ? 'udp4' : 'udp6');
    for (const p of payloads) await new Promise<void>((r) => s.send(p, target.port, host, () => r()));
    await new Promise<void>((r) => s.close(() => r()));
    return payloads.length;
  }
  return new Promise((resolve) => {
    const c = connect(target.port, host, () => { c.end(Buffer.concat(payloads)); });
    c.on('close', () => resolve(payloads.length));
    c.on('error', () => c.destroy());
  });
}

describe('the lab LAN on real VMs', () => {
  it('carries traffic between two hosts through the hub, and no other process on this machine can put a frame on it', async () => {
    const a = lab.host({ name: 'lan-a', diskFrom: disk, lan: { mac: A_MAC, address: '192.168.60.11/24', hub } });
    const b = lab.host({ name: 'lan-b', diskFrom: disk, lan: { mac: B_MAC, address: '192.168.60.12/24', hub } });
    await Promise.all([a.powerOn(), b.powerOn()]);
    await Promise.all([a.waitForEvent('agent.ready', 90_000), b.waitForEvent('agent.ready', 90_000)]);
    expect(await lab.run(b, 'cat /sys/class/net/eth1/address', /[0-9a-f:]{17}/)).toContain(B_MAC);

    // A listener on the hub sees every frame the hub repeats: what it saw from a is what b was given.
    const [wire, sniffer] = duplexPair();
    hub.attach(wire, 'sniffer');
    const seen: Buffer[] = [];
    const reader = new FrameReader();
    sniffer.on('data', (chunk: Buffer) => { seen.push(...reader.push(chunk)); });
    const deliveredTo = (mac: string): number => seen.filter((f) => !f.subarray(6, 12).equals(macBytes(mac))).length;

    // 1. The LAN works: a pings b, and b's card counts what a sent.
    const before = await rxPackets(b);
    const ping = await lab.run(a, 'ping -c 3 -W 5 192.168.60.12 && echo LAN-OK || echo LAN-FAIL', /LAN-OK|LAN-FAIL/, 30_000);
    expect(ping).toContain('LAN-OK');
    console.info(`[lan-isolation] ${/round-trip.*|rtt.*/.exec(ping)?.[0] ?? 'no ping summary'}`);
    expect(await rxPackets(b) - before).toBeGreaterThanOrEqual(3);
    expect(hub.stats.forwarded).toBeGreaterThan(0);

    // 2. What a foreign process can find: neither QEMU holds a UDP socket, a listening TCP
    //    socket or a named Unix socket. Its LAN card is an unnamed socketpair end.
    const targets: InetSocket[] = [];
    for (const h of [a, b]) {
      const pid = h.pid!;
      expect((await readFile(`/proc/${pid}/comm`, 'utf8')).trim()).toMatch(/^qemu-system/);
      const s = await socketsOf(pid);
      expect(s.inet.filter((x) => x.proto === 'udp')).toEqual([]);
      expect(s.inet.filter((x) => x.listening)).toEqual([]);
      expect(s.unix.filter((u) => u.path !== null)).toEqual([]);
      expect(s.unix.length).toBeGreaterThanOrEqual(5); // stdin, stdout, stderr, QMP and the LAN card
      targets.push(...s.inet);
    }

    // 3. The foreign sender fires at every inet socket the QEMUs hold (if any); the cards count
    //    nothing the hub did not deliver.
    const seenBefore = { a: deliveredTo(A_MAC), b: deliveredTo(B_MAC) };
    const rxBefore = { a: await rxPackets(a), b: await rxPackets(b) };
    let sends = 0;
    for (const t of targets) sends += await inject(t);
    await new Promise((r) => setTimeout(r, 1_000));
    const rxAfter = { a: await rxPackets(a), b: await rxPackets(b) };
    const seenAfter = { a: deliveredTo(A_MAC), b: deliveredTo(B_MAC) };
    expect(rxAfter.a - rxBefore.a).toBeLessThanOrEqual(seenAfter.a - seenBefore.a);
    expect(rxAfter.b - rxBefore.b).toBeLessThanOrEqual(seenAfter.b - seenBefore.b);
    console.info(`[lan-isolation] foreign sends: ${sends} to ${targets.length} inet sockets; rx a +${rxAfter.a - rxBefore.a}, b +${rxAfter.b - rxBefore.b}; hub delivered a +${seenAfter.a - seenBefore.a}, b +${seenAfter.b - seenBefore.b}`);

    // 4. Control: the very same frames, sent through the hub, do reach the cards
    //    (b takes the broadcast and its own; a the broadcast and its own).
    const viaHub = { a: await rxPackets(a), b: await rxPackets(b) };
    for (const f of CRAFTED) sniffer.write(encodeFrame(f));
    await new Promise((r) => setTimeout(r, 500));
    expect(await rxPackets(b) - viaHub.b).toBeGreaterThanOrEqual(2);
    expect(await rxPackets(a) - viaHub.a).toBeGreaterThanOrEqual(2);

    sniffer.destroy();
    await Promise.all([a.powerOff(), b.powerOff()]);
    expect(hub.peerNames).toEqual([]);
  });

  it('the same enumeration does find the UDP port of a card wired the old way (QEMU -netdev dgram)', async () => {
    // A paused QEMU with no guest, its LAN card on a UDP port as before: the port the old design exposed.
    const port = await new Promise<number>((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    const qemu = spawn(QEMU_BINARY, ['-nodefaults', '-display', 'none', '-S', '-machine', 'q35', '-accel', 'tcg', '-name', 'edge-lab-test-old-lan',
      '-netdev', `dgram,id=lan,local.type=inet,local.host=127.0.0.1,local.port=${port},remote.type=inet,remote.host=127.0.0.1,remote.port=9`,
      '-device', 'virtio-net-pci,netdev=lan'], { stdio: 'ignore' });
    try {
      let udp: InetSocket[] = [];
      for (let i = 0; i < 100 && !udp.length; i++) {
        await new Promise((r) => setTimeout(r, 50));
        udp = (await socketsOf(qemu.pid!).catch(() => ({ inet: [] as InetSocket[] }))).inet.filter((x) => x.proto === 'udp');
      }
      expect(udp).toEqual([expect.objectContaining({ proto: 'udp', address: '127.0.0.1', port })]);
    } finally {
      const exited = new Promise((r) => qemu.once('exit', r));
      qemu.kill('SIGKILL');
      await exited;
    }
  });
});
