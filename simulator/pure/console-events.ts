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
  /** A node provisioned before is Ready again after a later boot (nothing is reported to Palette then). */
  | { type: 'cluster.node-ready' }
  /** This control-plane node now holds the cluster's VIP on its LAN interface (kube-vip's job in the product). */
  | { type: 'cluster.vip-held'; vip: string }
  /** This node let the VIP go (its etcd lease could not be renewed). */
  | { type: 'cluster.vip-released'; vip: string }
  /** This lone control plane does not hold the VIP: another machine on the LAN (`mac`) answers ARP for it. */
  | { type: 'cluster.vip-conflict'; vip: string; mac: string }
  /** The LAN address of the etcd leader this control-plane node's member sees, printed when it changes; null: no leader (`ip=none`). */
  | { type: 'cluster.etcd-leader'; ip: string | null }
  /** The node's NTP client set the clock from `server`; `offsetS` is how far off it was (server − node). */
  | { type: 'clock.synced'; server: string; offsetS: number }
  /** The node's NTP client had no answer from `server`. */
  | { type: 'clock.unsynced'; server: string }
  /** This node's etcd member reports the clock of the member at `peer` `drift` off (etcd's own figure), or no longer (`drift=none`: null). */
  | { type: 'cluster.clock-drift'; peer: string; drift: string | null }
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

/** A MAC with every octet two digits wide: busybox prints them as `%x` (`e:a1:0:…`). */
const paddedMac = (mac: string): string => mac.split(':').map((o) => o.toLowerCase().padStart(2, '0')).join(':');
const nullIfNone = (v: string | undefined): string | null => (!v || v === 'none' ? null : v);

/** A bare shell prompt at the start of a line (`edge-host:/# `, `/ # `). */
const PROMPT = /^\s*[\w.@:/~-]*\s?[#$] /;
const PROMPT_BEFORE_MARKER = /^\s*[\w.@:/~-]*\s?[#$] (?=EDGE-EVENT )/;

/** Drops carriage returns and terminal escape sequences (the shell's `\x1b[6n`). */
const withoutControls = (raw: string): string => raw.replace(/\r/g, '').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** One console line (without its newline, `\r` allowed) to an event, or null for ordinary output. */
export function parseConsoleLine(raw: string): ConsoleEvent | null {
  const line = withoutControls(raw)
    // The agent and the console shell share the serial port: a marker can land
    // right after a fresh shell prompt (`edge-host:/# EDGE-EVENT …`). Only a
    // bare prompt is skipped, so a typed `echo EDGE-EVENT …` stays ordinary output.
    .replace(PROMPT_BEFORE_MARKER, '');
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
    case 'os.shutdown': case 'power.button': case 'power.watching': case 'agent.no-endpoint': case 'agent.heartbeat-failed': case 'cluster.node-ready': return { type: name };
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
    case 'cluster.vip-held': case 'cluster.vip-released': return { type: name, vip: f.vip ?? '' };
    case 'cluster.vip-conflict': return { type: name, vip: f.vip ?? '', mac: paddedMac(f.mac ?? '') };
    case 'cluster.etcd-leader': return { type: name, ip: nullIfNone(f.ip) };
    case 'clock.synced': {
      const offsetS = Number(f.offset_s);
      return f.server && Number.isFinite(offsetS) ? { type: name, server: f.server, offsetS } : { type: 'unknown', name, fields: f };
    }
    case 'clock.unsynced': return { type: name, server: f.server ?? '' };
    case 'cluster.clock-drift': return { type: name, peer: f.peer ?? '', drift: nullIfNone(f.drift) };
    default: return { type: 'unknown', name, fields: f };
  }
}

/** Whether a line (controls already dropped) is a marker, possibly after a bare prompt. */
function startsMarker(clean: string): boolean {
  return clean.replace(PROMPT_BEFORE_MARKER, '').trimStart().startsWith('EDGE-EVENT ');
}

/**
 * A printk record as the kernel writes it to the serial console: `[%5lu.%06lu] `
 * (seconds padded with spaces, always six fractional digits), then its text up to
 * the end of the line. The six digits keep ordinary text such as `[1.5]` out.
 */
const KERNEL_RECORD = /\[ *\d+\.\d{6}\] /;
/** What follows a complete line when a kernel record comes next (the kernel may add its own `\r`). */
const KERNEL_RECORD_NEXT = /^\r*\[ *\d+\.\d{6}\] /;
/** A text that could still grow into {@link KERNEL_RECORD_NEXT} when more bytes arrive. */
const KERNEL_RECORD_NEXT_PREFIX = /^\r*(?:\[ *(?:\d+(?:\.\d{0,6})?)?|\[ *\d+\.\d{6}\])?$/;

const MAX_LINE = 64 * 1024;

/**
 * A complete line that may be the head of a marker the kernel cut with its own
 * `\r\n` before a record. Those bytes are the same as a finished line followed by
 * a record, so only a line that is no event yet is held: a marker start (after a
 * bare prompt) that neither ends with the guest's closing `t=<uptime>`
 * (simulator/images/guest/lib.sh) nor parses to a known event. A line that does
 * parse is never held, since waiting could stall it for good (the floor initrd
 * prints `floor.ready`, without `t=`, just before the kernel's "reboot: Power down").
 */
function mayBeCut(line: string): boolean {
  const rest = withoutControls(line).replace(PROMPT, '').trimStart();
  if (!rest || !(rest.startsWith('EDGE-EVENT ') || 'EDGE-EVENT '.startsWith(rest))) return false;
  if (/ t=\d+\.\d\d\s*$/.test(rest)) return false; // /proc/uptime has two decimals
  const e = parseConsoleLine(line);
  return e === null || e.type === 'unknown';
}

/**
 * Splits a console byte stream into lines for {@link parseConsoleLine}.
 *
 * Contract of `push()`: returns the lines completed so far (without `\n`, `\r`
 * kept) and keeps the unfinished rest for the next chunk; chunks may end
 * anywhere, also inside a UTF-8 character or a kernel timestamp.
 *
 * The kernel writes printk records straight to the UART, so one can land inside
 * a line the guest is still printing (`EDGE-EVENT install.comp[   12.345678] usb
 * …\r\nlete action=none`). Such a record comes out as its own line, when its
 * newline arrives, and the interrupted line is stitched back together from the
 * text around it (the kernel's own `\r` or `\r\n` before the record is dropped;
 * see {@link mayBeCut} for when a `\r\n` is taken for the kernel's). Several
 * records back to back are all cut out. A record at the start of a line is just
 * a line. Text after a record that itself starts a marker is never glued onto
 * the interrupted text, so a false alarm (a typed `[    1.000000] `, a syslog
 * line) cannot swallow the next event.
 *
 * Lines may therefore come out in another order than their bytes: they are for
 * the event parser only. What a person sees is the raw byte stream (EdgeHost
 * keeps it in its ConsoleBuffer before splitting).
 *
 * At most 64 KiB of unfinished text is kept, in case a guest prints without newlines.
 */
export class ConsoleLineSplitter {
  /** Text not yet split: starts at a line start or right after a kernel record. */
  private rest = '';
  /** The interrupted line's text so far, to be continued by `rest`. */
  private head = '';
  /** `head` is a complete line kept only while a kernel record may still follow it. */
  private held = false;
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array | string): string[] {
    this.rest += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: string[] = [];
    for (;;) {
      if (this.held) {
        if (KERNEL_RECORD_NEXT_PREFIX.test(this.rest)) break;
        this.held = false;
        if (KERNEL_RECORD_NEXT.test(this.rest)) this.head = this.head.replace(/\r+$/, '');
        else { out.push(this.head); this.head = ''; }
      }
      const nl = this.rest.indexOf('\n');
      const text = nl < 0 ? this.rest : this.rest.slice(0, nl);
      const record = KERNEL_RECORD.exec(text);
      if (record) {
        if (nl < 0) break; // the record's end is still to come
        this.continueWith(out, text.slice(0, record.index).replace(/\r+$/, ''));
        out.push(text.slice(record.index));
      } else if (nl < 0) {
        break;
      } else {
        this.continueWith(out, text);
        const line = this.head;
        this.head = '';
        if (mayBeCut(line)) { this.head = line; this.held = true; } else out.push(line);
      }
      this.rest = this.rest.slice(nl + 1);
    }
    if (this.head.length + this.rest.length > MAX_LINE) {
      this.head = '';
      this.held = false;
      this.rest = this.rest.slice(-MAX_LINE);
    }
    return out;
  }

  /** Appends `text` to the interrupted line, unless `text` starts a marker of its own. */
  private continueWith(out: string[], text: string): void {
    if (this.head && startsMarker(withoutControls(text))) { out.push(this.head); this.head = text; } else this.head += text;
  }
}
