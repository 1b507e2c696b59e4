import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectUid } from '../pure/palette/project-uid';
import { qrOnConsole } from '../testing/qr-reader';
import { VmLab } from '../testing/vm-lab';

let lab: VmLab;
beforeAll(async () => { lab = await VmLab.create(); });
afterAll(async () => { await lab.dispose(); });

describe('registration modes and OS images on a real VM', () => {
  it('with disableAutoRegister the host waits to be registered by its ID, shows the QR code of registrationURL, then registers when Palette has it; it sends projectUid and the tags of tagsFromFile, and uses the nameserver', async () => {
    let approved = false;
    lab.endpoint.handler = (r) => r.path.endsWith('/register')
      ? { status: 200, json: approved ? { status: 'registered', project: 'Default', hostKey: 'test-host-key-1' } : { status: 'pending' } }
      : { status: 200, json: {} };
    const site = [
      '    disableAutoRegister: true', '    name: store0042-node1', `    projectUid: ${projectUid('Retail-East')}`,
      '    tagsFromFile: { fileName: /etc/os-release }', '    network: { nameserver: 10.77.0.53 }',
      '    registrationURL: http://127.0.0.1:3000/edge-registration', '',
    ].join('\n');
    const disk = await lab.installedDisk(lab.userData(site));
    const host = lab.host({ diskFrom: disk });
    await host.powerOn();
    const waiting = await host.waitForEvent('agent.waiting-for-registration', 60_000);
    expect(waiting.hostId).toBe('store0042-node1'); // `name` wins over the device UID
    expect(host.console.text()).toContain('In Palette, add Edge Host ID store0042-node1');
    // The QR code on the console, read back by a QR reader, and the same address under it.
    const registrationUrl = 'http://127.0.0.1:3000/edge-registration?edgeHostId=store0042-node1';
    expect(qrOnConsole(host.console.text()), `the QR code on the console was not read back; the console says:\n${host.console.text().slice(-4000)}`).toBe(registrationUrl);
    expect(host.console.text()).toContain(`  ${registrationUrl}\r\n`);
    const req = await lab.endpoint.waitFor((r) => r.path.endsWith('/register'));
    expect(req.body).toMatchObject({ hostId: 'store0042-node1', autoRegister: false, token: 'tok-lab-123', projectUid: projectUid('Retail-East') });
    // The user data's own tag first, then /etc/os-release's lines as tags (quotes removed); a
    // value with a comma cannot be a tag and is named as skipped.
    expect((req.body as { tags: string }).tags).toBe('region=east,ID=edge-lab,NAME=Edge Lab OS,VERSION_ID=1');
    expect(host.console.text()).toContain('agent: tags with those from /etc/os-release: region=east,ID=edge-lab,NAME=Edge Lab OS,VERSION_ID=1');
    expect(host.console.text()).toContain('agent: tagsFromFile: skipped: PRETTY_NAME');
    expect(await lab.run(host, 'cat /etc/resolv.conf', /nameserver/)).toMatch(/^nameserver 10\.77\.0\.53$/m);
    approved = true;
    const registered = await host.waitForEvent('agent.registered', 30_000);
    expect(registered.hostId).toBe('store0042-node1');
    // Registered, the host keeps its key; at the next boot there is no QR code to scan.
    const said = host.console.text().length;
    expect(await host.shutdown(30_000)).toBe('guest');
    await host.powerOn();
    await host.waitForEvent('agent.registered', 60_000);
    expect(host.console.text().slice(said)).not.toContain('Scan to register');
  });

  it('the provider OS image installs, boots and carries etcd and kubectl', async () => {
    const stick = await lab.forge(lab.userData(), 'provider.img', 'provider');
    const host = lab.host();
    await host.insertUsb(stick);
    await host.powerOn();
    await host.waitForEvent('install.complete', 90_000);
    await host.powerOff();
    await host.removeUsb();
    await host.powerOn();
    const booted = await host.waitForEvent('os.booted', 60_000);
    expect(booted.os).toBe('edge-lab-provider');
    expect(await lab.run(host, 'cat /etc/os-release', /Provider OS/)).toContain('ID=edge-lab-provider');
    // The real parts of the cluster runtime, from Debian, run in the guest.
    expect(await lab.run(host, 'etcd --version', /etcd Version/, 60_000)).toMatch(/etcd Version: 3\.4\./);
    expect(await lab.run(host, 'kubectl version --client --short', /Client Version/, 60_000)).toMatch(/Client Version: v1\.20\./);
  });
});
