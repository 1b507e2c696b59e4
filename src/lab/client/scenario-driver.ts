// The scenario steps' driver for a page (simulator/pure/scenarios/scenario-steps.ts): "Show me"
// performs a step through the same doors the reader uses — the lab's HTTP API with the session's
// token (callLab), commands over the lab socket, the live view, and a host's serial console.
import type { LabView } from '../../../simulator/pure/protocol';
import type { DriverMethod, DriverTarget, ScenarioDriver } from '../../../simulator/pure/scenarios/scenario-steps';
import { outputSince } from './console-text';
import { LabClientError } from './errors';
import type { Lab } from './lab';
import { callLab } from './lab-api';

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

// Markers must not match anything a console printed before (its history comes with the attach).
let lastMarker = 0;
function nextMarker(): number {
  lastMarker = Math.max(lastMarker + 1, Date.now());
  return lastMarker;
}

export class BrowserScenarioDriver implements ScenarioDriver {
  constructor(private readonly lab: Lab) {}

  async call(method: DriverMethod, path: string, body: unknown, okStatuses: readonly number[], doing: string): Promise<unknown> {
    const r = await callLab(this.lab.session, method, path, body);
    if (okStatuses.includes(r.status)) return r.ok ? r.value : { error: r.code, message: r.message, issues: r.issues };
    if (r.ok) throw new LabClientError(`${capitalized(doing)} failed: the lab answered ${r.status}, which was not expected.`, 'http');
    const issues = r.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new LabClientError(`${capitalized(doing)} failed: ${r.message}${issues ? ` (${issues})` : ''}`, r.code);
  }

  command(target: DriverTarget, name: string, args?: Record<string, string>): Promise<void> {
    return this.lab.connection.command(target, name, args);
  }

  waitForView(pred: (v: LabView) => boolean, timeoutMs: number, what: string, trouble?: (v: LabView) => string | null): Promise<LabView> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearTimeout(timer);
        fn();
      };
      const check = (): void => {
        const { connection } = this.lab.getSnapshot();
        const view = connection.view;
        if (view && pred(view)) return finish(() => resolve(view));
        const why = view && trouble ? trouble(view) : null;
        if (why) return finish(() => reject(new LabClientError(`stopped waiting for ${what}: ${why}`, 'trouble')));
        if (connection.status === 'stopped') {
          const problem = connection.problem?.message.replace(/^\[lab-client\] /, '') ?? 'the page closed the lab connection';
          finish(() => reject(new LabClientError(`stopped waiting for ${what}: ${problem}`, 'not-connected')));
        }
      };
      const timer = setTimeout(() => {
        finish(() => reject(new LabClientError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`, 'timeout')));
      }, timeoutMs);
      const unsubscribe = this.lab.subscribe(check);
      check();
    });
  }

  /**
   * Types `command` on the host's console and resolves with what it printed. The end is marked by
   * `@@<n>@@`, printed by the shell evaluating `$((n+0))`, so the echo of the typed line never
   * matches it; the output starts after that echo.
   */
  async run(hostId: string, command: string, timeoutMs: number): Promise<string> {
    const conn = this.lab.connection;
    conn.attachConsole(hostId);
    try {
      const n = nextMarker();
      const end = `@@${n}@@`;
      const echo = `@@$((${n}+0))@@"`;
      const start = conn.getConsoleSnapshot(hostId).endOffset;
      conn.consoleInput(hostId, `${command}; echo "${echo}\n`);
      return await new Promise<string>((resolve, reject) => {
        const output = (): string | null => {
          let out = outputSince(conn.getConsoleSnapshot(hostId), start);
          const typed = out.indexOf(echo);
          if (typed >= 0) out = out.slice(out.indexOf('\n', typed) + 1 || out.length);
          const at = out.indexOf(end);
          return at >= 0 ? out.slice(0, at) : null;
        };
        const check = (): void => {
          const out = output();
          if (out === null) return;
          unsubscribe();
          clearTimeout(timer);
          resolve(out);
        };
        const unsubscribe = conn.subscribeConsole(hostId, check);
        const timer = setTimeout(() => {
          unsubscribe();
          const shown = outputSince(conn.getConsoleSnapshot(hostId), start).slice(-1500);
          reject(new LabClientError(`\`${command}\` on ${hostId} did not finish within ${Math.round(timeoutMs / 1000)} s; the console shows:\n${shown}`, 'timeout'));
        }, timeoutMs);
        check();
      });
    } finally {
      conn.detachConsole(hostId);
    }
  }
}
