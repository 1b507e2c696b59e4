import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureClusterRuntime } from '../images/cluster-runtime';
import { macText } from './lan-arp';
import { ntpReply } from './lan-ntp';

const run = promisify(execFile);

/**
 * The lab's time server against the nodes' real NTP client (toybox `sntp`, the binary the
 * provider OS carries): the NTP part of its answers, sent over loopback UDP, sets no clock
 * here (no -s), but sntp must accept them and report the server's time and offset.
 */
describe('the lab time server with a real SNTP client', () => {
  it('toybox sntp accepts its answers and reads the offset of a server an hour ahead', async () => {
    const runtime = await ensureClusterRuntime();
    const server = createSocket('udp4');
    const aheadMs = 3_600_000;
    server.on('message', (msg, from) => {
      // The request as it would arrive in a frame: rebuild one around the datagram and answer it.
      const reply = ntpReply({
        clientMac: macText(new Uint8Array(6), 0), clientIp: '127.0.0.1', clientPort: from.port, serverIp: '127.0.0.1',
        version: (msg[0]! >> 3) & 7, poll: msg[2]!, transmit: new Uint8Array(msg.subarray(40, 48)),
      }, '0e:a1:7f:00:00:01', Date.now() + aheadMs);
      server.send(reply.subarray(42), from.port, from.address);
    });
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    try {
      const port = server.address().port;
      const { stdout } = await run(join(runtime.dir, 'usr/bin/toybox'), ['sntp', '-p', String(port), '127.0.0.1'], { timeout: 15_000 });
      const m = /offset ([-+0-9.]+) secs/.exec(stdout);
      expect(m, stdout).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(3_599);
      expect(Number(m![1])).toBeLessThan(3_601);
      const shown = Date.parse(stdout.slice(0, 19).replace(' ', 'T') + 'Z');
      expect(Math.abs(shown - (Date.now() + aheadMs))).toBeLessThan(10_000);
    } finally {
      server.close();
    }
  });
});
