import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VmLab } from '../testing/vm-lab';
import { LanHub } from '../vm/lan-hub';
import type { EdgeHost } from './edge-host';

// The Palette TUI's initial setup, the lab's console version (guest/os/palette-tui), typed on a
// real host's serial console: a user, the host name, the LAN adapter and DNS, each answer checked,
// applied at once and again at the next boot.
let lab: VmLab;
let hub: LanHub;
beforeAll(async () => { lab = await VmLab.create(); hub = await LanHub.start(); });
afterAll(async () => { await lab.dispose(); await hub.close(); });

/** Types answers at the console as prompts appear; each prompt is looked for after the previous one. */
function dialogue(host: EdgeHost) {
  let from = host.console.text().length;
  const waitFor = async (text: string, timeoutMs = 30_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = host.console.text();
      const at = out.indexOf(text, from);
      if (at >= 0) {
        const seen = out.slice(from, at + text.length);
        from = at + text.length;
        return seen;
      }
      if (Date.now() > deadline) throw new Error(`[test] no "${text}" on the console; last output:\n${out.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    waitFor,
    async answer(prompt: string, text: string): Promise<string> {
      const seen = await waitFor(prompt);
      host.writeConsole(`${text}\n`);
      return seen;
    },
  };
}

describe('palette-tui on a real VM', () => {
  it('asks for a user, host name, LAN address and DNS, re-asks what is not usable, applies it and keeps it across a reboot', async () => {
    lab.endpoint.handler = (r) => (r.path.endsWith('/register')
      ? { status: 200, json: { status: 'registered', project: 'Default' } }
      : { status: 200, json: { status: 'ok' } });
    const host = lab.host({ diskFrom: await lab.installedDisk(lab.userData()), lan: { mac: '52:54:00:c0:00:11', address: '10.77.0.11/24', hub } });
    await host.powerOn();
    await host.waitForEvent('agent.ready', 60_000);
    expect(host.console.text()).toContain('Initial setup: type palette-tui on this console');

    const d = dialogue(host);
    host.writeConsole('palette-tui\n');
    await d.answer('User name: ', '9ops');
    expect(await d.answer('User name: ', 'ops')).toContain("'9ops' is not a user name");
    await d.answer('Password: ', 'secret');
    await d.answer('Confirm password: ', 'secret');
    await d.answer('Host name [', 'store42-node1');
    await d.answer('Addressing, dhcp or static [static]: ', '');
    await d.answer('IP address [10.77.0.11]: ', '10.77.0.300');
    expect(await d.answer('IP address [10.77.0.11]: ', '10.77.0.41')).toContain("'10.77.0.300' is not an IPv4 address");
    await d.answer('Subnet mask [255.255.255.0]: ', '');
    await d.answer('Gateway (empty: none', '');
    await d.answer('Primary DNS (empty: none): ', '10.77.0.53');
    await d.answer('Secondary DNS (empty: none): ', '');
    await d.answer('Search domain (empty: none): ', 'store42.lab');
    await d.waitFor('=== Setup saved and applied. Quit. ===');

    const check = async (): Promise<void> => {
      expect(await lab.run(host, 'hostname', /store42/)).toContain('store42-node1');
      const eth1 = await lab.run(host, 'ip -o -4 addr show dev eth1', /eth1/);
      expect(eth1).toContain('10.77.0.41/24');
      expect(eth1).not.toContain('10.77.0.11/');
      const resolv = await lab.run(host, 'cat /etc/resolv.conf', /nameserver/);
      expect(resolv).toMatch(/^nameserver 10\.77\.0\.53$/m);
      expect(resolv).toMatch(/^search store42\.lab$/m);
      expect(await lab.run(host, 'grep ^ops: /etc/passwd', /ops/)).toMatch(/^ops:\$6\$[^:]+:1001:1001:ops:\/home\/ops:\/bin\/sh$/m);
    };
    await check();

    // Kept in COS_OEM: the next boot applies it again, and the agent reports the new address.
    await host.powerOff();
    const printed = host.console.text().length;
    await host.powerOn();
    const ready = await host.waitForEvent('agent.ready', 60_000);
    expect(ready.ip).toBe('10.77.0.41');
    expect(host.console.text().slice(printed)).not.toContain('Initial setup: type palette-tui');
    await check();
    await host.powerOff();
  }, 300_000);
});
