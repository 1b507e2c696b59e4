import { describe, expect, it } from 'vitest';
import { LAB_STEPS } from '../machines/lab.steps';
import type { LabView, MachineView } from '../protocol/common';
import {
  hostTrouble, labStepPath, phaseTitle, recoverHostIds, recoverInstaller, recoverMemo, recoverToken, SCENARIO_STEPS, scenarioStep, showStep,
  type DriverMethod, type DriverTarget, type ScenarioDriver, type ScenarioMemo,
} from './scenario-steps';
import { singleNode as s } from './single-node';

type Answer = { status: number; body?: unknown };

/**
 * A driver that records every call and answers from `routes`; a wait whose predicate does not
 * hold yet lets `world` move the lab on once (as the real lab would), then gives up.
 */
class FakeDriver implements ScenarioDriver {
  readonly log: string[] = [];
  readonly bodies: { method: string; path: string; body: unknown }[] = [];
  constructor(
    public view: LabView,
    private readonly routes: Record<string, Answer | ((body: unknown) => Answer)> = {},
    private readonly world: (d: FakeDriver, what: string) => void = () => {},
    private readonly console = '',
  ) {}

  async call(method: DriverMethod, path: string, body: unknown, ok: readonly number[], doing: string): Promise<unknown> {
    this.log.push(`${method} ${path}`);
    this.bodies.push({ method, path, body });
    const route = this.routes[`${method} ${path}`];
    const a = typeof route === 'function' ? route(body) : route;
    if (!a) throw new Error(`no route for ${method} ${path}`);
    if (!ok.includes(a.status)) throw new Error(`${doing} failed (${a.status})`);
    return a.body;
  }

  async command(target: DriverTarget, name: string, args?: Record<string, string>): Promise<void> {
    this.log.push(`${target.kind === 'host' ? target.hostId : 'lab'} ${name}${args ? ` ${JSON.stringify(args)}` : ''}`);
    this.world(this, name);
  }

  async waitForView(pred: (v: LabView) => boolean, _ms: number, what: string, trouble?: (v: LabView) => string | null): Promise<LabView> {
    if (what !== 'the lab view') this.log.push(`wait ${what}`);
    for (let i = 0; i < 2; i++) {
      if (pred(this.view)) return this.view;
      const why = trouble?.(this.view);
      if (why) throw new Error(`stopped waiting for ${what}: ${why}`);
      if (i === 0) this.world(this, what);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  async run(host: string, command: string): Promise<string> {
    this.log.push(`run ${host}: ${command}`);
    return this.console;
  }
}

const PHASES = ['model-profile', 'install-handoff', 'registration', 'cluster-provisioning'];

function hostView(over: Partial<MachineView> & { data?: Record<string, unknown> } = {}): MachineView {
  return { state: 'poweredOff', label: 'Powered off', tags: ['off'], allowed: ['POWER_ON', 'INSERT_USB'], may: over.may ?? over.allowed ?? ['POWER_ON', 'INSERT_USB'], ...over, data: { usbInserted: false, hostId: null, ...over.data } } as MachineView;
}

/** A lab at `path` (phases before it done), with edge-host-1 as given. */
function lab(path: string, host: MachineView = hostView(), data: Record<string, unknown> = {}): LabView {
  const active = path === 'done' ? PHASES.length : ['modelProfile', 'installHandoff', 'registration', 'clusterProvisioning'].indexOf(path.split('.')[0]!);
  return {
    state: path, label: path, tags: [], allowed: ['CHECK', 'RESTART'], may: ['CHECK', 'RESTART'], at: 1,
    data: { step: path === 'done' ? null : { path, label: path, role: 'it-ops' }, installer: null, cluster: null, installedHosts: [], registeredHosts: [], lastFailure: null, ...data },
    phases: PHASES.map((id, i) => ({ id, label: id, status: i < active ? 'done' : i === active ? 'active' : 'pending' })),
    hosts: { 'edge-host-1': host }, clusters: {},
  } as LabView;
}

const doneUpTo = (v: LabView, phaseId: string): LabView => ({ ...v, phases: v.phases.map((p, i) => (i <= PHASES.indexOf(phaseId) ? { ...p, status: 'done' } : p)) });

const step = (path: string) => scenarioStep(path)!;

describe('the scenario steps', () => {
  it('cover every lab step in the chart\'s order, then verify', () => {
    expect(SCENARIO_STEPS.map((x) => x.path)).toEqual([...LAB_STEPS.map((x) => x.path), 'verify']);
    expect(SCENARIO_STEPS.map((x) => x.label(s))).toEqual([...LAB_STEPS.map((x) => x.label), 'Check the cluster with kubectl get nodes']);
    for (const x of SCENARIO_STEPS) expect(x.byHand(s)).toMatch(/^[A-Z].+\.$/);
    expect(scenarioStep('done')?.path).toBe('verify');
  });

  it('keep the names a run\'s report has always used', () => {
    expect(SCENARIO_STEPS.map((x) => `${phaseTitle(x.phase)} › ${x.title(s)}`)).toEqual([
      'Model Cluster Profile › Save the cluster profile',
      'Install Handoff › Create a registration token',
      'Install Handoff › Build the Edge Installer',
      'Install Handoff › Install the hosts from the USB stick',
      'Install Handoff › Hand the hosts over to the site',
      'Registration › Power on at the site and register',
      'Cluster Provisioning › Create the cluster',
      'Cluster Provisioning › Wait until the cluster is Running',
      'Verify › `kubectl get nodes` on the host',
    ]);
  });

  it('save the profile and wait for the lab to take it', async () => {
    const d = new FakeDriver(lab('modelProfile'), { 'POST /palette/v1/profiles': { status: 201 } }, (x) => (x.view = lab('installHandoff.creatingToken')));
    expect(await step('modelProfile').perform(d, s, {})).toBe('edge-k3s-lab 1.0.0');
    expect(d.bodies[0]?.body).toBe(s.profile);
    expect(d.log).toEqual(['POST /palette/v1/profiles', 'wait the profile step to be done']);
  });

  it('create the token and keep its value in the memo', async () => {
    const d = new FakeDriver(lab('installHandoff.creatingToken'), { 'POST /palette/v1/tokens': { status: 201, body: { token: { name: s.tokenName, value: 'tok-new' } } } });
    const memo: ScenarioMemo = {};
    expect(await step('installHandoff.creatingToken').perform(d, s, memo)).toBe('edge-lab-token');
    expect(d.bodies[0]?.body).toEqual({ name: 'edge-lab-token', project: 'Default' });
    expect(memo.token).toBe('tok-new');
  });

  it('reuse a valid token of the same name, and replace an expired one', async () => {
    const taken = { status: 422, body: { error: 'invalid', issues: [{ path: 'name', code: 'name-taken', message: 'taken' }] } };
    const valid = new FakeDriver(lab('installHandoff.creatingToken'), {
      'POST /palette/v1/tokens': taken,
      'GET /palette/v1/tokens': { status: 200, body: { tokens: [{ name: s.tokenName, valueEnd: '-old', expired: false }] } },
      'GET /palette/v1/tokens/edge-lab-token/value': { status: 200, body: { name: s.tokenName, value: 'tok-old' } },
    });
    const memo: ScenarioMemo = {};
    await step('installHandoff.creatingToken').perform(valid, s, memo);
    expect(memo.token).toBe('tok-old');
    expect(valid.log).toEqual(['POST /palette/v1/tokens', 'GET /palette/v1/tokens', 'GET /palette/v1/tokens/edge-lab-token/value']);

    let posts = 0;
    const expired = new FakeDriver(lab('installHandoff.creatingToken'), {
      'POST /palette/v1/tokens': () => (++posts === 1 ? taken : { status: 201, body: { token: { value: 'tok-fresh' } } }),
      'GET /palette/v1/tokens': { status: 200, body: { tokens: [{ name: s.tokenName, valueEnd: '-old', expired: true }] } },
      'DELETE /palette/v1/tokens/edge-lab-token': { status: 200 },
    });
    const memo2: ScenarioMemo = {};
    await step('installHandoff.creatingToken').perform(expired, s, memo2);
    expect(memo2.token).toBe('tok-fresh');
    expect(expired.log).toEqual(['POST /palette/v1/tokens', 'GET /palette/v1/tokens', 'DELETE /palette/v1/tokens/edge-lab-token', 'POST /palette/v1/tokens']);
  });

  it('build the installer with the token from the memo, without asking Palette for it', async () => {
    const d = new FakeDriver(
      lab('installHandoff.forgingInstaller'),
      { 'POST /installers': { status: 201, body: { id: 'inst-1', sha256: 'abcdef0123456789', size: 4096 } } },
      (x) => (x.view = lab('installHandoff.installingHosts', hostView(), { installer: 'inst-1' })),
    );
    const memo: ScenarioMemo = { token: 'tok-memo' };
    expect(await step('installHandoff.forgingInstaller').perform(d, s, memo)).toBe('inst-1 (abcdef012345…, 4 KiB)');
    const userData = (d.bodies[0]?.body as { userData: string }).userData;
    expect(userData).toBe(s.userData({ token: 'tok-memo', endpoint: 'api.palette.lab', host: s.hosts[0]! }));
    expect(userData).toContain('edgeHostToken: tok-memo');
    expect(d.log).not.toContain('GET /palette/v1/tokens');
    expect(memo.installer).toBe('inst-1');
  });

  it('mid-guide, read the token back by the scenario\'s token name', async () => {
    const d = new FakeDriver(
      lab('installHandoff.forgingInstaller'),
      {
        'GET /palette/v1/tokens': { status: 200, body: { tokens: [
          { name: s.tokenName, valueEnd: 'name', expired: false },
          { name: 'a-later-one', valueEnd: 'ater', expired: false },
        ] } },
        'GET /palette/v1/tokens/edge-lab-token/value': { status: 200, body: { value: 'tok-by-name' } },
        'GET /palette/v1/tokens/a-later-one/value': { status: 200, body: { value: 'tok-later' } },
        'POST /installers': { status: 201, body: { id: 'inst-2' } },
      },
      (x) => (x.view = lab('installHandoff.installingHosts', hostView(), { installer: 'inst-2' })),
    );
    await step('installHandoff.forgingInstaller').perform(d, s, {});
    expect(d.log[0]).toBe('GET /palette/v1/tokens');
    expect(d.log[1]).toBe('GET /palette/v1/tokens/edge-lab-token/value');
    expect((d.bodies[2]?.body as { userData: string }).userData).toContain('edgeHostToken: tok-by-name');
  });

  it('recover the token (by name, else the newest valid), the latest installer and the host IDs', async () => {
    const values = { old: 'a', new: 'b', [s.tokenName]: 'gone' } as Record<string, string>;
    const tokens = (list: unknown[]) => new FakeDriver(lab('x'), {
      'GET /palette/v1/tokens': { status: 200, body: { tokens: list } },
      ...Object.fromEntries(Object.entries(values).map(([n, v]) => [`GET /palette/v1/tokens/${n}/value`, { status: 200, body: { name: n, value: v } }])),
    });
    expect(await recoverToken(tokens([{ name: 'old' }, { name: 'new' }]), s, {})).toBe('b');
    expect(await recoverToken(tokens([{ name: s.tokenName, expired: true }, { name: 'new' }]), s, {})).toBe('b');
    await expect(recoverToken(tokens([]), s, {})).rejects.toThrow(/no valid registration token yet \(looked for edge-lab-token\)/);

    const inst = new FakeDriver(lab('x'), { 'GET /installers': { status: 200, body: { installers: [{ id: 'inst-1' }, { id: 'inst-2' }] } } });
    expect(await recoverInstaller(inst, {})).toBe('inst-2');
    const none = new FakeDriver(lab('x'), { 'GET /installers': { status: 200, body: { installers: [] } } });
    await expect(recoverInstaller(none, {})).rejects.toThrow(/No Edge Installer/);

    const registered = new FakeDriver(lab('clusterProvisioning.creatingCluster', hostView({ data: { hostId: 'edge-abc' } })));
    expect(await recoverHostIds(registered, s, {})).toEqual(['edge-abc']);

    const all = new FakeDriver(lab('registration', hostView({ data: { hostId: 'edge-abc' } })), {
      'GET /palette/v1/tokens': { status: 200, body: { tokens: [{ name: s.tokenName }] } },
      'GET /palette/v1/tokens/edge-lab-token/value': { status: 200, body: { value: 'tok' } },
      'GET /installers': { status: 200, body: { installers: [{ id: 'inst-9' }] } },
    });
    expect(await recoverMemo(all, s)).toEqual({ token: 'tok', installer: 'inst-9', hostIds: ['edge-abc'] });
    // What the memo already holds is not asked for again.
    const held = new FakeDriver(lab('registration'));
    expect(await recoverMemo(held, s, { token: 't', installer: 'i', hostIds: ['h'] })).toEqual({ token: 't', installer: 'i', hostIds: ['h'] });
    expect(held.log).toEqual([]);
  });

  it('install: insert the stick and power on a fresh host, then wait for it to install and power off', async () => {
    // Installed, the lab waits at the handoff: the install-handoff phase is not done yet.
    const d = new FakeDriver(lab('installHandoff.installingHosts'), {}, (x, what) => {
      if (what === 'every host to finish installing') x.view = lab('installHandoff.shippingHosts', hostView({ data: { usbInserted: true } }), { installedHosts: ['edge-host-1'] });
    });
    expect(await step('installHandoff.installingHosts').perform(d, s, { installer: 'inst-1' })).toBe('');
    expect(d.log).toEqual([
      'edge-host-1 INSERT_USB {"image":"inst-1"}', 'edge-host-1 POWER_ON',
      'wait every host to finish installing', 'wait the hosts to power off after installing',
    ]);
  });

  it('install mid-guide: a host already holding the stick but stuck without a boot device is reset', async () => {
    const stuck = hostView({ state: { powered: 'noBootableDevice' }, tags: ['error'], allowed: ['RESET', 'POWER_OFF', 'REMOVE_USB'], data: { usbInserted: true } });
    const d = new FakeDriver(
      lab('installHandoff.installingHosts', stuck),
      { 'GET /installers': { status: 200, body: { installers: [{ id: 'inst-1' }] } } },
    );
    await expect(step('installHandoff.installingHosts').perform(d, s, {})).rejects.toThrow(/timed out waiting for every host to finish installing/);
    expect(d.log.slice(0, 2)).toEqual(['GET /installers', 'edge-host-1 RESET']);
  });

  it('hand off: send HAND_OFF to the lab, then wait for it to be at Registration', async () => {
    const d = new FakeDriver(lab('installHandoff.shippingHosts'), {}, (x, what) => {
      if (what === 'HAND_OFF') x.view = lab('registration', hostView(), { custody: 'site-technician' });
    });
    expect(await step('installHandoff.shippingHosts').perform(d, s, {})).toBe('the hosts are with the site technician');
    expect(d.log).toEqual(['lab HAND_OFF', 'wait the lab to record the handoff']);
    expect(labStepPath(d.view)).toBe('registration');

    // Handed over already (by someone else): nothing to send.
    const done = new FakeDriver(lab('registration'));
    await step('installHandoff.shippingHosts').perform(done, s, {});
    expect(done.log).toEqual(['wait the lab to record the handoff']);

    // The lab does not move on: the wait says what it waited for.
    const stuck = new FakeDriver(lab('installHandoff.shippingHosts'));
    await expect(step('installHandoff.shippingHosts').perform(stuck, s, {})).rejects.toThrow('timed out waiting for the lab to record the handoff');
  });

  it('register: remove the stick, power on, and say why when Palette refuses the host', async () => {
    const off = hostView({ data: { usbInserted: true } });
    const ok = new FakeDriver(lab('registration', off), {}, (x, what) => {
      if (what === 'every host to register') x.view = doneUpTo(lab('clusterProvisioning.creatingCluster', hostView({ state: { powered: { paired: { lifecycle: 'registered', health: 'healthy' } } }, tags: ['on'], data: { hostId: 'edge-host-1' } })), 'registration');
    });
    const memo: ScenarioMemo = {};
    expect(await step('registration').perform(ok, s, memo)).toBe('edge-host-1');
    expect(ok.log.filter((l) => !l.startsWith('wait'))).toEqual(['edge-host-1 REMOVE_USB', 'edge-host-1 POWER_ON']);
    expect(memo.hostIds).toEqual(['edge-host-1']);

    const refused = hostView({
      state: { powered: { registrationMode: 'registrationRefused' } }, tags: ['error', 'retrying'], allowed: ['RESET'],
      data: { refusal: 'token-unknown', hint: 'Palette does not know the registration token.' },
    });
    const bad = new FakeDriver(lab('registration', refused));
    await expect(step('registration').perform(bad, s, {})).rejects.toThrow('stopped waiting for every host to register: edge-host-1: registration refused (token-unknown). Palette does not know the registration token.');
    expect(bad.log.filter((l) => !l.startsWith('wait'))).toEqual([]);
  });

  it('create the cluster with the host IDs the view shows, then wait for the lab to see it', async () => {
    const d = new FakeDriver(
      lab('clusterProvisioning.creatingCluster', hostView({ data: { hostId: 'edge-abc' } })),
      { 'POST /palette/v1/clusters': { status: 201 } },
      (x) => (x.view = lab('clusterProvisioning.waitingForRunning', hostView(), { cluster: 'edge-lab-cluster' })),
    );
    expect(await step('clusterProvisioning.creatingCluster').perform(d, s, {})).toBe('edge-lab-cluster');
    expect(d.bodies[0]?.body).toEqual(s.cluster(['edge-abc']));
  });

  it('verify on the control-plane host and say what the output lacks', async () => {
    const good = new FakeDriver(lab('done'), {}, () => {}, 'NAME          STATUS   ROLES\nedge-host-1   Ready    control-plane,master   1m   v1.32.4\n');
    expect(await step('verify').perform(good, s, { hostIds: ['edge-host-1'] })).toMatch(/edge-host-1\s+Ready/);
    expect(good.log).toEqual(['run edge-host-1: kubectl get nodes']);
    const bad = new FakeDriver(lab('done'), {}, () => {}, 'edge-host-1   NotReady\n');
    await expect(step('verify').perform(bad, s, { hostIds: ['edge-host-1'] })).rejects.toThrow(/the output does not show/);
  });
});

describe('showStep (Show me)', () => {
  it('performs the step and returns once the lab has moved on by itself', async () => {
    const d = new FakeDriver(lab('installHandoff.creatingToken'), { 'POST /palette/v1/tokens': { status: 201, body: { token: { value: 'v' } } } }, (x) => {
      x.view = lab('installHandoff.forgingInstaller');
    });
    expect(await showStep(d, s, 'installHandoff.creatingToken')).toBe('edge-lab-token');
    expect(d.log).not.toContain('lab CHECK');
    expect(labStepPath(d.view)).toBe('installHandoff.forgingInstaller');
  });

  it('asks the lab to CHECK when it did not move on, and reports the check\'s words when it still does not', async () => {
    const moved = new FakeDriver(lab('installHandoff.creatingToken'), { 'POST /palette/v1/tokens': { status: 201, body: { token: { value: 'v' } } } }, (x, what) => {
      if (what === 'CHECK') x.view = lab('installHandoff.forgingInstaller');
    });
    await showStep(moved, s, 'installHandoff.creatingToken');
    expect(moved.log).toContain('lab CHECK');

    const stuck = new FakeDriver(
      lab('installHandoff.creatingToken', hostView(), { lastFailure: { check: 'token', message: 'There is no valid registration token.' } }),
      { 'POST /palette/v1/tokens': { status: 201, body: { token: { value: 'v' } } } },
    );
    await expect(showStep(stuck, s, 'installHandoff.creatingToken')).rejects.toThrow("The step was done, but the lab's check does not agree yet: There is no valid registration token.");
  });

  it('shows the handoff without a CHECK: HAND_OFF itself moves the lab on', async () => {
    const d = new FakeDriver(lab('installHandoff.shippingHosts'), {}, (x, what) => {
      if (what === 'HAND_OFF') x.view = lab('registration');
    });
    await showStep(d, s, 'installHandoff.shippingHosts');
    expect(d.log.filter((l) => l.startsWith('lab '))).toEqual(['lab HAND_OFF']);
  });

  it('refuses a path that is no step', async () => {
    await expect(showStep(new FakeDriver(lab('x')), s, 'nowhere')).rejects.toThrow(/There is no step "nowhere"/);
  });
});

describe('hostTrouble', () => {
  it('names a failed command or a fault, else nothing', () => {
    expect(hostTrouble(lab('x'))).toBeNull();
    expect(hostTrouble(lab('x', hostView({ label: 'Installation failed', data: { fault: { reason: 'disk-too-small' } } })))).toBe('edge-host-1 is in trouble (Installation failed): disk-too-small');
    expect(hostTrouble(lab('x', hostView({ data: { commandError: { command: 'POWER_ON', message: 'qemu died' } } })))).toBe('edge-host-1: POWER_ON failed: qemu died');
  });

  it('adds a host that waits for manual registration in Palette at once, instead of waiting out its time', async () => {
    const awaiting = hostView({ state: { powered: { registrationMode: 'awaitingApproval' } }, label: 'Waiting to be added in Palette', tags: ['on'], allowed: ['POWER_OFF'], data: { hostId: 'store0042-node1' } });
    const d = new FakeDriver(lab('registration', awaiting), { 'POST /palette/v1/edgehosts': { status: 201, body: { hosts: [] } } }, (drv, what) => {
      // Palette has the host now: it registers, and the lab moves on.
      if (what === 'every host to register' && drv.log.includes('POST /palette/v1/edgehosts')) {
        drv.view = doneUpTo(lab('clusterProvisioning', hostView({ state: { powered: { paired: { lifecycle: 'registered', health: 'healthy' } } }, tags: ['on'], data: { hostId: 'store0042-node1' } })), 'registration');
      }
    });
    expect(await step('registration').perform(d, s, {})).toBe('store0042-node1');
    expect(d.bodies.filter((b) => b.path === '/palette/v1/edgehosts')).toEqual([{ method: 'POST', path: '/palette/v1/edgehosts', body: { hostIds: ['store0042-node1'], project: 'Default' } }]);
  });
});
