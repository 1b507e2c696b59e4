/**
 * A host's serial console as the page shows it (xterm.js in the hosts part):
 * read what it shows, wait for text, bring the host to a shell, and time a
 * keystroke in the page to its echo from the VM.
 */
import type { Page } from 'playwright-core';
import type { GuideLab } from './guide-lab';

/** The host's card in the hosts part (a <Run> also carries data-host, hence the part). */
export const hostCard = (page: Page, host: string) => page.locator(`[data-lab-part="hosts"] [data-host="${host}"]`);
const consoleSelector = (host: string): string => `[data-lab-part="hosts"] [data-host-console="${host}"]`;

/** The console's visible rows, as text (trailing blanks trimmed, one line per row). */
export async function consoleScreen(page: Page, host: string): Promise<string> {
  return page.locator(`${consoleSelector(host)} .xterm-rows`).evaluate((rows) =>
    Array.from(rows.children).map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n').trimEnd());
}

/** Waits until the console's visible rows match `re`; the error shows what they showed. */
export async function waitForConsole(page: Page, host: string, re: RegExp, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  for (;;) {
    screen = await consoleScreen(page, host).catch(() => '');
    if (re.test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`[host-console] ${host}'s console did not show ${re} within ${timeoutMs / 1000} s; it shows:\n${screen.slice(-1500)}`);
    await page.waitForTimeout(250);
  }
}

/** A shell prompt at the end of the screen: busybox ash's `/ # ` or the Edge OS's `host:/# `. */
export const SHELL_PROMPT = /[#$] ?$/;

/**
 * Brings `host` of the page's lab to a shell on its console the way a reader
 * would, but quickly: an installer is built through the lab API (user data
 * without `install.poweroff`, so the installer ends in a shell), then the page's
 * buttons insert the stick and power the host on. Resolves with the screen.
 */
export async function bootToInstallerShell(lab: GuideLab, page: Page, host = 'edge-host-1', timeoutMs = 180_000): Promise<string> {
  const card = hostCard(page, host);
  await card.waitFor({ timeout: 60_000 });
  const remembered = await lab.rememberedLab(page);
  if (!remembered) throw new Error('[host-console] the page has not opened a lab (nothing remembered in localStorage)');
  const userData = ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.palette.lab', '    edgeHostToken: tok-browser-test', `    name: ${host}`, ''].join('\n');
  const built = await lab.labApi(remembered, 'POST', '/installers', { userData });
  if (built.status !== 201) throw new Error(`[host-console] building the installer failed (${built.status}): ${JSON.stringify(built.body)}`);
  await card.getByRole('button', { name: 'Insert the installer stick' }).click();
  await card.getByRole('button', { name: 'Power on' }).click();
  await waitForConsole(page, host, /Installation Complete/, timeoutMs);
  return waitForConsole(page, host, SHELL_PROMPT, 30_000);
}

/** Focuses the console's terminal, so that page.keyboard types into it. */
export async function focusConsole(page: Page, host: string): Promise<void> {
  await page.locator(`${consoleSelector(host)} textarea`).focus();
}

/**
 * Types one character into the console and resolves with the time, in the page's
 * own clock, from its keydown to the moment the character appears on the screen
 * (one more of it in the terminal's rows: the VM's echo, received over the lab
 * socket and drawn). Use characters the screen will not print by itself.
 */
export async function timeEcho(page: Page, host: string, ch: string, timeoutMs = 5_000): Promise<number> {
  if (ch.length !== 1) throw new Error('[host-console] timeEcho types exactly one character');
  await page.evaluate(`(${ARM_ECHO})(${JSON.stringify(consoleSelector(host))}, ${JSON.stringify(ch)}, ${timeoutMs})`);
  await page.keyboard.type(ch);
  return page.evaluate('window.__edgeLabEcho');
}

/**
 * Runs in the page (as text: a transpiler's helpers, such as esbuild's __name, do not
 * exist there). Leaves in window.__edgeLabEcho a promise of the keydown-to-echo time.
 */
const ARM_ECHO = `function (selector, c, limit) {
  var rows = document.querySelector(selector + ' .xterm-rows');
  if (!rows) throw new Error('no terminal rows in ' + selector);
  function count() { return (rows.textContent || '').split(c).length - 1; }
  var before = count();
  var t0 = null;
  window.__edgeLabEcho = new Promise(function (resolve, reject) {
    function onKey(e) { if (e.key === c && t0 === null) t0 = performance.now(); }
    var observer = new MutationObserver(function () {
      if (t0 !== null && count() > before) { var t1 = performance.now(); done(); resolve(t1 - t0); }
    });
    var timer = setTimeout(function () {
      done();
      reject(new Error('no echo of "' + c + '" within ' + limit + ' ms' + (t0 === null ? ' (and no keydown seen)' : '')));
    }, limit);
    function done() { observer.disconnect(); document.removeEventListener('keydown', onKey, true); clearTimeout(timer); }
    document.addEventListener('keydown', onKey, true);
    observer.observe(rows, { childList: true, subtree: true, characterData: true });
  });
}`;
