/**
 * What a reader does in each guide, as a person would: find the part on the
 * page, fill in its labelled fields, press its buttons, read what it shows.
 * Shared by the browser tests and the guided benchmark; no lab API shortcuts.
 */
import type { Locator, Page } from 'playwright-core';
import { consoleScreen, hostCard as hostCardOf } from '../../simulator/testing/browser/host-console';
import { HAND_OFF_BUTTON } from '../lab/components/handoff';

const MINUTE = 60_000;
export const HOST = 'edge-host-1';

/**
 * Reads until `ok` holds, at most `timeoutMs`; the error says what was awaited
 * and what was last read. (Not vitest's expect.poll: the benchmark uses these too.)
 */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`[guide] waited ${Math.round(timeoutMs / 1000)} s for ${what}; last seen: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
const attr = (l: Locator, name: string): Promise<string | null> => l.getAttribute(name, { timeout: 1000 }).catch(() => null);

export const part = (page: Page, name: string): Locator => page.locator(`section[data-lab-part="${name}"]`).first();
export const hostCard = (page: Page, host = HOST): Locator => hostCardOf(page, host);

/** A phase's status as the progress part shows it. */
export async function phaseStatus(page: Page, phase: string): Promise<string | null> {
  return part(page, 'progress').locator(`[data-phase="${phase}"]`).getAttribute('data-status', { timeout: 1000 }).catch(() => null);
}

export async function waitForPhaseDone(page: Page, phase: string, timeoutMs: number): Promise<void> {
  await until(() => phaseStatus(page, phase), (v) => v === 'done', timeoutMs, `phase ${phase} to be done`, 500);
}

export async function hostState(page: Page, host = HOST): Promise<string> {
  return (await hostCard(page, host).locator('[data-host-state]').textContent({ timeout: 1000 }).catch(() => '')) ?? '';
}

/** Clicks a host button once the host's view offers it. */
export async function pressHostButton(page: Page, name: string, host = HOST, timeoutMs = MINUTE): Promise<void> {
  const button = hostCard(page, host).getByRole('button', { name, exact: true });
  await button.waitFor({ timeout: timeoutMs });
  await until(() => button.isEnabled(), Boolean, timeoutMs, `the button ${name} of ${host} to be enabled`);
  await button.click();
}

/** Waits until the hosts part says the lab is at the handoff step (every host installed, not yet handed over). */
export async function waitForHandoffStep(page: Page, timeoutMs: number): Promise<void> {
  await part(page, 'hosts').locator('[data-handoff-step="now"]').waitFor({ timeout: timeoutMs });
}

/**
 * IT/Ops (or a solo reader) hands the installed hosts over to the site: presses
 * "Hand over to the site" in the hosts part, then waits for the hosts part to say
 * the site technician holds them.
 */
export async function handHostsOver(page: Page, timeoutMs = MINUTE): Promise<void> {
  const hosts = part(page, 'hosts');
  const button = hosts.getByRole('button', { name: HAND_OFF_BUTTON, exact: true });
  await button.waitFor({ timeout: timeoutMs });
  await until(() => button.isEnabled(), Boolean, timeoutMs, `the button ${HAND_OFF_BUTTON} to be enabled`);
  await button.click();
  await hosts.locator('[data-custody="site-technician"]').waitFor({ timeout: timeoutMs });
}

/** Sets a labelled control, whether the page made it a select or a text input. */
async function setControl(control: Locator, value: string): Promise<void> {
  const tag = await control.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'select') await control.selectOption(value);
  else await control.fill(value);
}

export interface ProfileInput {
  name: string;
  version: string;
  /** Palette's Tags field, as typed (`key:value, …`). */
  tags?: string;
  layers: readonly { legend: string; pack: string; version: string; values?: Readonly<Record<string, string>> }[];
}

/** Phase 1 in /model-cluster-profile: the profile editor, then Save profile. */
export async function modelProfile(page: Page, p: ProfileInput): Promise<void> {
  const pb = part(page, 'profile-builder');
  await pb.getByLabel('Profile name').waitFor({ timeout: MINUTE });
  await pb.getByLabel('Profile name').fill(p.name);
  await pb.getByLabel('Version', { exact: true }).fill(p.version);
  if (p.tags !== undefined) await pb.getByLabel('Tags', { exact: true }).fill(p.tags);
  for (const layer of p.layers) {
    const group = pb.getByRole('group', { name: layer.legend });
    await setControl(group.getByLabel('Pack', { exact: true }), layer.pack);
    await setControl(group.getByLabel('Pack version'), layer.version);
    for (const [key, value] of Object.entries(layer.values ?? {})) await setControl(group.getByLabel(key, { exact: true }), value);
  }
  await pb.getByRole('button', { name: 'Save profile' }).click();
  await until(() => attr(pb.locator('[data-save-status]'), 'data-save-status'), (v) => v === 'saved', MINUTE, 'the profile to be saved');
  if (p.tags !== undefined) {
    const saved = pb.locator(`tr[data-profile="${p.name}"][data-version="${p.version}"]`);
    const want = p.tags.split(',').map((t) => t.trim()).join(', ');
    await until(() => saved.textContent({ timeout: 1000 }).catch(() => ''), (t) => (t ?? '').includes(want), 20_000, `the saved version to list the tags ${want}`);
    // The list's name filter, as Palette's Profiles page has it: a name that matches nothing hides the row.
    const search = pb.getByLabel('Name contains');
    await search.fill('no-such-profile');
    await until(() => saved.count(), (n) => n === 0, 10_000, 'the name filter to hide the profile');
    await search.fill(p.name.slice(0, 6));
    await until(() => saved.count(), (n) => n === 1, 10_000, 'the name filter to show the profile again');
  }
}

/**
 * In the tokens part: a token with a default project. Its value is shown once, beside the form; the
 * list shows only its last four characters. Resolves with the value.
 */
export async function createToken(page: Page, name: string, project: string): Promise<string> {
  const tokens = part(page, 'tokens');
  await tokens.getByLabel('Registration token name').waitFor({ timeout: MINUTE });
  await tokens.getByLabel('Registration token name').fill(name);
  await tokens.getByLabel('Default project').selectOption(project);
  await tokens.getByRole('button', { name: 'Add token' }).click();
  const row = tokens.locator(`[data-token="${name}"]`);
  await row.waitFor({ timeout: MINUTE });
  const value = ((await tokens.locator(`[data-created-token="${name}"] [data-token-value]`).textContent({ timeout: MINUTE })) ?? '').trim();
  const end = await attr(row.locator('[data-token-value-end]'), 'data-token-value-end');
  if (value.length < 16 || end !== value.slice(-4)) throw new Error(`[guide] token ${name}: shown once as ${JSON.stringify(value)}, listed as ending in ${JSON.stringify(end)}`);
  if ((await row.textContent())?.includes(value)) throw new Error(`[guide] the token list shows the whole value of ${name}; Palette shows it once, at creation`);
  return value;
}

/** In the tokens part's Projects: creates one, which the token form's projects then offer. */
export async function createProject(page: Page, name: string): Promise<void> {
  const tokens = part(page, 'tokens');
  await tokens.getByLabel('New project name').fill(name);
  await tokens.getByRole('button', { name: 'Create project' }).click();
  await until(() => attr(tokens.locator('[data-projects]'), 'data-projects'), (v) => (v ?? '').split(',').includes(name), 20_000, `project ${name} to be listed`);
  await until(() => tokens.getByLabel('Default project').locator(`option[value="${name}"]`).count(), (n) => n === 1, 20_000, `the token form to offer ${name}`);
}

/**
 * In the installer part: types the user data into the editor as a person would
 * (select all, type), optionally puts a token in with Insert token, and builds.
 * Resolves with the installer's id.
 */
export async function buildInstaller(page: Page, userData: string, insertToken: string | null): Promise<string> {
  const ib = part(page, 'installer-builder');
  const editor = ib.getByRole('textbox', { name: 'User data' });
  await editor.waitFor({ timeout: MINUTE });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(userData);
  await until(() => attr(ib.locator('[data-user-data]'), 'data-user-data'), (v) => v === userData, 10_000, 'the editor to hold the typed user data');
  if (insertToken !== null) {
    await ib.getByLabel('Token to insert').selectOption(insertToken);
    await ib.getByRole('button', { name: 'Insert token' }).click();
    await until(() => attr(ib.locator('[data-user-data]'), 'data-user-data'), (v) => v !== userData, 10_000, 'Insert token to change the user data');
  }
  await ib.getByRole('button', { name: 'Build installer' }).click();
  await until(() => attr(ib.locator('[data-build]'), 'data-build'), (v) => v === 'built', MINUTE, 'the installer to be built');
  return (await ib.locator('[data-installer-field="id"]').textContent())?.trim() ?? '';
}

/** A clickable command of the guide: runs it and waits until its output matches. */
export async function runCommand(page: Page, command: string, expected: RegExp, timeoutMs = MINUTE): Promise<string> {
  const run = page.locator(`[data-lab-part="run"] [data-run-command="${command}"]`);
  const button = run.getByRole('button', { name: /^Run on / });
  await until(() => button.isEnabled(), Boolean, timeoutMs, `the Run button of ${command} to be enabled`);
  await button.click();
  return until(async () => (await run.locator('[data-run-output]').textContent()) ?? '', (t) => expected.test(t), timeoutMs, `the output of ${command} to match ${expected}`);
}

/** Phase 4 in /create-cluster-definition: the wizard's steps, then Finish Configuration. */
export async function createCluster(page: Page, c: { name: string; profile: string; version: string; vip: string; host: string }): Promise<void> {
  const wizard = part(page, 'cluster-wizard');
  const next = (): Promise<void> => wizard.getByRole('button', { name: 'Next', exact: true }).click();
  await wizard.getByLabel('Cluster name').waitFor({ timeout: MINUTE });
  await wizard.getByLabel('Cluster name').fill(c.name);
  await next();
  await wizard.getByLabel('Cluster profile').selectOption(c.profile);
  await wizard.getByLabel('Profile version').selectOption(c.version);
  await next();
  await next(); // Parameters: the profile's values stand.
  await wizard.getByLabel('VIP').fill(c.vip);
  await next();
  await wizard.getByRole('group', { name: 'Control-plane pool' }).getByRole('checkbox', { name: c.host, exact: true }).check();
  await wizard.getByLabel('Allow worker capability').check();
  // A per-host static IP with an address that is none: Finish Configuration brings the reader back
  // to this step with the field marked; turning the static IP off again lets the host keep its own.
  const staticIp = wizard.getByLabel(`Static IP for ${c.host}`);
  await staticIp.check();
  await wizard.getByLabel('IP address').fill('10.77.0.300');
  await wizard.getByLabel('Subnet mask').fill('255.255.255.0');
  await next();
  await wizard.getByText('applies none of these').waitFor({ timeout: MINUTE }); // Settings
  await next();
  await wizard.getByRole('button', { name: 'Finish Configuration' }).click();
  await until(() => attr(wizard.locator('[data-wizard-step]'), 'data-wizard-step'), (v) => v === 'nodes', MINUTE, 'the wizard to go back to the Nodes step');
  await until(() => attr(wizard.getByLabel('IP address'), 'aria-invalid'), (v) => v === 'true', 10_000, 'the static IP field to be marked');
  await staticIp.uncheck();
  await next();
  await wizard.getByText('applies none of these').waitFor({ timeout: MINUTE });
  await next();
  await wizard.getByRole('button', { name: 'Finish Configuration' }).click();
  await wizard.getByText(`Cluster ${c.name} created`).waitFor({ timeout: MINUTE });
}

/** Console errors that are not problems: the 4xx answers a test provokes on purpose. */
export function unexpectedConsoleErrors(errors: readonly string[]): string[] {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
}

/** The user data a reader types: the token line is filled by Insert token (or typed wrong on purpose). */
export const readerUserData = (token: string, host = HOST): string =>
  ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.palette.lab', `    edgeHostToken: ${token}`, `    name: ${host}`, 'install:', '  poweroff: true', ''].join('\n');

/** The single-node scenario's profile, as the guide tells the reader to model it. */
export const GUIDE_PROFILE: ProfileInput = {
  name: 'edge-k3s-lab',
  version: '1.0.0',
  tags: 'env:lab, site:east',
  layers: [
    {
      legend: 'Operating system', pack: 'edge-native-byoi', version: '1.0.0',
      values: { 'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider', 'system.k8sDistribution': 'k3s', 'system.peVersion': 'v4.7.16', 'system.customTag': 'lab' },
    },
    { legend: 'Kubernetes', pack: 'edge-k3s', version: '1.32.4' },
    { legend: 'Network', pack: 'cni-calico', version: '3.30.1' },
  ],
};

export type GuidePhase = 'model-profile' | 'install-handoff' | 'registration' | 'cluster-provisioning';

/**
 * The whole Deployment guide, page by page through the guides' own links, as a
 * reader does it. `onPhase` runs when each phase is done (screenshots, timings).
 * Resolves with the output of `kubectl get nodes` on the host.
 */
export async function followTheGuides(page: Page, url: (path: string) => string, onPhase: (phase: GuidePhase) => Promise<void> = async () => {}): Promise<string> {
  const walkTo = async (link: string, path: string): Promise<void> => {
    await page.getByRole('link', { name: link, exact: true }).first().click();
    await page.waitForURL(url(path));
  };
  await page.goto(url('/model-cluster-profile'));
  await modelProfile(page, GUIDE_PROFILE);
  await waitForPhaseDone(page, 'model-profile', MINUTE);
  await onPhase('model-profile');

  await walkTo('Prepare edge hosts', '/prepare-edge-hosts');
  await createToken(page, 'edge-lab-token', 'Default');
  await createProject(page, 'Retail-East');
  const installer = await buildInstaller(page, readerUserData('<registration-token>'), 'edge-lab-token');
  if (!/^installer-[0-9a-f]{12}$/.test(installer)) throw new Error(`[guide] the installer part shows the id ${JSON.stringify(installer)}`);
  await pressHostButton(page, 'Insert the installer stick');
  await pressHostButton(page, 'Power on');
  // Installed: the lab waits for IT/Ops to hand the hosts over; they ship powered off.
  await waitForHandoffStep(page, 5 * MINUTE);
  await until(() => hostState(page), (v) => /off/i.test(v), 2 * MINUTE, 'the host to power off after installing');
  await handHostsOver(page);
  await waitForPhaseDone(page, 'install-handoff', MINUTE);
  await onPhase('install-handoff');

  await walkTo('Perform the site install', '/perform-site-install');
  // The host is off and prints nothing now: what its console shows here was kept across the page
  // change. (xterm.js draws only while in view, hence the scroll; the part may mount its console
  // again while the new page's lab comes live, so the scroll is tried until it holds.)
  const newConsole = page.locator(`[data-lab-part="hosts"] [data-host-console="${HOST}"]`);
  await until(() => newConsole.scrollIntoViewIfNeeded({ timeout: 2000 }).then(() => true, () => false), (ok) => ok, 20_000, `${HOST}'s console on the new page to be in view`);
  await until(() => consoleScreen(page, HOST).catch(() => ''), (t) => /Installation Complete/.test(t), 10_000, `${HOST}'s console on the new page to show what it printed while installing`);
  await pressHostButton(page, 'Remove the stick');
  await buildSiteStick(page);
  await pressHostButton(page, 'Insert the site user data stick');
  await pressHostButton(page, 'Power on');
  await waitForPhaseDone(page, 'registration', 5 * MINUTE);
  await pressHostButton(page, 'Remove the stick');
  await runCommand(page, 'cat /oem/90_custom.yaml', /paletteEndpoint: api\.palette\.lab/, 2 * MINUTE);
  await walkTo('Register the edge host', '/register-edge-host');
  const row = part(page, 'edge-hosts').locator(`[data-palette-host="${HOST}"]`);
  await until(() => attr(row, 'data-status'), (v) => v === 'Ready', MINUTE, `${HOST} to be Ready in the Edge Hosts grid`);
  // The site stick's tag, read by the host at its first boot from disk and sent with its registration.
  await until(() => row.textContent({ timeout: 1000 }).catch(() => ''), (t) => (t ?? '').includes(`store=${SITE_STORE_TAG}`), MINUTE, `${HOST}'s row to show the site stick's tag`);
  await addAndDeleteHostId(page, 'edge-spare-1');
  await registerThroughTheApp(page, url, 'edge-qr-1');
  await onPhase('registration');

  await walkTo('Create the cluster definition', '/create-cluster-definition');
  await createCluster(page, { name: 'edge-lab-cluster', profile: GUIDE_PROFILE.name, version: GUIDE_PROFILE.version, vip: '10.77.0.100', host: HOST });
  const cluster = part(page, 'cluster-overview').locator('[data-cluster="edge-lab-cluster"]');
  await until(() => attr(cluster, 'data-status'), (v) => v === 'Running', 10 * MINUTE, 'the cluster to be Running', 1000);
  await waitForPhaseDone(page, 'cluster-provisioning', MINUTE);
  const nodes = await runCommand(page, 'kubectl get nodes', new RegExp(`${HOST}\\s+Ready`), 2 * MINUTE);
  await onPhase('cluster-provisioning');
  return nodes;
}

/** The tag the site user data stick adds (the part's template has the same key). */
const SITE_STORE_TAG = '17';

/**
 * In the site-stick part on /perform-site-install: site user data with `stages` is refused; then a
 * tag only, which is built.
 */
async function buildSiteStick(page: Page): Promise<void> {
  const sb = part(page, 'site-stick-builder');
  const editor = sb.getByRole('textbox', { name: 'User data' });
  const typeIt = async (text: string): Promise<void> => {
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  };
  const build = sb.getByRole('button', { name: 'Build the site user data stick' });
  await editor.waitFor({ timeout: MINUTE });
  await typeIt(['#cloud-config', 'stages:', '  boot:', '    - commands:', '        - echo hi', ''].join('\n'));
  await build.click();
  await until(() => attr(sb.locator('[data-build]'), 'data-build'), (v) => v === 'refused', MINUTE, 'site user data with stages to be refused');
  await typeIt(['#cloud-config', 'stylus:', '  site:', '    tags:', `      store: "${SITE_STORE_TAG}"`, ''].join('\n'));
  await build.click();
  await until(() => attr(sb.locator('[data-build]'), 'data-build'), (v) => v === 'built', MINUTE, 'the site user data stick to be built');
}

/**
 * The address a host's QR code holds opens the lab's registration app with the ID filled in;
 * Register host adds it (Unpaired: no machine has claimed it). Back on the guide, the grid shows it
 * and deletes it.
 */
async function registerThroughTheApp(page: Page, url: (path: string) => string, hostId: string): Promise<void> {
  await page.goto(url(`/edge-registration?edgeHostId=${hostId}`));
  const app = part(page, 'registration-app');
  const field = app.getByLabel('Edge host ID');
  await field.waitFor({ timeout: MINUTE });
  const filled = await field.inputValue();
  if (filled !== hostId) throw new Error(`[guide] the registration app filled in ${JSON.stringify(filled)}, not ${hostId}`);
  await until(() => attr(app.locator('[data-registration-status]'), 'data-registration-status'), (v) => v === 'absent', 20_000, `the app to say Palette has no ${hostId} yet`);
  await app.getByRole('button', { name: 'Register host' }).click();
  await until(() => attr(app.locator('[data-registration-status]'), 'data-registration-status'), (v) => v === 'Unpaired', 20_000, `the app to show ${hostId} Unpaired`);
  await page.goto(url('/register-edge-host'));
  const grid = part(page, 'edge-hosts');
  const row = grid.locator(`[data-palette-host="${hostId}"]`);
  await until(() => attr(row, 'data-registration'), (v) => v === 'added', MINUTE, `${hostId} to be in the Edge Hosts grid`);
  await grid.getByRole('button', { name: `Delete ${hostId}` }).click();
  await until(() => row.count(), (n) => n === 0, 20_000, `${hostId} to be gone from the Edge Hosts grid`);
}

/** Adds an ID in the Edge Hosts part (Add Edge Hosts), sees its row, and deletes it from the grid. */
async function addAndDeleteHostId(page: Page, hostId: string): Promise<void> {
  const grid = part(page, 'edge-hosts');
  await grid.getByLabel('Edge host IDs').fill(hostId);
  await grid.getByRole('button', { name: 'Add Edge Hosts' }).click();
  const row = grid.locator(`[data-palette-host="${hostId}"]`);
  await until(() => attr(row, 'data-registration'), (v) => v === 'added', 20_000, `${hostId} to be in the Edge Hosts grid`);
  await grid.getByRole('button', { name: `Delete ${hostId}` }).click();
  await until(() => row.count(), (n) => n === 0, 20_000, `${hostId} to be gone from the Edge Hosts grid`);
}
