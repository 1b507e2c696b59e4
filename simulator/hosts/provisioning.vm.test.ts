import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEvent } from '../pure/console-events';
import { PROVISIONING_STEPS } from '../pure/machines/provisioning';
import type { AgentRequest } from '../testing/agent-listener';
import { VmLab } from '../testing/vm-lab';
import { LanHub } from '../vm/lan-hub';
import type { PowerChange } from './edge-host';

// A real host, from assignment to `kubectl get nodes`: installed from a forged
// stick (Edge OS), assigned to a cluster by a long-poll heartbeat reply, it
// pulls the real provider OS image from the endpoint, writes it to its passive
// slot, reboots into it and brings up the lab's runtime (real etcd, the VIP on
// its LAN NIC, the read-only API that Debian's kubectl talks to).
let lab: VmLab;
let hub: LanHub;
beforeAll(async () => { lab = await VmLab.create(); hub = await LanHub.start(); });
afterAll(async () => { await lab.dispose(); await hub.close(); });

const CLUSTER = 'edge-demo';
const NODE = 'edge-host-1';
const STAGES = [
  'stages:',
  '  boot:',
  '    - name: mark boot',
  '      commands:',
  '        - echo "boot stage ran" > /run/stage-boot',
  '  network:',
  '    - name: mark network',
  '      commands:',
  '        - echo "network stage ran on $(hostname)" > /run/stage-network',
  '',
].join('\n');

describe('cluster provisioning on a real VM', () => {
  it('pulls the provider image, switches to the passive slot, reboots and runs a node that kubectl lists as Ready', async () => {
    const sha = lab.images.sha256['provider-os.tgz']!;
    const image = `/v2/edge-lab-provider/blobs/sha256:${sha}`;
    const assignment = {
      status: 'assigned', cluster: CLUSTER, nodeRole: 'control-plane', nodeName: NODE, k8sVersion: '1.32.4', distribution: 'k3s',
      image, imageSha256: sha, lanIp: '10.77.0.11/24', vip: '10.77.0.100', etcd: '10.77.0.11',
    };
    let assignedAt = 0;
    // As Palette does: every registration issues a new host key and retires the previous one;
    // heartbeats, reports and the image need the current one.
    const keys: string[] = [];
    const accepted = new Set<AgentRequest>();
    const keyed = (r: AgentRequest): boolean => keys.length > 0 && r.headers.authorization === `Bearer ${keys.at(-1)}`;
    const credential = { status: 200, json: { status: 'refused', code: 'host-credential', message: 'not the current host key' } };
    lab.endpoint.handler = async (r) => {
      if (r.path === '/v1/edge/hosts/register') {
        keys.push(`key-${keys.length + 1}-${'abcdefghijklmnopqrstuvwxyz0123456789'.slice(keys.length)}`);
        return { status: 200, json: { status: 'registered', project: 'Default', hostKey: keys.at(-1) } };
      }
      if (!keyed(r)) return r.path === image ? { status: 403, json: { error: 'forbidden', code: 'host-credential' } } : credential;
      accepted.add(r);
      if (r.path.endsWith('/heartbeat')) {
        // A long poll: held while there is nothing new, answered at once once assigned (and again every time).
        if (!assignedAt) await lab.endpoint.hold(Number(r.body.wait ?? 0) * 1000);
        return { status: 200, json: assignedAt ? assignment : { status: 'ok' } };
      }
      if (r.path.endsWith('/provisioning')) return { status: 200, json: { status: 'ok' } };
      if (r.path === image) return { status: 200, file: lab.images.providerOs };
      return { status: 404, json: { error: 'not-found', path: r.path } };
    };

    const disk = await lab.installedDisk(`${lab.userData()}${STAGES}`);
    const host = lab.host({ diskFrom: disk, lan: { mac: '52:54:00:b0:00:11', address: '10.77.0.11/24', hub } });
    const events: Array<{ e: ConsoleEvent; at: number }> = [];
    const power: Array<{ c: PowerChange; at: number }> = [];
    host.on('event', (e) => events.push({ e, at: Date.now() }));
    host.on('power', (c) => power.push({ c, at: Date.now() }));
    await host.powerOn();
    const registered = await host.waitForEvent('agent.registered', 90_000);

    // The first heartbeat is a long poll; Palette answers it with the assignment.
    const first = await lab.endpoint.waitFor((r) => r.path.endsWith('/heartbeat'), 30_000);
    expect(first.body).toMatchObject({ hostId: registered.hostId, wait: 25 });
    assignedAt = Date.now();
    lab.endpoint.releaseHolds();

    const ready = host.waitForEvent('provision.step', 600_000, (e) => e.step === 'node-ready');
    const failed = host.waitForEvent('provision.failed', 600_000);
    failed.catch(() => {});
    const outcome = await Promise.race([ready, failed]);
    if (outcome.type === 'provision.failed') {
      throw new Error(`[test] provisioning failed (${outcome.reason}); console tail:\n${host.console.text().slice(-3000)}`);
    }

    // The six steps, in order, both as Palette received them and on the console.
    // (The console line comes first; the report follows it.)
    await lab.endpoint.waitFor((r) => r.path.endsWith('/provisioning') && r.body.step === 'node-ready', 30_000);
    const reports = lab.endpoint.requests.filter((r) => r.path === `/v1/edge/hosts/${registered.hostId}/provisioning` && accepted.has(r));
    expect(reports.map((r) => r.body.step)).toEqual([...PROVISIONING_STEPS]);
    for (const r of reports) expect(r.body).toEqual({ hostId: registered.hostId, cluster: CLUSTER, step: r.body.step });
    const consoleSteps = events.flatMap(({ e }) => (e.type === 'provision.step' ? [e.step] : []));
    expect(consoleSteps).toEqual([...PROVISIONING_STEPS]);
    expect(events.some(({ e }) => e.type === 'provision.failed')).toBe(false);

    // One download, with the host key; one reboot, and the second boot runs the provider OS from the passive slot.
    expect(lab.endpoint.requests.filter((r) => r.path === image)).toHaveLength(1);
    expect(lab.endpoint.requests.filter((r) => r.path === image && accepted.has(r))).toHaveLength(1);
    const reboot = power.find(({ c }) => c.state === 'on' && c.cause === 'reboot');
    expect(reboot?.c).toMatchObject({ state: 'on', device: 'disk', cause: 'reboot' });
    const boots = events.flatMap(({ e }) => (e.type === 'os.booted' ? [e] : []));
    expect(boots).toEqual([{ type: 'os.booted', slot: 'active', os: 'edge-lab' }, { type: 'os.booted', slot: 'passive', os: 'edge-lab-provider' }]);
    // The agent registers again after the reboot, and from then on sends the new key: at most a
    // report the cluster service sent just before it got there is refused, and sent again.
    expect(events.filter(({ e }) => e.type === 'agent.registered')).toHaveLength(2);
    expect(keys).toHaveLength(2);
    const refused = lab.endpoint.requests.filter((r) => r.path !== '/v1/edge/hosts/register' && !accepted.has(r));
    expect(refused.every((r) => r.path.endsWith('/provisioning') && r.headers.authorization === `Bearer ${keys[0]}`), JSON.stringify(refused.map((r) => [r.path, r.headers.authorization]))).toBe(true);
    expect(refused.length).toBeLessThanOrEqual(2);

    // Typed on the console, as a learner would.
    const nodes = await lab.run(host, 'kubectl get nodes', /NAME\s+STATUS/, 120_000);
    expect(nodes).toMatch(new RegExp(`^${NODE}\\s+Ready\\s+control-plane\\s+\\S+\\s+v1\\.32\\.4\\s*$`, 'm'));
    const wide = await lab.run(host, 'kubectl get nodes -o wide', /INTERNAL-IP/, 120_000);
    expect(wide).toMatch(new RegExp(`^${NODE}\\s+Ready\\s+control-plane\\s+\\S+\\s+v1\\.32\\.4\\s+10\\.77\\.0\\.11\\s`, 'm'));
    // The VIP is on the LAN NIC and answers.
    expect(await lab.run(host, 'ip addr show eth1', /eth1/)).toContain('inet 10.77.0.100/32');
    expect(await lab.run(host, 'ping -c 1 -W 5 10.77.0.100 && echo VIP-OK || echo VIP-FAIL', /VIP-OK|VIP-FAIL/, 30_000)).toContain('VIP-OK');
    // etcd is real and answers on the LAN address.
    expect(await lab.run(host, 'etcd --version | head -1; wget -q -O - http://10.77.0.11:2379/health', /health/, 60_000)).toMatch(/etcd Version: 3\.4\.[\s\S]*"health":"true"/);
    // The user-data's boot and network stages ran in the provider OS.
    expect(await lab.run(host, 'cat /run/stage-boot /run/stage-network', /stage ran/)).toMatch(/boot stage ran\s+network stage ran on /);
    expect(await lab.run(host, 'cat /oem/cluster.env', /CLUSTER=/)).toMatch(/CLUSTER='edge-demo'[\s\S]*SLOT='passive'[\s\S]*SWITCHED='true'[\s\S]*READY=true/);

    // Assigned again on the next heartbeat, the host does not provision again.
    await until(() => host.console.text().includes(`agent: assigned to cluster ${CLUSTER}; this host already runs its provider OS (slot passive)`), 60_000,
      'the agent in the provider OS did not say it is already provisioned');
    expect(lab.endpoint.requests.filter((r) => r.path === image)).toHaveLength(1);
    expect(lab.endpoint.requests.filter((r) => r.path.endsWith('/provisioning') && accepted.has(r))).toHaveLength(PROVISIONING_STEPS.length);
    // Every reply to a heartbeat was an assignment, sent at once: the agent still beats only every 25 s or so.
    const beats = lab.endpoint.requests.filter((r) => r.path.endsWith('/heartbeat') && r.at > assignedAt).length;
    expect(beats).toBeLessThanOrEqual(Math.ceil((Date.now() - assignedAt) / 20_000) + 4);

    // Timings under TCG, from the listener's clock.
    const at = (step: string): number => reports.find((r) => r.body.step === step)!.at;
    const get = lab.endpoint.requests.find((r) => r.path === image) as AgentRequest;
    const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    console.log([
      '[provisioning timings, TCG]',
      `  assignment → image request      ${s(get.at - assignedAt)}`,
      `  pull + sha256 (image-pulled)     ${s(at('image-pulled') - get.at)}`,
      `  write slot (partition-switched)  ${s(at('partition-switched') - at('image-pulled'))}`,
      `  reboot → provider OS reported    ${s(at('rebooted-into-provider-os') - at('partition-switched'))}`,
      `  stages                           ${s(at('stages-run') - at('rebooted-into-provider-os'))}`,
      `  runtime started                  ${s(at('runtime-started') - at('stages-run'))}`,
      `  node Ready in the API            ${s(at('node-ready') - at('runtime-started'))}`,
      `  total, assignment → node-ready   ${s(at('node-ready') - assignedAt)}`,
      `  reports refused for the old key  ${refused.length}`,
      `  (QEMU relaunched for the reboot ${s(reboot!.at - at('partition-switched'))} after partition-switched)`,
    ].join('\n'));

    // The running node loses power: after the next boot its cluster service says on the console
    // that the node is Ready again (the lab shows it running only from then on) and reports
    // nothing more to Palette; kubectl lists it Ready.
    await host.powerOff();
    const again = host.waitForEvent('cluster.node-ready', 300_000);
    await host.powerOn();
    await again;
    expect(lab.endpoint.requests.filter((r) => r.path.endsWith('/provisioning') && accepted.has(r))).toHaveLength(PROVISIONING_STEPS.length);
    expect(await lab.run(host, 'kubectl get nodes', /NAME\s+STATUS/, 120_000)).toMatch(new RegExp(`^${NODE}\\s+Ready\\b`, 'm'));
  }, 900_000);

  it('gives the node the static IP of the cluster definition, and with stylus.vip.skip set holds no VIP and says so', async () => {
    const sha = lab.images.sha256['provider-os.tgz']!;
    const image = `/v2/edge-lab-provider/blobs/sha256:${sha}`;
    lab.endpoint.handler = (r) => {
      if (r.path === '/v1/edge/hosts/register') return { status: 200, json: { status: 'registered', project: 'Default' } };
      if (r.path.endsWith('/heartbeat')) {
        return { status: 200, json: { status: 'assigned', cluster: CLUSTER, nodeRole: 'control-plane', nodeName: NODE, k8sVersion: '1.32.4', distribution: 'k3s', image, imageSha256: sha, lanIp: '10.77.0.12/24', vip: '10.77.0.100', etcd: '10.77.0.12' } };
      }
      if (r.path.endsWith('/provisioning')) return { status: 200, json: { status: 'ok' } };
      if (r.path === image) return { status: 200, file: lab.images.providerOs };
      return { status: 404, json: { error: 'not-found', path: r.path } };
    };
    const userData = lab.userData().replace('stylus:\n', 'stylus:\n  vip: { skip: true }\n');
    // The host has 10.77.0.32 on the LAN; the cluster definition gives it the static IP 10.77.0.12.
    const host = lab.host({ diskFrom: await lab.installedDisk(userData), lan: { mac: '52:54:00:b0:00:12', address: '10.77.0.32/24', hub } });
    const seen = lab.endpoint.requests.length;
    await host.powerOn();
    // Palette's view of node-ready (the report), which a kernel line on the console cannot split.
    await lab.endpoint.waitFor((r) => r.path.endsWith('/provisioning') && r.body.step === 'node-ready' && lab.endpoint.requests.indexOf(r) >= seen, 300_000).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}; the console ends:\n${host.console.text().slice(-3000)}`);
    });
    expect(host.console.text()).toContain('cluster: static IP from the cluster definition: eth1 10.77.0.32/24 -> 10.77.0.12/24');
    expect(host.console.text()).toContain('cluster: stylus.vip.skip is set: the VIP 10.77.0.100 is not held; reach the API at 10.77.0.12');
    const eth1 = await lab.run(host, 'ip -o -4 addr show dev eth1', /eth1/);
    expect(eth1).toContain('10.77.0.12/24');
    expect(eth1).not.toContain('10.77.0.32');
    expect(eth1).not.toContain('10.77.0.100');
    // The agent's next heartbeat reports the new address.
    const beat = await lab.endpoint.waitFor((r) => r.path.endsWith('/heartbeat') && r.body.ip === '10.77.0.12', 60_000);
    expect(beat.body.ip).toBe('10.77.0.12');
    await host.powerOff();
  }, 900_000);

  it('refuses an image whose sha256 is not the announced one, says so, reports it and tries again later, not at once', async () => {
    const sha = lab.images.sha256['provider-os.tgz']!;
    const image = `/v2/edge-lab-provider/blobs/sha256:${sha}`;
    const wrong = sha.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    lab.endpoint.handler = (r) => {
      if (r.path === '/v1/edge/hosts/register') return { status: 200, json: { status: 'registered', project: 'Default' } };
      if (r.path.endsWith('/heartbeat')) {
        return { status: 200, json: { status: 'assigned', cluster: CLUSTER, nodeRole: 'control-plane', nodeName: NODE, k8sVersion: '1.32.4', distribution: 'k3s', image, imageSha256: wrong, lanIp: '', vip: '', etcd: '' } };
      }
      if (r.path.endsWith('/provisioning')) return { status: 200, json: { status: 'ok' } };
      if (r.path === image) return { status: 200, file: lab.images.providerOs };
      return { status: 404, json: { error: 'not-found', path: r.path } };
    };
    const seen = lab.endpoint.requests.length;
    const host = lab.host({ diskFrom: await lab.installedDisk(`${lab.userData()}${STAGES}`) });
    await host.powerOn();
    const failed = await host.waitForEvent('provision.failed', 120_000);
    expect(failed.reason).toBe('image-checksum');
    expect(host.console.text()).toContain(`provisioning: FAILED for cluster ${CLUSTER}: the provider image's sha256 is ${sha}, but Palette announced ${wrong}; nothing was written`);
    const report = await lab.endpoint.waitFor((r) => r.path.endsWith('/provisioning') && r.body.step === 'failed' && lab.endpoint.requests.indexOf(r) >= seen, 30_000);
    expect(report.body).toMatchObject({ cluster: CLUSTER, step: 'failed', reason: 'image-checksum' });
    expect(host.console.text()).not.toContain('provision.step step=image-pulled');
    // The next attempt waits at least 30 s, although every heartbeat reply repeats the assignment.
    const mine = (r: AgentRequest): boolean => lab.endpoint.requests.indexOf(r) >= seen;
    const first = lab.endpoint.requests.filter((r) => r.path === image && mine(r));
    expect(first).toHaveLength(1);
    const second = await lab.endpoint.waitFor((r) => r.path === image && mine(r) && r !== first[0], 90_000);
    expect(second.at - report.at).toBeGreaterThanOrEqual(29_000);
    expect(host.power).toBe('on'); // no reboot on a failed attempt
    await host.powerOff();
  }, 300_000);
});

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`[test] ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
