import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allocateUdpPort, LanHub } from './lan-hub';

/** A stand-in for one VM's `-netdev dgram` end: a loopback UDP socket that records what it receives. */
interface Peer { socket: Socket; port: number; inbox: string[]; send(text: string): void }

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => { while (cleanup.length) await cleanup.pop()!(); });

async function startHub(opts?: Parameters<typeof LanHub.start>[0]): Promise<LanHub> {
  const hub = await LanHub.start(opts);
  cleanup.push(() => hub.close());
  return hub;
}

async function peer(hub: LanHub): Promise<Peer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((r) => socket.close(() => r())));
  const p: Peer = { socket, port: socket.address().port, inbox: [], send: (text) => socket.send(text, hub.port, '127.0.0.1') };
  socket.on('message', (m) => p.inbox.push(m.toString()));
  return p;
}

/** Waits until `cond` holds (datagrams on loopback arrive within milliseconds). */
const until = (cond: () => boolean): Promise<void> => vi.waitFor(() => { if (!cond()) throw new Error('not yet'); }, { timeout: 2_000, interval: 5 });

describe('LanHub', () => {
  it('repeats a datagram from one peer to exactly every other peer', async () => {
    const hub = await startHub();
    const [a, b, c] = [await peer(hub), await peer(hub), await peer(hub)];
    for (const p of [a, b, c]) hub.addPeer(p.port);

    a.send('frame-from-a');
    await until(() => b.inbox.length === 1 && c.inbox.length === 1);
    // Loopback keeps order per sender: had the hub echoed a's frame back to a,
    // it would arrive at a before b's frame does.
    b.send('frame-from-b');
    await until(() => a.inbox.length === 1 && c.inbox.length === 2);

    expect(a.inbox).toEqual(['frame-from-b']);
    expect(b.inbox).toEqual(['frame-from-a']);
    expect(c.inbox).toEqual(['frame-from-a', 'frame-from-b']);
    expect(hub.stats).toEqual({ received: 2, forwarded: 4, dropped: 0 });
  });

  it('drops datagrams from unregistered ports, and from removed peers', async () => {
    const hub = await startHub();
    const [a, b, stranger] = [await peer(hub), await peer(hub), await peer(hub)];
    hub.addPeer(a.port);
    hub.addPeer(b.port);

    stranger.send('intruder');
    await until(() => hub.stats.received === 1);
    a.send('marker');
    await until(() => b.inbox.length === 1);
    expect(b.inbox).toEqual(['marker']);
    expect(stranger.inbox).toEqual([]);

    hub.removePeer(a.port);
    a.send('after-removal');
    await until(() => hub.stats.received === 3);
    expect(hub.stats).toEqual({ received: 3, forwarded: 1, dropped: 2 });
  });

  it('drops everything at 100% loss, and exactly the unlucky draws below that', async () => {
    const hub = await startHub({ lossPercent: 100 });
    const [a, b] = [await peer(hub), await peer(hub)];
    hub.addPeer(a.port);
    hub.addPeer(b.port);
    for (let i = 0; i < 5; i++) a.send(`lost-${i}`);
    await until(() => hub.stats.received === 5);
    expect(hub.stats).toEqual({ received: 5, forwarded: 0, dropped: 5 });
    expect(b.inbox).toEqual([]);

    const draws = [0.9, 0.1, 0.49]; // lost when draw × 100 < lossPercent
    const lossy = await startHub({ lossPercent: 50, random: () => draws.shift() ?? 0 });
    const [c, d] = [await peer(lossy), await peer(lossy)];
    lossy.addPeer(c.port);
    lossy.addPeer(d.port);
    for (const f of ['kept', 'lost', 'lost-too']) c.send(f);
    await until(() => lossy.stats.received === 3);
    expect(lossy.stats).toEqual({ received: 3, forwarded: 1, dropped: 2 });
    expect(d.inbox).toEqual(['kept']);
  });

  it('close() releases the port and is idempotent', async () => {
    const hub = await LanHub.start();
    const { port } = hub;
    await Promise.all([hub.close(), hub.close()]);
    await hub.close();
    const again = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { again.once('error', reject); again.bind(port, '127.0.0.1', resolve); });
    await new Promise<void>((r) => again.close(() => r()));
  });

  it('rejects a bad loss percentage and a bad peer port', async () => {
    await expect(LanHub.start({ lossPercent: 101 })).rejects.toThrow(RangeError);
    const hub = await startHub();
    expect(() => hub.addPeer(0)).toThrow(RangeError);
    expect(() => hub.addPeer(70_000)).toThrow(RangeError);
  });
});

describe('allocateUdpPort', () => {
  it('returns a loopback UDP port that is free again', async () => {
    const port = await allocateUdpPort();
    expect(port).toBeGreaterThan(0);
    const s = createSocket('udp4');
    await new Promise<void>((resolve, reject) => { s.once('error', reject); s.bind(port, '127.0.0.1', resolve); });
    await new Promise<void>((r) => s.close(() => r()));
  });
});
