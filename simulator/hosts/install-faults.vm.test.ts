import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '../pure/console-events';
import type { EdgeHost } from './edge-host';
import { VmLab } from '../testing/vm-lab';

// Real QEMU guests: an installer stick pulled in the middle of a real install
// (issue 13: the install reported complete without the user data), and the
// same install left alone.
let lab: VmLab;
beforeAll(async () => { lab = await VmLab.create(); });
afterAll(async () => { await lab.dispose(); });

/** Every console event of `host` from now on, in order. */
function record(host: EdgeHost): ConsoleEvent[] {
  const events: ConsoleEvent[] = [];
  host.on('event', (e) => events.push(e));
  return events;
}

const steps = (events: readonly ConsoleEvent[]): string[] => events.flatMap((e) => (e.type === 'install.step' ? [e.step] : []));

describe('installer faults on a real VM', () => {
  it('a stick pulled as the installer copies the user data fails the install (usb-removed) and never reports it complete', async () => {
    const stick = await lab.forge(lab.userData());
    // Timing: the copy of the user data lasts a few tens of ms under TCG, less
    // than a pull takes (console line to us, QMP device_del, the guest dropping
    // the device), so a pull on seeing the step would often land after it.
    // edge.test.hold makes the installer wait after announcing the step until
    // the stick's device is gone, then copy: the copy is the first read of the
    // stick after the pull, every run.
    const host = lab.host({ extraKernelArgs: 'edge.test.hold=copying-user-data' });
    const events = record(host);
    await host.insertUsb(stick);
    const copying = host.waitForEvent('install.step', 90_000, (e) => e.step === 'copying-user-data');
    // The install's outcome, whichever comes first (before the fix: install.complete).
    const outcome = Promise.race([host.waitForEvent('install.failed', 90_000), host.waitForEvent('install.complete', 90_000)]);
    outcome.catch(() => {}); // awaited below; a failure before that must not go unhandled
    await host.powerOn();
    await copying;
    await host.removeUsb();

    const f = await outcome;
    if (f.type !== 'install.failed') throw new Error(`[test] the install reported ${f.type} with the stick pulled`);
    expect(f.reason).toBe('usb-removed');
    expect(f.fields.step).toBe('user-data');
    expect(host.fault).toMatchObject({ code: 'install-failed', reason: 'usb-removed' });
    expect(host.console.text()).toContain('The installer USB stick was removed during the install: insert it and restart the host to install again.');
    // The installer halts at the failure: nothing after it, however long we wait.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(events.map((e) => e.type)).not.toContain('install.complete');
    expect(steps(events)).not.toContain('user-data-stored');
    expect(host.console.text()).not.toContain('Installation Complete');
    expect(host.power).toBe('on');
  });

  it('without a pull the same install completes, with the user data on the disk as written', async () => {
    const userData = lab.userData();
    const stick = await lab.forge(userData);
    const host = lab.host();
    const events = record(host);
    await host.insertUsb(stick);
    await host.powerOn();
    const done = await host.waitForEvent('install.complete', 90_000);
    expect(done.action).toBe('none');
    expect(events.map((e) => e.type)).not.toContain('install.failed');
    expect(steps(events)).toEqual(['partitioned', 'formatted', 'os-written', 'os-written', 'os-written', 'copying-user-data', 'user-data-stored']);
    const sum = await lab.run(host, 'mount -t ext4 -o ro /dev/vda1 /mnt/oem && sha256sum /mnt/oem/90_custom.yaml; umount /mnt/oem', /90_custom\.yaml/);
    expect(sum).toContain(`${createHash('sha256').update(userData).digest('hex')}  /mnt/oem/90_custom.yaml`);
  });
});
