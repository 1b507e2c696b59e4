/**
 * Pure QMP wire-format helpers (no node imports): split a byte stream that the
 * caller has already decoded to text into lines, and classify each line.
 *
 * QMP is newline-delimited JSON. QEMU terminates lines with "\r\n"; we accept
 * "\n" too. Every server message is exactly one of: the greeting, a command
 * reply (`return` or `error`, echoing the command's `id` if one was sent), or
 * an asynchronous `event`.
 */

export interface QmpVersion {
  major: number;
  minor: number;
  micro: number;
}

export interface QmpTimestamp {
  seconds: number;
  microseconds: number;
}

/** QEMU echoes whatever JSON `id` the command carried; we only send strings. */
export type QmpId = string | number;

export type QmpMessage =
  | { kind: 'greeting'; version: QmpVersion; capabilities: string[] }
  | { kind: 'return'; id?: QmpId; value: unknown }
  | { kind: 'error'; id?: QmpId; class: string; desc: string }
  | { kind: 'event'; event: string; data: unknown; timestamp: QmpTimestamp }
  | { kind: 'malformed'; line: string; reason: string };

export type QmpEventMessage = Extract<QmpMessage, { kind: 'event' }>;

/**
 * Payloads of the events we rely on, as documented in QEMU's QAPI schema.
 * These are trusted, not validated at runtime. Events without a `data` member
 * (STOP, RESUME, POWERDOWN) are delivered with `{}`.
 */
export interface QmpEventMap {
  SHUTDOWN: { guest: boolean; reason: string };
  POWERDOWN: Record<string, never>;
  RESET: { guest: boolean; reason: string };
  STOP: Record<string, never>;
  RESUME: Record<string, never>;
  DEVICE_DELETED: { device?: string; path: string };
  MIGRATION: { status: string };
}

export type QmpEventName = keyof QmpEventMap;
/** Event names with autocompletion for known ones; '*' receives every event. */
export type QmpEventKey = QmpEventName | '*' | (string & {});
/** Typed payload for known events; `unknown` for other names and for '*'. */
export type QmpEventData<K extends string> = K extends QmpEventName ? QmpEventMap[K] : unknown;
export type QmpEventListener<K extends string> = (data: QmpEventData<K>, event: QmpEventMessage) => void;
export type QmpTypedEvent<K extends string> = Omit<QmpEventMessage, 'data'> & { data: QmpEventData<K> };

/**
 * Accumulates text chunks and returns the complete lines they finish.
 * A trailing partial line is kept until a later chunk completes it (or
 * `flush()` at end of stream). Trailing "\r" is stripped; blank lines are
 * dropped because they carry no QMP message.
 */
export class QmpLineSplitter {
  private buffer = '';

  push(chunk: string): string[] {
    this.buffer += chunk;
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    return parts.map(stripCr).filter((line) => line.trim() !== '');
  }

  /** Returns the unterminated remainder (if any) and resets the splitter. */
  flush(): string[] {
    const rest = stripCr(this.buffer);
    this.buffer = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** Classifies one line. Never throws: anything unrecognised is `malformed`. */
export function classifyQmpLine(line: string): QmpMessage {
  const malformed = (reason: string): QmpMessage => ({ kind: 'malformed', line, reason });
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return malformed(`invalid JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) return malformed('not a JSON object');

  if ('QMP' in parsed) {
    const qmp = parsed.QMP;
    const ver = isObject(qmp) && isObject(qmp.version) ? qmp.version.qemu : undefined;
    if (!isObject(qmp) || !isObject(ver)) return malformed('greeting without QMP.version.qemu');
    const { major, minor, micro } = ver;
    if (!isCount(major) || !isCount(minor) || !isCount(micro)) {
      return malformed('greeting version is not major/minor/micro integers');
    }
    const caps = qmp.capabilities;
    if (!Array.isArray(caps) || !caps.every((c) => typeof c === 'string')) {
      return malformed('greeting capabilities is not a string array');
    }
    return { kind: 'greeting', version: { major, minor, micro }, capabilities: caps };
  }

  const id = parsed.id;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    return malformed('id is neither string nor number');
  }
  const withId = id === undefined ? {} : { id };

  if ('return' in parsed) return { kind: 'return', ...withId, value: parsed.return };

  if ('error' in parsed) {
    const e = parsed.error;
    if (!isObject(e) || typeof e.class !== 'string' || typeof e.desc !== 'string') {
      return malformed('error without string class/desc');
    }
    return { kind: 'error', ...withId, class: e.class, desc: e.desc };
  }

  if ('event' in parsed) {
    const { event, data, timestamp: ts } = parsed;
    if (typeof event !== 'string') return malformed('event name is not a string');
    if (!isObject(ts) || typeof ts.seconds !== 'number' || typeof ts.microseconds !== 'number') {
      return malformed('event without numeric timestamp');
    }
    return {
      kind: 'event',
      event,
      data: data === undefined ? {} : data,
      timestamp: { seconds: ts.seconds, microseconds: ts.microseconds },
    };
  }

  return malformed('no QMP, return, error or event member');
}
