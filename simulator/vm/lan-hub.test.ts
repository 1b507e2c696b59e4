import { Duplex } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { duplexPair } from './fake/duplex-pair';
import { encodeFrame, FrameReader, LanFramingError } from './lan-frames';
import { LanHub, MAX_BACKLOG_BYTES } from './lan-hub';

/** A stand-in for one VM's LAN card: the guest's end of a wire whose other end is plugged into the hub. */
interface Peer { name: string; guest: Duplex; wire: Duplex; inbox: string[]; ended: boolean; send(text: string): void; unplug: () => void }

function peer(hub: LanHub, name: string): Peer {
  const [wire, guest] = duplexPair();
  const reader = new FrameReader();
  const p: Peer = {
    name, guest, wire, inbox: [], ended: false,
    send: (text) => { guest.write(encodeFrame(Buffer.from(text))); },
    unplug: hub.attach(wire, name),
  };
  guest.on('data', (chunk: Buffer) => { for (const f of reader.push(chunk)) p.inbox.push(f.toString()); });
  guest.on('end', () => { p.ended = true; });
  guest.on('error', () => {});
  return p;
}

/** Waits until `cond` holds (in-memory wires deliver within a few ticks). */
const until = (cond: () => boolean): Promise<void> => vi.waitFor(() => { if (!cond()) throw new Error('not yet'); }, { timeout: 2_000, interval: 2 });
/** Lets every queued stream event run, for asserting that something did NOT arrive. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('LanHub', () => {
  it('repeats each frame to every other peer and never back to its sender', async () => {
    const hub = new LanHub();
    const [a, b, c] = [peer(hub, 'a'), peer(hub, 'b'), peer(hub, 'c')];
    a.send('from-a');
    b.send('from-b');
    c.send('from-c');
    await until(() => a.inbox.length === 2 && b.inbox.length === 2 && c.inbox.length === 2);
    await settle();
    expect(a.inbox.sort()).toEqual(['from-b', 'from-c']);
    expect(b.inbox.sort()).toEqual(['from-a', 'from-c']);
    expect(c.inbox.sort()).toEqual(['from-a', 'from-b']);
    expect(hub.stats).toEqual({ received: 3, forwarded: 6, dropped: 0, overflowed: 0, cut: 0 });
    expect(hub.peerNames).toEqual(['a', 'b', 'c']);
  });

  it('reassembles a frame split across chunks and splits several frames sent in one chunk', async () => {
    const hub = new LanHub();
    const [a, b] = [peer(hub, 'a'), peer(hub, 'b')];
    const one = encodeFrame(Buffer.from('split-across-three-writes'));
    a.guest.write(one.subarray(0, 2)); // half the length prefix
    await settle();
    a.guest.write(one.subarray(2, 9));
    await settle();
    expect(b.inbox).toEqual([]);
    a.guest.write(one.subarray(9));
    a.guest.write(Buffer.concat([encodeFrame(Buffer.from('x')), encodeFrame(Buffer.from('yy')), encodeFrame(Buffer.from('zzz')).subarray(0, 5)]));
    await until(() => b.inbox.length === 3);
    a.guest.write(encodeFrame(Buffer.from('zzz')).subarray(5));
    await until(() => b.inbox.length === 4);
    expect(b.inbox).toEqual(['split-across-three-writes', 'x', 'yy', 'zzz']);
  });

  it('cuts a peer that announces an oversize frame, and the others carry on', async () => {
    const cut: string[] = [];
    const hub = new LanHub({ onCut: (name, err) => { expect(err).toBeInstanceOf(LanFramingError); cut.push(name); } });
    const [a, b, evil] = [peer(hub, 'a'), peer(hub, 'b'), peer(hub, 'evil')];
    evil.send('fine-at-first');
    await until(() => a.inbox.length === 1 && b.inbox.length === 1);

    const header = Buffer.alloc(4);
    header.writeUInt32BE(65_537); // one byte over the 64 KiB limit
    evil.guest.write(Buffer.concat([header, Buffer.alloc(100, 0xee)]));
    await until(() => evil.ended);
    expect(cut).toEqual(['evil']);
    expect(hub.stats.cut).toBe(1);
    expect(hub.peerNames).toEqual(['a', 'b']);
    expect(evil.wire.destroyed).toBe(true);

    a.send('after-the-cut');
    await until(() => b.inbox.length === 2);
    await settle();
    expect(b.inbox).toEqual(['fine-at-first', 'after-the-cut']);
    expect(a.inbox).toEqual(['fine-at-first']);
    expect(evil.inbox).toEqual([]);
  });

  it('unplugs a peer whose wire ends (its VM exited) or that is unplugged by hand', async () => {
    const hub = new LanHub();
    const [a, b, c] = [peer(hub, 'a'), peer(hub, 'b'), peer(hub, 'c')];
    c.guest.destroy(); // the process's end closes when QEMU exits
    await until(() => hub.peerNames.length === 2);
    b.unplug();
    b.unplug(); // idempotent
    expect(hub.peerNames).toEqual(['a']);
    a.send('anyone?');
    await settle();
    expect(b.inbox).toEqual([]);
    expect(hub.stats).toMatchObject({ received: 1, forwarded: 0 });
  });

  it('drops everything at 100% loss, and exactly the unlucky draws below that', async () => {
    const hub = new LanHub({ lossPercent: 100 });
    const [a, b] = [peer(hub, 'a'), peer(hub, 'b')];
    for (let i = 0; i < 5; i++) a.send(`lost-${i}`);
    await until(() => hub.stats.received === 5);
    expect(hub.stats).toMatchObject({ received: 5, forwarded: 0, dropped: 5 });
    expect(b.inbox).toEqual([]);

    const draws = [0.9, 0.1, 0.49]; // lost when draw × 100 < lossPercent
    const lossy = new LanHub({ lossPercent: 50, random: () => draws.shift() ?? 0 });
    const [c, d] = [peer(lossy, 'c'), peer(lossy, 'd')];
    for (const f of ['kept', 'lost', 'lost-too']) c.send(f);
    await until(() => lossy.stats.received === 3);
    expect(lossy.stats).toMatchObject({ received: 3, forwarded: 1, dropped: 2 });
    expect(d.inbox).toEqual(['kept']);
  });

  it('stops writing to a peer that does not read its backlog, without holding up the others', async () => {
    const hub = new LanHub();
    // A wire that accepts writes but never completes them: its backlog only grows.
    const stuck = new Duplex({ read() {}, write() {} });
    hub.attach(stuck, 'stuck');
    const [a, b] = [peer(hub, 'a'), peer(hub, 'b')];
    const big = 'x'.repeat(60_000);
    const n = Math.ceil(MAX_BACKLOG_BYTES / 60_000) + 5;
    for (let i = 0; i < n; i++) a.send(big);
    await until(() => b.inbox.length === n);
    expect(stuck.writableLength).toBeLessThanOrEqual(MAX_BACKLOG_BYTES + 60_004);
    expect(hub.stats.overflowed).toBeGreaterThanOrEqual(4);
    expect(hub.stats.forwarded + hub.stats.overflowed).toBe(2 * n);
  });

  it('rejects a bad loss percentage; after close every peer is unplugged and new cards stay unplugged', async () => {
    expect(() => new LanHub({ lossPercent: 101 })).toThrow(RangeError);
    await expect(LanHub.start({ lossPercent: -1 })).rejects.toThrow(/lossPercent must be 0–100/);
    const hub = await LanHub.start();
    const [a, b] = [peer(hub, 'a'), peer(hub, 'b')];
    await hub.close();
    expect(hub.peerNames).toEqual([]);
    a.send('after-close');
    await settle();
    expect(b.inbox).toEqual([]);
    const late = peer(hub, 'late');
    await until(() => late.ended);
    expect(late.wire.destroyed).toBe(true);
  });
});
