import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveHostId } from '../pure/host-id';
import { VmLab } from '../testing/vm-lab';

// Real QEMU guests: a forged Edge Installer stick, a real install onto a
// qcow2 disk, a boot from that disk, and the agent calling a local listener.
const HOST_KEY = 'k3y_Of-this-host0123456789abcdefghijklmnopq';
let lab: VmLab;
beforeAll(async () => {
  lab = await VmLab.create();
  // As Palette answers: a host key with every `registered`.
  lab.endpoint.handler = (r) => (r.path.endsWith('/register')
    ? { status: 200, json: { status: 'registered', project: 'Default', hostKey: HOST_KEY } }
    : { status: 200, json: { status: 'ok' } });
});
afterAll(async () => { await lab.dispose(); });

describe('install handoff and registration on a real VM', () => {
  it('installs from the stick, stays on Installation Complete, then boots from disk and registers with its ID and token', async () => {
    const uuid = '6b1f0c2e-8d4a-4c1e-9f3b-2a7d5e6c8b90';
    const stick = await lab.forge(lab.userData());
    const host = lab.host({ uuid });
    await host.insertUsb(stick);
    const firstBoot = host.waitForPower((p) => p.state === 'on', 10_000);
    await host.powerOn();
    expect(await firstBoot).toMatchObject({ device: 'usb' });
    const done = await host.waitForEvent('install.complete', 90_000);
    expect(done.action).toBe('none');
    expect(host.console.text()).toContain('Installation Complete');
    expect(host.power).toBe('on'); // install.reboot/poweroff default to false

    // The real layout, written by the installer inside the guest.
    const labels = await lab.run(host, 'for l in COS_OEM COS_RECOVERY COS_ACTIVE COS_PASSIVE COS_PERSISTENT; do echo "$l=$(findfs LABEL=$l)"; done', /COS_PERSISTENT=/);
    expect(labels).toMatch(/COS_OEM=\/dev\/vda1\s+COS_RECOVERY=\/dev\/vda2\s+COS_ACTIVE=\/dev\/vda5\s+COS_PASSIVE=\/dev\/vda6\s+COS_PERSISTENT=\/dev\/vda7/);

    await host.powerOff();
    await host.removeUsb();
    const diskBoot = host.waitForPower((p) => p.state === 'on', 10_000);
    await host.powerOn();
    expect(await diskBoot).toMatchObject({ device: 'disk' });
    const expectedId = deriveHostId({ deviceUid: uuid, random: () => 'unused' }).id;
    const ready = await host.waitForEvent('agent.ready', 60_000);
    expect(ready.hostId).toBe(expectedId);
    expect(ready.ip).toBe('10.0.2.15');
    expect(host.console.text()).toMatch(new RegExp(`MachineID: ${expectedId}`));
    expect(host.console.text()).toMatch(/MachineIP: 10\.0\.2\.15/);

    const reg = await lab.endpoint.waitFor((r) => r.path === '/v1/edge/hosts/register', 30_000);
    expect(reg.body).toMatchObject({ hostId: expectedId, token: 'tok-lab-123', autoRegister: true, tags: 'region=east', mac: '52:54:00:a0:00:01' });
    // The request names the endpoint as the user-data does: the Host header the agent listener checks.
    expect(reg.headers.host).toBe('api.palette.lab');
    expect(reg.headers.origin).toBeUndefined();
    await host.waitForEvent('agent.registered', 30_000);
    // The host key from the registration answer is kept in COS_OEM, readable by root only, and sent with every heartbeat.
    const beat = await lab.endpoint.waitFor((r) => r.path.endsWith('/heartbeat'), 60_000);
    expect(beat.headers.authorization).toBe(`Bearer ${HOST_KEY}`);
    expect(await lab.run(host, 'ls -l /oem/host-key; cat /oem/host-key', /host-key/)).toMatch(new RegExp(`^-rw-------[\\s\\S]*^${HOST_KEY}$`, 'm'));

    // The user-data is stored in COS_OEM as written.
    expect(await lab.run(host, 'cat /oem/90_custom.yaml', /edgeHostToken/)).toContain('tok-lab-123');
    // The guest reaches its endpoint and nothing else: the simulator's own port
    // through slirp's host alias is blocked by restrict=on.
    const blocked = await lab.run(host, `timeout 5 wget -q -O - http://10.0.2.2:${lab.endpoint.port}/v1/x && echo REACHED || echo BLOCKED`, /REACHED|BLOCKED/);
    expect(blocked).toContain('BLOCKED');
  });

  it('with install.reboot and the stick left in, the host installs again; without the stick it boots from disk', async () => {
    const stick = await lab.forge(lab.userData('', '  reboot: true\n'));
    const host = lab.host();
    await host.insertUsb(stick);
    await host.powerOn();
    await host.waitForEvent('install.complete', 90_000);
    const again = await host.waitForEvent('install.started', 60_000);
    expect(again.version).toBeTruthy();
    expect(host.console.text().match(/install\.started/g)?.length).toBe(2);
    await host.removeUsb();
    await host.reset();
    const slot = await host.waitForEvent('boot.slot', 60_000);
    expect(slot.slot).toBe('active');
    await host.waitForEvent('agent.registered', 60_000);
  });

  it('refuses a disk that is too small, with a clear console message and a machine-readable failure', async () => {
    const stick = await lab.forge(lab.userData());
    const host = lab.host({ diskSizeMb: 256 });
    await host.insertUsb(stick);
    await host.powerOn();
    const failed = await host.waitForEvent('install.failed', 60_000);
    expect(failed.reason).toBe('disk-too-small');
    expect(Number(failed.fields.have_mb)).toBe(256);
    expect(Number(failed.fields.need_mb)).toBeGreaterThan(256);
    expect(host.console.text()).toMatch(/The disk is too small: 256 MiB found, at least \d+ MiB needed/);
    expect(host.fault).toMatchObject({ code: 'install-failed', reason: 'disk-too-small' });
  });
});
