// Registration against real hosts through the lab server: a restart of the simulator in the
// middle of Registration resumes, and refusals reach the host's console and the lab view.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HANDOFF_STEP_PATH } from '../pure/machines/lab.steps';
import { singleNode } from '../pure/scenarios/single-node';
import type { LabView } from '../pure/protocol';
import type { EdgeHost } from '../hosts/edge-host';
import { startLabServer, type LabServer } from '../server/lab-server';
import { createLab, hostTrouble, LabClient } from './lab-client';

const HOST = 'edge-host-1';
const MINUTE = 60_000;
const phase = (v: LabView, id: string): string | undefined => v.phases.find((p) => p.id === id)?.status;
const host = (v: LabView) => v.hosts[HOST]!;

let dataDir: string;
let server: LabServer | undefined;
const clients: LabClient[] = [];

beforeAll(async () => { dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-registration-')); });
afterEach(() => { for (const c of clients.splice(0)) c.close(); });
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function connect(url: string, lab: Awaited<ReturnType<typeof createLab>>): Promise<LabClient> {
  const c = new LabClient(url, lab);
  clients.push(c);
  await c.connect();
  return c;
}

/** Profile, token (with or without a project), installer, install, handoff: the lab stands at Registration. */
async function installedLab(s: LabServer, token: { project?: string; value?: string } = { project: 'Default' }) {
  const lab = await createLab(s.url, 'single-node');
  const c = await connect(s.url, lab);
  await c.call('POST', '/palette/v1/profiles', singleNode.profile, [201], 'profile');
  const t = await c.call('POST', '/palette/v1/tokens', { name: 'site-token', ...(token.project ? { project: token.project } : {}) }, [201], 'token');
  const value = token.value ?? String(t.value ?? t.token?.value);
  const inst = await c.call('POST', '/installers', { userData: singleNode.userData({ token: value, endpoint: 'api.palette.lab', host: singleNode.hosts[0]! }) }, [201], 'installer');
  await c.command({ kind: 'host', hostId: HOST }, 'INSERT_USB', { image: inst.id });
  await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
  // Installed, the lab waits at the handoff step; the hosts go to the site only when handed over.
  await c.waitForView((v) => (v.data.step as { path?: string } | null)?.path === HANDOFF_STEP_PATH && host(v).tags.includes('off'), 3 * MINUTE, 'the install to finish', hostTrouble);
  await c.command({ kind: 'lab' }, 'HAND_OFF');
  await c.waitForView((v) => phase(v, 'install-handoff') === 'done', MINUTE, 'the hosts to be handed over to the site');
  await c.command({ kind: 'host', hostId: HOST }, 'REMOVE_USB');
  return { lab, c };
}

/** `wait`, or its error with the host's last console lines and chart facts added, to see why. */
async function showingConsole<T>(vm: EdgeHost, c: LabClient, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (err) {
    const tail = new TextDecoder().decode(vm.console.history()).replace(/\r/g, '').split('\n').slice(-40).join('\n');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nhost facts: ${JSON.stringify(c.view?.hosts[HOST]?.data)}\nconsole tail:\n${tail}`);
  }
}

/** Types `command` on the host's serial console as a person would; what it printed. */
async function typeOn(vm: EdgeHost, command: string, timeoutMs = 20_000): Promise<string> {
  const mark = `@@${Math.random().toString(36).slice(2, 8)}@@`;
  const from = vm.console.end;
  vm.writeConsole(`${command}; echo "${mark.slice(0, 2)}""${mark.slice(2)}"\n`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = new TextDecoder().decode(vm.console.history().subarray(Math.max(0, from - vm.console.start))).replace(/\r/g, '');
    const at = text.indexOf(mark);
    if (at >= 0) return text.slice(0, at);
    if (Date.now() > deadline) throw new Error(`[test] \`${command}\` did not finish within ${timeoutMs} ms; got:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('registration through the lab server, real VMs', () => {
  it('resumes after the simulator restarts in the middle of Registration', async () => {
    server = await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server);
    // Registration mode, agent up, but registration not yet confirmed by a check.
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await c.waitForView((v) => JSON.stringify(host(v).state).includes('registrationMode') && host(v).data.hostId === HOST, 2 * MINUTE, 'the agent to start in registration mode');
    const seqBefore = c.seq;
    c.close();
    await server.close();

    server = await startLabServer({ port: 0, dataDir });
    const again = await connect(server.url, lab);
    const v = again.view!;
    expect(phase(v, 'registration')).not.toBe('pending');
    expect(phase(v, 'install-handoff')).toBe('done');
    expect(host(v).tags).toContain('off');
    expect(again.seq).toBeGreaterThanOrEqual(seqBefore);
    // What the host printed before the restart is still on its console.
    again.attachConsole(HOST);
    for (let i = 0; i < 50 && !again.consoleText(HOST).includes(`MachineID: ${HOST}`); i++) await new Promise((r) => setTimeout(r, 100));
    expect(again.consoleText(HOST)).toContain(`MachineID: ${HOST}`);

    await again.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await again.waitForView((x) => phase(x, 'registration') === 'done', 2 * MINUTE, 'registration after the restart', hostTrouble);
    // Palette's record proves the step; the host's own console confirms it a moment later.
    const done = await again.waitForView((x) => host(x).data.project === 'Default' && JSON.stringify(host(x).state).includes('paired'), MINUTE, 'the agent to say it is registered');
    expect(host(done).data).toMatchObject({ hostId: HOST, project: 'Default' });
    expect(host(done).state).toMatchObject({ powered: { paired: { lifecycle: 'registered' } } });
    const rows = await again.call('GET', '/palette/v1/edgehosts', undefined, [200], 'edge hosts');
    expect(JSON.stringify(rows)).toContain(HOST);

    // Someone at the host's console (the site technician) tries what only the tenant admin, or
    // another host's agent, may do. The agent endpoint refuses; the host's own agent carries on.
    const space = (await server.labs.get(lab.labId))!;
    const vm = space.vms.get(HOST)!;
    const other = await space.palette.hosts.agentRegister({ hostId: 'edge-other', token: (await space.palette.tokens.list())[0]!.value, autoRegister: true, mac: '52:54:00:0f:0f:0f' });
    expect(other).toMatchObject({ status: 'registered' });
    const typedAt = Date.now();
    const wget = 'wget -q -O - --header "Content-Type: application/json"';
    const approve = await typeOn(vm, `${wget} --post-data '' http://api.palette.lab/v1/edge/hosts/${HOST}/approve; echo "rc=$?"`);
    expect(approve).toMatch(/404 Not Found[\s\S]*rc=1/);
    const approveNew = await typeOn(vm, `${wget} --post-data '' http://api.palette.lab/v1/edge/hosts/edge-intruder/approve; echo "rc=$?"`);
    expect(approveNew).toMatch(/404 Not Found[\s\S]*rc=1/);
    expect(await typeOn(vm, `${wget} http://api.palette.lab/v1/edge/hosts; echo "rc=$?"`)).toMatch(/404 Not Found[\s\S]*rc=1/);
    const beat = `--post-data '{"hostId":"edge-other","ip":"10.6.6.6"}' http://api.palette.lab/v1/edge/hosts/edge-other/heartbeat; echo`;
    expect(await typeOn(vm, `${wget} ${beat}`)).toMatch(/"status":"refused","code":"host-credential"/);
    // Not even with this host's own key, which root on the console can read.
    expect(await typeOn(vm, `${wget} --header "Authorization: Bearer $(cat /oem/host-key)" ${beat}`)).toMatch(/"status":"refused","code":"host-credential"/);
    expect(await space.palette.hosts.get('edge-intruder')).toBeUndefined();
    expect(await space.palette.hosts.get('edge-other')).toMatchObject({ ip: '', lastHeartbeatAt: null });
    // The host's own agent keeps beating with its key: a heartbeat after the attempts, and Healthy.
    for (let i = 0; i < 70 && ((await space.palette.hosts.get(HOST))?.lastHeartbeatAt ?? 0) <= typedAt; i++) await new Promise((r) => setTimeout(r, 1_000));
    expect(await space.palette.hosts.get(HOST)).toMatchObject({ registration: 'registered', health: 'Healthy', lastHeartbeatAt: expect.any(Number) });
    expect((await space.palette.hosts.get(HOST))!.lastHeartbeatAt!).toBeGreaterThan(typedAt);
    expect(vm.console.text()).not.toMatch(/agent: Palette did not accept the host key/);
    await server.labs.delete(lab.labId);
  }, 600_000);

  it('shows a wrong token as a refusal on the console and in the view', async () => {
    server ??= await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server, { project: 'Default', value: 'not-a-real-token' });
    c.attachConsole(HOST);
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    const v = await c.waitForView((x) => host(x).data.refusal === 'token-unknown', 2 * MINUTE, 'the token-unknown refusal');
    expect(host(v).tags).toContain('error');
    expect(c.consoleText(HOST)).toMatch(/registration refused \(token-unknown\)/);
    await server.labs.delete(lab.labId);
  }, 600_000);

  it('refuses a host whose token expired, and registers it once reinstalled with a good token (the Troubleshooting drill)', async () => {
    server ??= await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server);
    c.attachConsole(HOST);
    /** Installs the host from an installer with `token` in its user data, stick removed after. */
    const reinstall = async (token: string) => {
      const inst = await c.call('POST', '/installers', { userData: singleNode.userData({ token, endpoint: 'api.palette.lab', host: singleNode.hosts[0]! }) }, [201], 'installer');
      await c.command({ kind: 'host', hostId: HOST }, 'INSERT_USB', { image: inst.id });
      await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
      await c.waitForView((x) => host(x).tags.includes('off') && host(x).data.installStep === 'user-data-stored', 3 * MINUTE, 'the install', hostTrouble);
      await c.command({ kind: 'host', hostId: HOST }, 'REMOVE_USB');
    };
    // Palette takes a date already past with a warning: the drill's way to an expired token.
    const old = await c.call('POST', '/palette/v1/tokens', { name: 'old-token', project: 'Default', expiresAt: Date.now() - 24 * 3600_000 }, [201], 'an expired token');
    await reinstall(String(old.value ?? old.token?.value));
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    const refused = await c.waitForView((x) => host(x).data.refusal === 'token-expired', 2 * MINUTE, 'the token-expired refusal', hostTrouble);
    expect(host(refused).tags).toContain('error');
    expect(c.consoleText(HOST)).toMatch(/registration refused \(token-expired\)/);
    expect(JSON.stringify(await c.call('GET', '/palette/v1/edgehosts', undefined, [200], 'edge hosts'))).not.toContain(HOST);
    // Check my work before the fix (the lab's first token is still valid): the host's refusal, and what to do.
    expect(await c.checkDrill('expired-token')).toEqual({ passed: false, message: expect.stringMatching(/^Palette still refuses edge-host-1 with token-expired: its disk holds the old token/) });

    // The fix: a new token, an installer built with it, the host reinstalled from it.
    const fresh = await c.call('POST', '/palette/v1/tokens', { name: 'new-token', project: 'Default' }, [201], 'a new token');
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_OFF');
    await c.waitForView((x) => host(x).tags.includes('off'), MINUTE, 'the host to be off');
    await reinstall(String(fresh.value ?? fresh.token?.value));
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await c.waitForView((x) => host(x).data.project === 'Default', 2 * MINUTE, 'the registration with the new token', hostTrouble);
    expect(JSON.stringify(await c.call('GET', '/palette/v1/edgehosts', undefined, [200], 'edge hosts'))).toContain(HOST);
    expect(await c.checkDrill('expired-token')).toEqual({ passed: true, message: 'Fixed: edge-host-1 is registered with Palette.' });
    await server.labs.delete(lab.labId);
  }, 600_000);

  it('shows a token without a project as project-missing', async () => {
    server ??= await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server, {});
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await c.waitForView((x) => host(x).data.refusal === 'project-missing', 2 * MINUTE, 'the project-missing refusal');
    expect(phase(c.view!, 'registration')).toBe('active');
    await server.labs.delete(lab.labId);
  }, 600_000);

  it('a network cable pulled out keeps the agent from Palette until it is plugged back in; then a damaged provider image in the registry fails its checksum until pushed again, then a machine on the VIP keeps the node from holding it until taken off the LAN (the Troubleshooting drills)', async () => {
    server ??= await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server);
    const vm = (await server.labs.get(lab.labId))!.vms.get(HOST)!;
    // Pulled while the host is off: it boots with no link and finds Palette unreachable.
    await c.command({ kind: 'host', hostId: HOST }, 'UNPLUG_CABLE');
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    const cut = await c.waitForView((x) => JSON.stringify(host(x).state).includes('endpointUnreachable'), 2 * MINUTE, 'the agent to find Palette unreachable', hostTrouble);
    expect(host(cut).data.cableUnplugged).toBe(true);
    expect(host(cut).may).toContain('PLUG_CABLE');
    // The guest's own view: its site NIC has no carrier, and Palette has never heard of it.
    expect(await typeOn(vm, 'cat /sys/class/net/eth0/carrier')).toMatch(/^0\s*$/m);
    expect(new TextDecoder().decode(vm.console.history())).toMatch(/agent: Palette endpoint api\.palette\.lab unreachable/);
    expect(JSON.stringify(await c.call('GET', '/palette/v1/edgehosts', undefined, [200], 'edge hosts'))).not.toContain(HOST);
    expect((await c.checkDrill('cable')).message).toMatch(/^edge-host-1's network cable is still out/);

    // Plugged back in: the link is up, the host gets its address, and the agent's next try registers.
    await c.command({ kind: 'host', hostId: HOST }, 'PLUG_CABLE');
    expect(await typeOn(vm, 'cat /sys/class/net/eth0/carrier')).toMatch(/^1\s*$/m);
    const back = await c.waitForView((x) => host(x).data.project === 'Default', 2 * MINUTE, 'the registration once the cable is back', hostTrouble);
    expect(host(back).data.cableUnplugged).toBe(false);
    expect(JSON.stringify(await c.call('GET', '/palette/v1/edgehosts', undefined, [200], 'edge hosts'))).toContain(HOST);
    expect(await c.checkDrill('cable')).toMatchObject({ passed: true });

    // Then the registry drill on the same, registered host: the lab registry serves a damaged copy
    // of the provider image; the host's sha256 check refuses it and writes nothing. Pushed again,
    // the agent's next try (within a minute) downloads it whole and writes it to the passive partition.
    const [image] = (await c.call('GET', '/palette/v1/registry', undefined, [200], 'the registry')).images;
    await c.call('POST', `/palette/v1/registry/${image.repository}/damage`, {}, [200], 'damaging the image');
    await c.call('POST', '/palette/v1/clusters', singleNode.cluster([host(back).data.hostId!]), [201], 'creating the cluster');
    const refused = await showingConsole(vm, c, c.waitForView((x) => host(x).data.fault?.reason === 'image-checksum', 3 * MINUTE, 'the host to refuse the damaged image', hostTrouble));
    expect(host(refused).data.provisioningStep).toBeNull();
    expect(new TextDecoder().decode(vm.console.history())).toMatch(new RegExp(`provider image's sha256 is [0-9a-f]{64}, but Palette announced ${image.digest.slice('sha256:'.length)}; nothing was written`));
    expect((await c.checkDrill('checksum')).message).toBe(`The lab registry still serves a damaged copy of ${image.repository}: press "Push the provider image again".`);
    await c.call('POST', `/palette/v1/registry/${image.repository}/push`, {}, [200], 'pushing the image again');
    // Until the agent's next try has written it, the answer names the host (which of the two depends on when that try starts).
    expect(await c.checkDrill('checksum')).toEqual({ passed: false, message: expect.stringMatching(/^edge-host-1('s last download of the provider image failed its checksum| is still downloading and writing the provider image)/) });
    await showingConsole(vm, c, c.waitForView((x) => ['partition-switched', 'rebooted-into-provider-os', 'stages-run', 'runtime-started', 'layers-applied', 'node-ready'].includes(String(host(x).data.provisioningStep)),
      3 * MINUTE, 'the image written once pushed again'));
    expect(await c.checkDrill('checksum')).toEqual({ passed: true, message: 'Fixed: edge-host-1 has the provider image from the registry, checksum verified, written to its disk.' });

    // Then the VIP clash drill on the Running cluster: a machine on the lab LAN takes the VIP's
    // address. The node's agent finds it answering ARP for the VIP and lets the VIP go; with the
    // machine gone, the node takes the VIP again.
    const vip = singleNode.cluster([]).vip;
    await showingConsole(vm, c, c.waitForView((x) => host(x).data.provisioningStep === 'node-ready' && host(x).data.vip === vip, 3 * MINUTE, 'the node to be Ready and hold the VIP', hostTrouble));
    const { device } = await c.call('POST', '/lan/devices', { ip: vip }, [201], 'putting a machine on the VIP');
    const clash = await showingConsole(vm, c, c.waitForView((x) => host(x).data.vipClash === device.mac, MINUTE, 'the node to find the clash'));
    expect(host(clash).data.vip).toBeNull();
    expect(await typeOn(vm, 'ip -o -4 addr show dev eth1')).not.toContain(`${vip}/32`);
    expect(new TextDecoder().decode(vm.console.history())).toContain(`another machine on the LAN (${device.mac}) answers ARP for the VIP ${vip}`);
    expect((await c.checkDrill('vip-clash')).message).toMatch(new RegExp(`^A device on the LAN \\(${device.mac}\\) still uses ${vip.replace(/\./g, '\\.')}, the VIP of cluster`));
    await c.call('DELETE', `/lan/devices/${vip}`, undefined, [200], 'taking the machine off the LAN');
    await showingConsole(vm, c, c.waitForView((x) => host(x).data.vip === vip && host(x).data.vipClash == null, MINUTE, 'the node to take the VIP again'));
    expect(await typeOn(vm, 'ip -o -4 addr show dev eth1')).toContain(`${vip}/32`);
    expect(await c.checkDrill('vip-clash')).toEqual({ passed: true, message: `Fixed: cluster edge-lab-cluster's VIP ${vip} is held by a node, and no other machine on the LAN answers for it.` });
    await server.labs.delete(lab.labId);
  }, 900_000);

  it('a disk too small: the installer refuses it and writes nothing; with its own disk back the host boots as it was and registers (the Troubleshooting drill)', async () => {
    server ??= await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server);
    const vm = (await server.labs.get(lab.labId))!.vms.get(HOST)!;
    await c.command({ kind: 'host', hostId: HOST }, 'FIT_SMALL_DISK');
    await c.waitForView((x) => host(x).data.smallDisk === true, MINUTE, 'the small disk in');
    const [installer] = (await c.call('GET', '/installers', undefined, [200], 'installers')).installers;
    await c.command({ kind: 'host', hostId: HOST }, 'INSERT_USB', { image: installer.id });
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    const refused = await c.waitForView((x) => host(x).data.fault?.reason === 'disk-too-small', 2 * MINUTE, 'the installer to refuse the small disk');
    expect(host(refused).tags).toContain('error');
    expect(vm.diskPathNow).toMatch(/-small\.qcow2$/);
    // The guest measured the disk QEMU gave it: 256 MiB, below the installer's minimum.
    expect(new TextDecoder().decode(vm.console.history())).toMatch(/The disk is too small: 256 MiB found, at least \d+ MiB needed/);
    expect((await c.checkDrill('small-disk')).message).toMatch(/^edge-host-1 still has the disk that is too small: power it off/);
    expect(host(refused).may).not.toContain('FIT_LARGE_DISK'); // not with the power on

    // The fix: power off, the host's own disk back in, the stick out: it boots what was installed on it.
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_OFF');
    await c.waitForView((x) => host(x).tags.includes('off'), MINUTE, 'the host to be off');
    await c.command({ kind: 'host', hostId: HOST }, 'FIT_LARGE_DISK');
    await c.command({ kind: 'host', hostId: HOST }, 'REMOVE_USB');
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await c.waitForView((x) => host(x).data.project === 'Default', 2 * MINUTE, 'the registration from the host\'s own disk', hostTrouble);
    expect(vm.diskPathNow).not.toMatch(/-small/);
    expect(await c.checkDrill('small-disk')).toEqual({ passed: true, message: 'Fixed: edge-host-1 is registered with Palette.' });
    await server.labs.delete(lab.labId);
  }, 600_000);

  it('refuses a reinstalled host that keeps its old ID as duplicate-host-id, and registers it once the old record is deleted (the Troubleshooting drill)', async () => {
    server ??= await startLabServer({ port: 0, dataDir });
    const { lab, c } = await installedLab(server);
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await c.waitForView((x) => host(x).data.project === 'Default', 2 * MINUTE, 'the first registration', hostTrouble);
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_OFF');
    await c.waitForView((x) => host(x).tags.includes('off'), MINUTE, 'the host to be off');
    // Same machine, same name in the user data, a new installation: Palette still holds the old record.
    const [installer] = (await c.call('GET', '/installers', undefined, [200], 'installers')).installers;
    await c.command({ kind: 'host', hostId: HOST }, 'INSERT_USB', { image: installer.id });
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    await c.waitForView((x) => x.hosts[HOST]!.tags.includes('off') && x.hosts[HOST]!.data.installStep === 'user-data-stored', 3 * MINUTE, 'the reinstall', hostTrouble);
    await c.command({ kind: 'host', hostId: HOST }, 'REMOVE_USB');
    await c.command({ kind: 'host', hostId: HOST }, 'POWER_ON');
    const refused = await c.waitForView((x) => host(x).data.refusal === 'duplicate-host-id', 2 * MINUTE, 'the duplicate-host-id refusal');
    expect((await c.checkDrill('duplicate-id')).message).toMatch(/still refuses edge-host-1 with duplicate-host-id: delete the host's old record/);
    // The fix, as the drill teaches it: delete the old record; the agent's next attempt registers anew.
    await c.call('DELETE', `/palette/v1/edgehosts/${host(refused).data.hostId}`, undefined, [200], 'the old record deleted');
    await c.waitForView((x) => host(x).data.project === 'Default' && host(x).data.refusal == null, 2 * MINUTE, 'the registration after the delete', hostTrouble);
    expect(await c.checkDrill('duplicate-id')).toEqual({ passed: true, message: 'Fixed: edge-host-1 is registered with Palette.' });
    await server.labs.delete(lab.labId);
  }, 600_000);
});
