/**
 * What a reader does in each guide, as a person would: find the part on the
 * page, fill in its labelled fields, press its buttons, read what it shows.
 * Shared by the browser tests and the guided benchmark; no lab API shortcuts.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

const MINUTE = 60_000;
export const HOST = 'edge-host-1';

export const part = (page: Page, name: string): Locator => page.locator(`section[data-lab-part="${name}"]`).first();
export const hostCard = (page: Page, host = HOST): Locator => page.locator(`[data-lab-part="hosts"] [data-host="${host}"]`);

/** A phase's status as the progress part shows it. */
export async function phaseStatus(page: Page, phase: string): Promise<string | null> {
  return part(page, 'progress').locator(`[data-phase="${phase}"]`).getAttribute('data-status', { timeout: 1000 }).catch(() => null);
}

export async function waitForPhaseDone(page: Page, phase: string, timeoutMs: number): Promise<void> {
  await expect.poll(() => phaseStatus(page, phase), { timeout: timeoutMs, interval: 500, message: `phase ${phase} done` }).toBe('done');
}

export async function hostState(page: Page, host = HOST): Promise<string> {
  return (await hostCard(page, host).locator('[data-host-state]').textContent({ timeout: 1000 }).catch(() => '')) ?? '';
}

/** Clicks a host button once the host's view offers it. */
export async function pressHostButton(page: Page, name: string, host = HOST, timeoutMs = MINUTE): Promise<void> {
  const button = hostCard(page, host).getByRole('button', { name, exact: true });
  await button.waitFor({ timeout: timeoutMs });
  await expect.poll(() => button.isEnabled(), { timeout: timeoutMs }).toBe(true);
  await button.click();
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
  layers: readonly { legend: string; pack: string; version: string; values?: Readonly<Record<string, string>> }[];
}

/** Phase 1 in /model-cluster-profile: the profile editor, then Save profile. */
export async function modelProfile(page: Page, p: ProfileInput): Promise<void> {
  const pb = part(page, 'profile-builder');
  await pb.getByLabel('Profile name').waitFor({ timeout: MINUTE });
  await pb.getByLabel('Profile name').fill(p.name);
  await pb.getByLabel('Version', { exact: true }).fill(p.version);
  for (const layer of p.layers) {
    const group = pb.getByRole('group', { name: layer.legend });
    await setControl(group.getByLabel('Pack', { exact: true }), layer.pack);
    await setControl(group.getByLabel('Pack version'), layer.version);
    for (const [key, value] of Object.entries(layer.values ?? {})) await setControl(group.getByLabel(key, { exact: true }), value);
  }
  await pb.getByRole('button', { name: 'Save profile' }).click();
  await expect.poll(() => pb.locator('[data-save-status]').getAttribute('data-save-status', { timeout: 1000 }).catch(() => null), { timeout: MINUTE }).toBe('saved');
}

/** In the tokens part: a token with a default project. */
export async function createToken(page: Page, name: string, project: string): Promise<void> {
  const tokens = part(page, 'tokens');
  await tokens.getByLabel('Registration token name').waitFor({ timeout: MINUTE });
  await tokens.getByLabel('Registration token name').fill(name);
  await tokens.getByLabel('Default project').selectOption(project);
  await tokens.getByRole('button', { name: 'Add token' }).click();
  await tokens.locator(`[data-token="${name}"]`).waitFor({ timeout: MINUTE });
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
  await expect.poll(() => ib.locator('[data-user-data]').getAttribute('data-user-data')).toBe(userData);
  if (insertToken !== null) {
    await ib.getByLabel('Token to insert').selectOption(insertToken);
    await ib.getByRole('button', { name: 'Insert token' }).click();
    await expect.poll(() => ib.locator('[data-user-data]').getAttribute('data-user-data')).not.toBe(userData);
  }
  await ib.getByRole('button', { name: 'Build installer' }).click();
  await expect.poll(() => ib.locator('[data-build]').getAttribute('data-build', { timeout: 1000 }).catch(() => null), { timeout: MINUTE }).toBe('built');
  return (await ib.locator('[data-installer-field="id"]').textContent())?.trim() ?? '';
}

/** A clickable command of the guide: runs it and waits until its output matches. */
export async function runCommand(page: Page, command: string, expected: RegExp, timeoutMs = MINUTE): Promise<string> {
  const run = page.locator(`[data-lab-part="run"] [data-run-command="${command}"]`);
  const button = run.getByRole('button', { name: /^Run on / });
  await expect.poll(() => button.isEnabled(), { timeout: timeoutMs }).toBe(true);
  await button.click();
  let text = '';
  await expect.poll(async () => (text = (await run.locator('[data-run-output]').textContent()) ?? ''), { timeout: timeoutMs, message: `the output of ${command}` }).toMatch(expected);
  return text;
}

/** Phase 4 in /create-cluster-definition: the wizard's steps, then Create cluster. */
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
  await next();
  await wizard.getByRole('button', { name: 'Create cluster' }).click();
  await wizard.getByText(`Cluster ${c.name} created`).waitFor({ timeout: MINUTE });
}

/** Console errors that are not problems: the 4xx answers a test provokes on purpose. */
export function unexpectedConsoleErrors(errors: readonly string[]): string[] {
  return errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e));
}
