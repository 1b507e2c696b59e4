/**
 * The lab as the WebSocket endpoint sees it (labs/channel-contract.ts): the
 * durable log, the current view, live updates, commands and consoles, served by
 * one lab's runtime and VMs.
 */
import { isHostCommand } from '../pure/protocol';
import { LAB_COMMANDS, type HostCommand, type LabCommandType } from '../pure/machines';
import type { EdgeHost } from '../hosts/edge-host';
import type { LabStore } from '../store/types';
import { LabChannelError, UnknownHostError, type LabChannel, type LabLogEntry } from './channel-contract';
import { ConsoleInputBudget } from '../limits/console-input-budget';
import type { LabRuntime } from './lab-runtime';
import { hostAction } from './lab-roles';
import { mayAct } from '../pure/roles/permissions';
import { CHECK_DRILL, PAGE_DRILL_IDS, pageDrillSchema } from '../pure/drills/drill-checks';

/**
 * Each host's console input budget, shared by every channel of its lab (a channel is made per
 * socket) and so by every socket typing into that host. It goes with the host object.
 */
const inputBudgets = new WeakMap<EdgeHost, ConsoleInputBudget>();

function inputBudget(host: EdgeHost): ConsoleInputBudget {
  let budget = inputBudgets.get(host);
  if (!budget) inputBudgets.set(host, (budget = new ConsoleInputBudget()));
  return budget;
}

export function labChannel(o: { store: LabStore; runtime: LabRuntime; vms: ReadonlyMap<string, EdgeHost> }): LabChannel {
  const { runtime, vms, store } = o;
  const labId = runtime.labId;
  const vm = (hostId: string): EdgeHost => {
    const h = vms.get(hostId);
    if (!h) throw new UnknownHostError(labId, hostId);
    return h;
  };
  const toEntry = (e: { seq: number; at: number; type: string; payload: unknown }): LabLogEntry => ({
    seq: e.seq, at: e.at, event: { ...(e.payload as object), type: e.type },
  });
  return {
    labId,
    async eventsSince(since) {
      return (await store.eventsSince(labId, since)).map(toEntry);
    },
    async currentView() {
      return runtime.view();
    },
    subscribe(listener) {
      return runtime.subscribe((u) => listener(u.kind === 'event' ? { kind: 'event', entry: toEntry(u.entry) } : u));
    },
    async command(c) {
      if (c.target.kind === 'lab') {
        if (c.name === CHECK_DRILL) {
          const drill = pageDrillSchema.safeParse(c.args?.drill);
          if (!drill.success) return { ok: false, code: 'bad-command', message: `[lab] ${CHECK_DRILL} needs args.drill, one of ${PAGE_DRILL_IDS.join(', ')} (got ${JSON.stringify(c.args?.drill ?? null)})` };
          // Read-only, as CHECK is: anyone in the lab may ask.
          const may = mayAct(c.role, { kind: 'lab', name: 'CHECK' });
          if (!may.ok) return { ok: false, code: may.code, message: may.message };
          await runtime.checkDrill(drill.data);
          return { ok: true };
        }
        if (!isLabCommand(c.name)) {
          return { ok: false, code: 'unknown-command', message: `[lab] ${c.name} is not a lab command; use ${[...LAB_COMMANDS, CHECK_DRILL].join(', ')}` };
        }
        const may = mayAct(c.role, { kind: 'lab', name: c.name });
        if (!may.ok) return { ok: false, code: may.code, message: may.message };
        return runtime.labCommand(c.name, c.role);
      }
      if (!isHostCommand(c.name)) return { ok: false, code: 'unknown-command', message: `[lab] ${c.name} is not a host command` };
      const may = mayAct(c.role, hostAction(runtime, `the host command ${c.name}`));
      if (!may.ok) return { ok: false, code: may.code, message: may.message };
      let command: HostCommand;
      if (c.name === 'INSERT_USB') {
        const image = c.args?.image;
        if (typeof image !== 'string' || image === '') {
          return { ok: false, code: 'bad-command', message: '[lab] INSERT_USB needs args.image: the id of an installer built in this lab' };
        }
        command = { type: 'INSERT_USB', image };
      } else {
        command = { type: c.name };
      }
      return runtime.hostCommand(c.target.hostId, command, c.role);
    },
    attachConsole(hostId, onData) {
      const h = vm(hostId);
      const history = h.console.history();
      const offset = h.console.start;
      let at = offset + history.length;
      const off = h.console.subscribe((bytes) => {
        const start = at;
        at += bytes.length;
        onData(bytes, start);
      });
      return { history, offset, detach: () => { off(); } };
    },
    async consoleInput(hostId, bytes, role) {
      const host = vm(hostId);
      const may = mayAct(role, hostAction(runtime, 'typing on the console'));
      if (!may.ok) throw new LabChannelError(may.code, may.message);
      const budget = inputBudget(host);
      const allowed = budget.admit(bytes);
      if (allowed.length > 0) host.writeConsole(allowed);
      return { written: allowed.length, dropped: bytes.length - allowed.length, limit: budget.limit };
    },
  };
}

function isLabCommand(name: string): name is LabCommandType {
  return (LAB_COMMANDS as readonly string[]).includes(name);
}
