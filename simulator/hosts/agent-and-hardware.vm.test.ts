import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCheckpoint, saveCheckpoint } from './checkpoint';
import { realHostIo } from './host-io';
import { join } from 'node:path';
import { AgentListener } from '../testing/agent-listener';
import { VmLab } from '../testing/vm-lab';
import { createServer } from 'node:net';
import { LanHub } from '../vm/lan-hub';

/** A loopback TCP port free right now (released at once; nothing listens on it until the test starts a listener). */
async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Hosts start from a disk installed once (a real install, then copied).
let lab: VmLab;
let disk: string;
beforeAll(async () => {
  lab = await VmLab.create();
  disk = await lab.installedDisk(lab.userData());
}, 180_000);
afterAll(async () => { await lab.dispose(); });

describe('the agent on a real VM', () => {
  it('says on the console when the endpoint is unreachable, backs off, and registers once it answers', async () => {
    const port = await freeTcpPort();
    const host = lab.host({ diskFrom: disk, endpoints: [{ hostname: 'api.palette.lab', hostPort: port }] });
    await host.powerOn();
    const first = await host.waitForEvent('agent.endpoint-unreachable', 60_000);
    const second = await host.waitForEvent('agent.endpoint-unreachable', 30_000);
    expect(second.retrySeconds).toBeGreaterThan(first.retrySeconds);
    expect(host.console.text()).toMatch(/Palette endpoint api\.palette\.lab unreachable .*retrying in \d+s/);
    // Once, with the first failure: the fixes a real site has for this, and that the lab has none of them.
    expect(host.console.text()).toContain('where a proxy or TLS inspection sits in the way, a real site sets stylus.site.network.httpsProxy, caCerts or insecureSkipVerify (the lab has neither)');
    expect(host.console.text().split('a real site sets stylus.site.network.httpsProxy')).toHaveLength(2);
    const late = await AgentListener.start(port);
    try {
      await host.waitForEvent('agent.registered', 60_000);
      expect(late.requests.some((r) => r.path === '/v1/edge/hosts/register')).toBe(true);
    } finally {
      await host.powerOff();
      await late.close();
    }
  });

  it('shows a refusal from Palette on the console with its reason', async () => {
    lab.endpoint.handler = (r) => r.path.endsWith('/register')
      ? { status: 200, json: { status: 'refused', code: 'token-expired', message: 'The registration token has expired; ask your tenant admin for a new one.' } }
      : { status: 200, json: {} };
    const host = lab.host({ diskFrom: disk });
    try {
      await host.powerOn();
      const refused = await host.waitForEvent('agent.registration-refused', 60_000);
      expect(refused.code).toBe('token-expired');
      expect(host.console.text()).toContain('registration refused (token-expired): The registration token has expired');
    } finally {
      lab.endpoint.handler = (r) => r.path.endsWith('/register') ? { status: 200, json: { status: 'registered', project: 'Default' } } : { status: 200, json: {} };
      await host.powerOff();
    }
  });
});

describe('virtual hardware on a real VM', () => {
  it('saves a checkpoint and restores it: the restored host answers on its console with its state intact', async () => {
    const host = lab.host({ diskFrom: disk });
    await host.powerOn();
    const ready = await host.waitForEvent('agent.registered', 60_000);
    await lab.run(host, 'echo before-checkpoint > /run/marker; echo SAVED', /SAVED/);
    const dir = join(lab.dir, 'checkpoint-1');
    await saveCheckpoint(host, dir, realHostIo);
    await lab.run(host, 'echo after-checkpoint > /run/marker; echo CHANGED', /CHANGED/);
    await host.powerOff();

    const t0 = performance.now();
    await restoreCheckpoint(host, dir, realHostIo);
    const answer = await lab.run(host, 'cat /run/marker /run/host-id', /before-checkpoint\s+edge-/);
    const elapsed = performance.now() - t0;
    expect(answer).toContain(ready.hostId);
    expect(host.power).toBe('on');
    expect(elapsed).toBeGreaterThan(0); // timing targets live in the benchmarks, not here
  });

  it('hot-plugs a USB stick into the running host and sees it leave', async () => {
    const host = lab.host({ diskFrom: disk });
    await host.powerOn();
    await host.waitForEvent('agent.ready', 60_000);
    await host.insertUsb(await lab.forge(lab.userData(), 'spare.img'));
    expect(await lab.run(host, 'for i in $(seq 50); do [ -b /dev/sda ] && break; usleep 200000; done; ls /dev/sda && echo HAVE-STICK', /HAVE-STICK|No such file/)).toContain('HAVE-STICK');
    await host.removeUsb();
    expect(await lab.run(host, 'for i in $(seq 50); do [ -b /dev/sda ] || break; usleep 200000; done; [ -b /dev/sda ] && echo STILL || echo GONE', /STILL|GONE/)).toContain('GONE');
    expect(host.usbStick).toBeNull();
  });

  it('powers off cleanly on the ACPI power button', async () => {
    const host = lab.host({ diskFrom: disk });
    const watching = host.waitForEvent('power.watching', 90_000);
    await host.powerOn();
    await watching;
    const off = host.waitForPower((p) => p.state === 'off', 30_000);
    await host.pressPowerButton();
    expect(await off).toMatchObject({ state: 'off', reason: 'guest-poweroff' });
    expect(host.console.text()).toContain('EDGE-EVENT os.shutdown');
  });

  it('connects the hosts of one lab on a private LAN through the lab hub', async () => {
    const hub = await LanHub.start();
    try {
      const a = lab.host({ diskFrom: disk, lan: { mac: '52:54:00:b0:00:01', address: '192.168.50.11/24', hub } });
      const b = lab.host({ diskFrom: disk, lan: { mac: '52:54:00:b0:00:02', address: '192.168.50.12/24', hub } });
      await Promise.all([a.powerOn(), b.powerOn()]);
      await Promise.all([a.waitForEvent('agent.ready', 90_000), b.waitForEvent('agent.ready', 90_000)]);
      const out = await lab.run(a, 'ping -c 2 -W 5 192.168.50.12 && echo LAN-OK || echo LAN-FAIL', /LAN-OK|LAN-FAIL/, 30_000);
      expect(out).toContain('LAN-OK');
      expect(hub.stats.forwarded).toBeGreaterThan(0);
      await Promise.all([a.powerOff(), b.powerOff()]);
    } finally {
      await hub.close();
    }
  });
});
