import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { socketsOf } from './process-sockets';

// The enumeration the LAN isolation test relies on, checked against sockets this process opens.
describe('socketsOf', () => {
  it('finds a UDP socket, a listening TCP socket and a named Unix socket this process holds', async () => {
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const udpPort = udp.address().port;
    const abstract = `\0edge-lab-test-sockets-${process.pid}`;
    const unix = createServer();
    await new Promise<void>((r) => unix.listen(abstract, r));
    try {
      const s = await socketsOf(process.pid);
      expect(s.inet).toContainEqual(expect.objectContaining({ proto: 'udp', family: 4, address: '127.0.0.1', port: udpPort, listening: false }));
      expect(s.inet).toContainEqual(expect.objectContaining({ proto: 'tcp', address: '127.0.0.1', port: (tcp.address() as { port: number }).port, listening: true }));
      // Node passes the whole sun_path, so the kernel shows the name padded with NULs (as '@').
      expect(s.unix.some((u) => u.path?.startsWith(`@edge-lab-test-sockets-${process.pid}`))).toBe(true);
    } finally {
      await new Promise<void>((r) => udp.close(() => r()));
      await new Promise<void>((r) => tcp.close(() => r()));
      await new Promise<void>((r) => unix.close(() => r()));
    }
    const after = await socketsOf(process.pid);
    expect(after.inet.filter((x) => x.proto === 'udp' && x.port === udpPort)).toEqual([]);
  });
});
