import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSiteStick } from '../images/site-stick';
import { VmLab } from '../testing/vm-lab';

// Site user data on a real host: a CIDATA stick (images/site-stick.ts) in the USB port of an
// installed host is not booted; the Edge OS reads it at its first boot from disk, its settings win
// over the installer's, and it is not read again at a later boot.
let lab: VmLab;
beforeAll(async () => { lab = await VmLab.create(); });
afterAll(async () => { await lab.dispose(); });

describe('site user data (CIDATA stick) on a real VM', () => {
  it('is read at the first boot from disk, wins over the installer\'s user data, and is read only once', async () => {
    lab.endpoint.handler = (r) => (r.path.endsWith('/register')
      ? { status: 200, json: { status: 'registered', project: 'Retail-East' } }
      : { status: 200, json: { status: 'ok' } });
    const site = '#cloud-config\nstylus:\n  site:\n    projectName: Retail-East\n    tags:\n      store: "42"\n';
    const stick = join(lab.dir, 'site.img');
    await buildSiteStick({ userDataText: site, userDataFile: 'site.yaml', out: stick });

    const host = lab.host({ diskFrom: await lab.installedDisk(lab.userData()) });
    await host.insertUsb(stick);
    await host.powerOn();
    expect(host.bootDevice()).toBe('disk');
    await host.waitForEvent('agent.ready', 60_000);
    expect(host.console.text()).toContain("Site user data read from the CIDATA stick; kept in /oem/user-data. Its settings win over the installer's.");
    const req = await lab.endpoint.waitFor((r) => r.path.endsWith('/register'), 30_000);
    // The site's project and tags, not the installer's (which has no project and region=east).
    expect(req.body).toMatchObject({ projectName: 'Retail-East', tags: 'store=42' });
    expect(await lab.run(host, 'cat /oem/user-data', /projectName/)).toContain('projectName: Retail-East');

    // A later boot with the stick still in: not read again, and it says so.
    await host.powerOff();
    const printed = host.console.text().length;
    await host.powerOn();
    await host.waitForEvent('agent.ready', 60_000);
    const later = host.console.text().slice(printed);
    expect(later).toContain('Site user data: a CIDATA stick is in, but this host read its site user data at its first boot; it is not read again.');
    expect(later).not.toContain('Site user data read from the CIDATA stick');
    await host.powerOff();
  }, 300_000);
});
