/**
 * The Troubleshooting page in a real browser: its hosts part offers the drill button, pulling the
 * cable shows on the host's card and in the lab's chart, and the fix is offered and works; the
 * drill's Check my work answers from the lab's state each time. (The cable drill's effect on a
 * booted guest, no carrier and no registration until it is back, and the check passing once the
 * host registers, run on a real VM in simulator/scenarios/registration.vm.test.ts.) The guides'
 * own hosts part shows no drill button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import { HOST, hostCard, pressHostButton, unexpectedConsoleErrors } from './guide-steps';

const MINUTE = 60_000;
const UNPLUG = 'Unplug the network cable';
const PLUG = 'Plug the network cable back in';

describe('the Troubleshooting page in the browser', () => {
  let lab: GuideLab;

  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('pulls a host\'s network cable and plugs it back in from the drill buttons', async () => {
    const { page, problems, url } = await lab.newPage();
    await page.goto(url('/troubleshooting'));
    await pressHostButton(page, UNPLUG);
    const card = hostCard(page, HOST);
    await card.locator('[data-cable="unplugged"]').waitFor({ timeout: MINUTE });
    const remembered = await lab.rememberedLab(page);
    const space = (await lab.labServer.labs.get(remembered!.labId))!;
    expect(space.runtime.view().view.hosts[HOST]!.data.cableUnplugged).toBe(true);
    expect(space.vms.get(HOST)!.cablePlugged).toBe(false);
    expect(await card.getByRole('button', { name: UNPLUG, exact: true }).count()).toBe(0);
    await screenshot(page, 'troubleshooting-cable-out');
    // The drill's Check my work reads the lab's state: the cable is still out.
    const check = page.locator('[data-drill-check="cable"]');
    await check.getByRole('button', { name: 'Check my work' }).click();
    await check.getByRole('status').filter({ hasText: "edge-host-1's network cable is still out" }).waitFor({ timeout: MINUTE });
    expect(await check.getAttribute('data-passed')).toBe('false');

    await pressHostButton(page, PLUG);
    await expect.poll(() => card.locator('[data-cable="unplugged"]').count(), { timeout: MINUTE }).toBe(0);
    expect(space.vms.get(HOST)!.cablePlugged).toBe(true);
    // With the cable in, what is left is the host itself: off, so not registered yet.
    await check.getByRole('button', { name: 'Check my work' }).click();
    await check.getByRole('status').filter({ hasText: 'edge-host-1 is off: power it on from its disk' }).waitFor({ timeout: MINUTE });
    expect(await check.getAttribute('data-passed')).toBe('false');

    // The disk drill's swap, both ways, with the host off; the box follows.
    await pressHostButton(page, 'Swap in a disk that is too small');
    await card.locator('[data-disk="small"]').waitFor({ timeout: MINUTE });
    expect(space.vms.get(HOST)!.smallDisk).toBe(true);
    await pressHostButton(page, 'Put the host\'s own disk back');
    await expect.poll(() => card.locator('[data-disk="small"]').count(), { timeout: MINUTE }).toBe(0);
    expect(space.vms.get(HOST)!.smallDisk).toBe(false);

    // The registry drill: the lab registry's row says it serves a damaged copy until the image is pushed again.
    // The guide's profile uses edge-lab-provider (the registry also holds the upgrade drill's broken image).
    const repository = 'edge-lab-provider';
    const image = page.locator(`[data-lab-part="registry"] tr[data-registry-image="${repository}"]`);
    await image.getByRole('button', { name: 'Damage the image in the registry' }).click();
    await image.and(page.locator('[data-damaged="true"]')).waitFor({ timeout: MINUTE });
    expect(await space.palette.registry.isDamaged(repository)).toBe(true);
    const checksum = page.locator('[data-drill-check="checksum"]');
    await checksum.getByRole('button', { name: 'Check my work' }).click();
    await checksum.getByRole('status').filter({ hasText: `The lab registry still serves a damaged copy of ${repository}` }).waitFor({ timeout: MINUTE });
    await screenshot(page, 'troubleshooting-registry-damaged');
    await image.getByRole('button', { name: 'Push the provider image again' }).click();
    await image.and(page.locator('[data-damaged="false"]')).waitFor({ timeout: MINUTE });
    expect(await space.palette.registry.isDamaged(repository)).toBe(false);
    // Whole again, the check asks for what the drill needs next: a host in a cluster.
    await checksum.getByRole('button', { name: 'Check my work' }).click();
    await checksum.getByRole('status').filter({ hasText: 'No host is in a cluster yet' }).waitFor({ timeout: MINUTE });

    // The VIP clash drill: a machine put on the offered address (the cluster's VIP) shows in the
    // LAN part with its MAC, the check names it, and it is taken off again from its row.
    const lan = page.locator('[data-lab-part="lan"]');
    expect(await lan.locator('[data-field="device-ip"]').inputValue()).toBe('10.77.0.100');
    await lan.getByRole('button', { name: 'Put a machine on this address' }).click();
    const device = lan.locator('tr[data-lan-device="10.77.0.100"]');
    await device.filter({ hasText: '0e:a1:0a:4d:00:64' }).waitFor({ timeout: MINUTE });
    expect((await space.lan.devices()).map((d) => d.ip)).toEqual(['10.77.0.100']);
    const vipCheck = page.locator('[data-drill-check="vip-clash"]');
    await vipCheck.getByRole('button', { name: 'Check my work' }).click();
    await vipCheck.getByRole('status').filter({ hasText: 'A device on the LAN (0e:a1:0a:4d:00:64) uses 10.77.0.100. No cluster yet' }).waitFor({ timeout: MINUTE });
    // A second machine on the same address is refused, with the reason on the page.
    await lan.getByRole('button', { name: 'Put a machine on this address' }).click();
    await lan.getByText('a device already uses 10.77.0.100').waitFor({ timeout: MINUTE });
    await screenshot(page, 'troubleshooting-lan-device');
    await device.getByRole('button', { name: 'Take the machine off the LAN' }).click();
    await device.waitFor({ state: 'detached', timeout: MINUTE });
    expect(await space.lan.devices()).toEqual([]);

    // A guide's hosts part offers no drill.
    await page.goto(url('/perform-site-install'));
    await hostCard(page, HOST).getByRole('button', { name: 'Power on', exact: true }).waitFor({ timeout: MINUTE });
    expect(await hostCard(page, HOST).getByRole('button', { name: UNPLUG, exact: true }).count()).toBe(0);
    expect(await hostCard(page, HOST).getByRole('button', { name: 'Swap in a disk that is too small', exact: true }).count()).toBe(0);

    expect(problems.pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors(problems.consoleErrors)).toEqual([]);
  }, 5 * MINUTE);
});
