/**
 * Day-2 rolling upgrade on real VMs: scenario ha-three-cp to Running, then a newer profile version
 * (Kubernetes 1.33.1) is applied. Each host writes the new provider image to its passive partition
 * and reboots into it, one at a time, control planes first; the worker counts the healthy etcd
 * members every second throughout, and never fewer than two answer. Every host then reports the
 * new version and kubectl lists every node at v1.33.1. Then the version broken on purpose: the
 * first control plane uses up its boot tries, boots back into its previous partition, and the
 * cluster reports the failed upgrade and stops the roll there.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HA_CONTROL_PLANES, haThreeCp } from '../pure/scenarios/ha-three-cp';
import { startLabServer, type LabServer } from '../server/lab-server';
import { kubectlUntil, playHa, readyLine, type HaLab } from './ha-drills';
import { BROKEN_VERSION, GOOD_VERSION, healthyIn, quorumLost, readCluster, rollingUpgrade, saveVersion, unanswered } from './upgrade-drills';

const MINUTE = 60_000;
const say = (line: string): void => console.log(`[upgrade] ${line}`);

describe('Day-2 on real VMs: rolling upgrade of ha-three-cp, and the boot fallback', () => {
  let server: LabServer;
  let dataDir: string;
  let lab: HaLab | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-upgrade-'));
    server = await startLabServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    lab?.client.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('repaves every host one at a time with the etcd quorum kept; a broken image falls back and stops the roll', async () => {
    lab = await playHa(server.url);
    say(`scenario to Running: ${lab.playedS.toFixed(1)} s`);
    const hostIds = (await readCluster(lab)).nodes.map((n: { hostId: string }) => n.hostId) as string[];

    // A good new version rolls over every host, control planes first.
    await saveVersion(lab, GOOD_VERSION);
    const roll = await rollingUpgrade(lab, GOOD_VERSION.version);
    say(`control planes repaved in ${roll.controlPlanesS.toFixed(1)} s, all hosts in ${roll.endedS.toFixed(1)} s; members per second (H healthy, F not, - no answer): ${roll.samples.join(' ')}`);
    expect(roll.upgrade.state).toBe('done');
    expect(roll.upgrade.order).toEqual(hostIds);
    expect(roll.upgrade.done).toEqual(hostIds);
    // The quorum held throughout: the watch ran, and no member ever said it was unhealthy while
    // fewer than two were healthy. Seconds in which the others gave no answer at all are counted.
    expect(roll.samples.length).toBeGreaterThan(5);
    say(`samples without a verdict (fewer than two healthy, the rest silent): ${unanswered(roll.samples).length} of ${roll.samples.length}`);
    expect(quorumLost(roll.samples)).toEqual([]);
    // And a member really was down at some point: the roll did reboot control planes.
    expect(roll.samples.map(healthyIn)).toContain(2);

    const after = await readCluster(lab);
    expect(after.status).toBe('Running');
    expect(after.profile.version).toBe(GOOD_VERSION.version);
    for (const n of after.nodes) expect(n.version).toBe(GOOD_VERSION.version);
    const events = (after.events as Array<{ message: string }>).map((e) => e.message).join('\n');
    expect(events).toMatch(new RegExp(`Cluster edge-lab-ha upgraded to ${GOOD_VERSION.version}`));
    // Every node runs the new Kubernetes version, Ready, as kubectl through the VIP lists them.
    const out = await kubectlUntil(lab, (o) => lab!.nodes.every((n) => new RegExp(`^${n}\\s+Ready\\b.*v${GOOD_VERSION.k8s}`, 'm').test(o)), 2 * MINUTE, `every node Ready at v${GOOD_VERSION.k8s}`);
    for (const n of lab.nodes) expect(out).toMatch(readyLine(n));
    // Each host booted the other slot and made it its saved entry.
    const firstCp = haThreeCp.hosts[0]!.name;
    const slotNow = (await lab.client.run(firstCp, 'cat /etc/edge-slot; grep saved_entry /oem/grubenv', MINUTE));
    expect(slotNow).toMatch(/^active\s*$[\s\S]*saved_entry=active/m);

    // The version broken on purpose: the first control plane falls back and the roll stops.
    await saveVersion(lab, BROKEN_VERSION);
    const broken = await rollingUpgrade(lab, BROKEN_VERSION.version);
    say(`broken version: fell back after ${broken.endedS.toFixed(1)} s; members per second: ${broken.samples.join(' ')}`);
    expect(broken.upgrade.state).toBe('failed');
    expect(broken.upgrade.failed).toMatchObject({ hostId: hostIds[0], slot: 'active' });
    expect(broken.upgrade.done).toEqual([]);
    expect(quorumLost(broken.samples)).toEqual([]);
    const c = await readCluster(lab);
    expect(c.status).toBe('Running');
    expect(c.profile.version).toBe(GOOD_VERSION.version);
    const msgs = (c.events as Array<{ message: string }>).map((e) => e.message).join('\n');
    expect(msgs).toContain(`Upgrade failed on ${hostIds[0]}: booted back into active`);
    // The host really tried the broken image and came back: its console shows the tries and the fallback.
    const con = lab.client.consoleText(firstCp);
    expect(con).toMatch(/EDGE-EVENT boot\.upgrade-try slot=passive/);
    expect(con).toMatch(/broken on purpose/);
    expect(con).toMatch(/EDGE-EVENT boot\.upgrade-fallback slot=active failed=passive/);
    expect(await lab.client.run(firstCp, 'cat /etc/edge-slot; grep -c upgrade_ /oem/grubenv', MINUTE)).toMatch(/^active\s*$[\s\S]*^0\s*$/m);
    // The others were never told, and every node is Ready again at the good version.
    const back = await kubectlUntil(lab, (o) => lab!.nodes.every((n) => new RegExp(`^${n}\\s+Ready\\b.*v${GOOD_VERSION.k8s}`, 'm').test(o)), 3 * MINUTE, 'every node Ready again');
    expect(back).toMatch(readyLine(lab.nodes[HA_CONTROL_PLANES]!));
  }, 45 * MINUTE);
});
