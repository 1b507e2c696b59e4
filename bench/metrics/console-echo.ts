import type { Page } from 'playwright-core';
import { LabClient } from '../../simulator/scenarios/lab-client';
import { bootToInstallerShell, focusConsole, hostCard, SHELL_PROMPT, timeEcho, waitForConsole } from '../../simulator/testing/browser/host-console';
import { percentile } from '../stats';
import type { Metric } from '../context';
import { benchGuideLab } from './guide-lab';

const PAGE = '/perform-site-install';
const HOST = 'edge-host-1';
const KEYSTROKES = 40;
/** Keystrokes per shell line; then Enter (the line is a `#` comment) and a fresh prompt. */
const PER_LINE = 20;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * How long a reader waits for what they type in a host's console to show:
 * keydown in the page → xterm.js → lab socket → the VM's serial port → the
 * shell's echo → QEMU → lab server → socket → the page's terminal.
 */
export const consoleEcho: Metric = {
  name: 'console_echo_ms',
  unit: 'ms',
  what: `a letter typed into ${HOST}'s console on \`${PAGE}\` (keydown, in the page's clock) → the letter drawn in the page's terminal, echoed by the VM's shell; p50 of ${KEYSTROKES} keystrokes per sample`,
  target: [{ kind: 'max', value: 60 }],
  baseline: null,
  notes: [
    `The host is booted once per run, untimed: an installer built through the lab API (user data without \`install.poweroff\`), then the page's own buttons insert the stick and power on; the installer ends in a busybox shell. Each line typed starts with \`#\`, so Enter every ${PER_LINE} letters runs nothing.`,
    'Timed in the page: a capture-phase keydown listener starts the clock, a MutationObserver on the terminal\'s rows stops it when one more of the letter is drawn. Playwright types the keys (trusted key events).',
    '`p90_ms` and `max_ms` are of the same keystrokes; `socket_echo_ms` is the p50 of as many letters typed over the lab WebSocket from Node.js (no page, no terminal) just after them: what the VM and the lab server take without the page.',
    'No baseline: an echo from a console without the lab has no equivalent here; the socket figure shows what the page adds.',
  ],
  async prepare(ctx) {
    const lab = await benchGuideLab(ctx);
    const context = await lab.newContext();
    try {
      const { page, url } = await lab.newPage(context);
      await page.goto(url(PAGE));
      ctx.log(`console_echo_ms: booting ${HOST} to the installer's shell (untimed)`);
      await bootToInstallerShell(lab, page, HOST);
      const remembered = (await lab.rememberedLab(page))!;
      const socket = new LabClient(lab.labServerUrl, { labId: remembered.labId, role: remembered.role, token: remembered.token ?? '', sessionSecret: remembered.sessionSecret, expiresAt: remembered.expiresAt ?? 0 });
      await socket.connect();
      socket.attachConsole(HOST);
      return {
        async sample() {
          const inPage = await typeInPage(page);
          const overSocket = await typeOverSocket(socket, page);
          return {
            value: percentile(inPage, 50),
            extra: { p90_ms: percentile(inPage, 90), max_ms: Math.max(...inPage), socket_echo_ms: percentile(overSocket, 50) },
          };
        },
        async close() {
          socket.close();
          await hostCard(page, HOST).getByRole('button', { name: 'Pull the plug' }).click().catch(() => {});
          await context.close();
        },
      };
    } catch (err) {
      await context.close().catch(() => {});
      throw err;
    }
  },
};

async function newCommentLine(page: Page): Promise<void> {
  await focusConsole(page, HOST);
  await page.keyboard.press('Enter');
  await waitForConsole(page, HOST, SHELL_PROMPT, 10_000);
  await page.keyboard.type('# ');
}

async function typeInPage(page: Page): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < KEYSTROKES; k++) {
    if (k % PER_LINE === 0) await newCommentLine(page);
    times.push(await timeEcho(page, HOST, LETTERS[k % LETTERS.length]!));
    await page.waitForTimeout(20);
  }
  return times;
}

async function typeOverSocket(socket: LabClient, page: Page): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < KEYSTROKES; k++) {
    if (k % PER_LINE === 0) await newCommentLine(page);
    const ch = LETTERS[k % LETTERS.length]!;
    const before = socket.consoleText(HOST).length;
    const t0 = performance.now();
    socket.type(HOST, ch);
    for (;;) {
      if (socket.consoleText(HOST).slice(before).includes(ch)) break;
      if (performance.now() - t0 > 5_000) throw new Error(`[bench] no echo of "${ch}" over the lab socket within 5 s`);
      await new Promise((r) => setTimeout(r, 1));
    }
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}
