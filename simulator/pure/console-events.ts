/**
 * Typed events from an edge host's serial console. Guest scripts print
 * `EDGE-EVENT <type> key=value …` lines (see simulator/images/guest/lib.sh);
 * the agent also prints `MachineID:` / `MachineIP:` as the real console does.
 * Pure: shared by the simulator and the pages.
 */
import { PROVISIONING_STEPS, type ProvisioningStep } from './machines/provisioning';

export type ConsoleEvent =
  | { type: 'firmware.boot'; device: 'usb' | 'disk' }
  | { type: 'firmware.no-bootable-device'; reason: string }
  | { type: 'install.started'; version: string }
  | { type: 'install.step'; step: string; fields: Record<string, string> }
  | { type: 'install.failed'; reason: string; fields: Record<string, string> }
  | { type: 'install.complete'; action: 'none' | 'reboot' | 'poweroff' }
  | { type: 'boot.slot'; slot: string }
  | { type: 'os.booted'; slot: string; os: string }
  | { type: 'os.shutdown' }
  | { type: 'power.button' }
  /** The OS now acts on the ACPI power button (before this, pressing it does nothing). */
  | { type: 'power.watching' }
  | { type: 'agent.ready'; hostId: string; ip: string | null; mac: string }
  | { type: 'agent.registering'; endpoint: string; mode: 'auto' | 'manual' }
  | { type: 'agent.endpoint-unreachable'; endpoint: string; retrySeconds: number }
  | { type: 'agent.waiting-for-registration'; hostId: string }
  | { type: 'agent.registered'; hostId: string; project: string }
  | { type: 'agent.registration-refused'; code: string }
  | { type: 'agent.no-endpoint' }
  | { type: 'agent.heartbeat-failed' }
  /** A cluster provisioning step done on the host (agent before the reboot, cluster service after it). */
  | { type: 'provision.step'; step: ProvisioningStep }
  /** Provisioning stopped; `reason` is one word, e.g. `image-checksum` (the console line before it says more). */
  | { type: 'provision.failed'; reason: string }
  | { type: 'machine-id'; hostId: string }
  | { type: 'machine-ip'; ip: string }
  | { type: 'floor.ready'; uptimeSeconds: number }
  | { type: 'unknown'; name: string; fields: Record<string, string> };

export type ConsoleEventType = ConsoleEvent['type'];

const MARKER = /^EDGE-EVENT ([a-z][a-z0-9.-]*)((?: [A-Za-z_][A-Za-z0-9_]*=\S*)*)\s*$/;

function fieldsOf(rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of rest.trim().split(/\s+/).filter(Boolean)) {
    const i = kv.indexOf('=');
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

const nullIfNone = (v: string | undefined): string | null => (!v || v === 'none' ? null : v);

/** One console line (without its newline, `\r` allowed) to an event, or null for ordinary output. */
export function parseConsoleLine(raw: string): ConsoleEvent | null {
  const line = raw.replace(/\r/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    // The agent and the console shell share the serial port: a marker can land
    // right after a fresh shell prompt (`edge-host:/# EDGE-EVENT …`). Only a
    // bare prompt is skipped, so a typed `echo EDGE-EVENT …` stays ordinary output.
    .replace(/^\s*[\w.@:/~-]*\s?[#$] (?=EDGE-EVENT )/, '');
  const human = /^\s*Machine(ID|IP):\s*(\S+)\s*$/.exec(line);
  if (human) return human[1] === 'ID' ? { type: 'machine-id', hostId: human[2]! } : { type: 'machine-ip', ip: human[2]! };
  const m = MARKER.exec(line.trim());
  if (!m) return null;
  const name = m[1]!;
  const f = fieldsOf(m[2] ?? '');
  const { ...rest } = f;
  switch (name) {
    case 'firmware.boot': return f.device === 'usb' || f.device === 'disk' ? { type: name, device: f.device } : { type: 'unknown', name, fields: f };
    case 'firmware.no-bootable-device': return { type: name, reason: f.reason ?? 'no-device' };
    case 'install.started': return { type: name, version: f.version ?? '' };
    case 'install.step': { const { step = '', ...fields } = rest; return { type: name, step, fields }; }
    case 'install.failed': { const { reason = 'unknown', ...fields } = rest; return { type: name, reason, fields }; }
    case 'install.complete': {
      const a = f.action;
      return a === 'reboot' || a === 'poweroff' || a === 'none' ? { type: name, action: a } : { type: 'unknown', name, fields: f };
    }
    case 'boot.slot': return { type: name, slot: f.slot ?? '' };
    case 'os.booted': return { type: name, slot: f.slot ?? '', os: f.os ?? '' };
    case 'os.shutdown': case 'power.button': case 'power.watching': case 'agent.no-endpoint': case 'agent.heartbeat-failed': return { type: name };
    case 'agent.ready': return { type: name, hostId: f.host_id ?? '', ip: nullIfNone(f.ip), mac: f.mac ?? '' };
    case 'agent.registering': return { type: name, endpoint: f.endpoint ?? '', mode: f.mode === 'manual' ? 'manual' : 'auto' };
    case 'agent.endpoint-unreachable': return { type: name, endpoint: f.endpoint ?? '', retrySeconds: Number(f.retry_s ?? 0) };
    case 'agent.waiting-for-registration': return { type: name, hostId: f.host_id ?? '' };
    case 'agent.registered': return { type: name, hostId: f.host_id ?? '', project: f.project ?? '' };
    case 'agent.registration-refused': return { type: name, code: f.code ?? 'unknown' };
    case 'provision.step': {
      const step = PROVISIONING_STEPS.find((s) => s === f.step);
      return step ? { type: name, step } : { type: 'unknown', name, fields: f };
    }
    case 'provision.failed': return { type: name, reason: f.reason || 'unknown' };
    case 'floor.ready': return { type: name, uptimeSeconds: Number(f.uptime_s ?? 0) };
    default: return { type: 'unknown', name, fields: f };
  }
}

/** Splits a console byte stream into lines; keeps a partial last line for the next chunk. */
export class ConsoleLineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array | string): string[] {
    this.partial += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const parts = this.partial.split('\n');
    this.partial = parts.pop() ?? '';
    // Bound memory if a guest prints without newlines.
    if (this.partial.length > 64 * 1024) this.partial = this.partial.slice(-64 * 1024);
    return parts;
  }
}
