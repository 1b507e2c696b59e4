// Turning a received WebSocket frame into a typed message. Never throws: a bad frame becomes an
// error value whose message names the offending field, so the server can answer it with an
// `error` message and the page can show it, and neither side ever crashes on a peer's mistake.
import type { z } from 'zod';
import { CLIENT_MESSAGE_SCHEMAS, type ClientMessage } from './client';
import { PROTOCOL_VERSION } from './common';
import { SERVER_MESSAGE_SCHEMAS, type ServerMessage } from './server';

export type ProtocolErrorCode = 'bad-json' | 'bad-message' | 'version-mismatch';
export interface ProtocolError {
  code: ProtocolErrorCode;
  message: string;
}
export type ParseResult<M> = { ok: true; msg: M } | { ok: false; error: ProtocolError };

/** Issues quoted in one error message; the rest are counted. */
const MAX_ISSUES = 3;

export function parseClientMessage(raw: string): ParseResult<ClientMessage> {
  return parseFrame(raw, CLIENT_MESSAGE_SCHEMAS, { handshake: 'hello', peer: 'the page', self: 'this lab server', fix: 'reload the page' });
}

export function parseServerMessage(raw: string): ParseResult<ServerMessage> {
  return parseFrame(raw, SERVER_MESSAGE_SCHEMAS, { handshake: 'welcome', peer: 'the lab server', self: 'this page', fix: 'reload the page; if that does not help, the site and the lab server come from different Edge Lab versions' });
}

interface Direction {
  /** The message type that carries `version`. */
  handshake: string;
  /** Who sent the frame, for the version-mismatch message. */
  peer: string;
  /** Who is parsing it. */
  self: string;
  /** What the reader should do about a version mismatch. */
  fix: string;
}

function parseFrame<M>(raw: string, schemas: Readonly<Record<string, z.ZodType>>, dir: Direction): ParseResult<M> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return fail('bad-json', `[protocol] the frame is not JSON (${why}); every message is one JSON object`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('bad-message', `[protocol] the frame is ${kindOf(value)}; every message is a JSON object with a "type" field`);
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  const known = Object.keys(schemas);
  if (typeof type !== 'string') {
    return fail('bad-message', `[protocol] type: missing or not a string; expected one of ${known.join(', ')}`);
  }
  // Own keys only: a frame of type "toString" must not reach Object.prototype.
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema) {
    return fail('bad-message', `[protocol] type: unknown message type ${JSON.stringify(type)}; expected one of ${known.join(', ')}`);
  }
  // The version is checked before the shape: a peer on another version may well send other fields.
  if (type === dir.handshake && typeof record.version === 'number' && record.version !== PROTOCOL_VERSION) {
    return fail(
      'version-mismatch',
      `[protocol] ${type}.version: ${dir.peer} speaks protocol version ${record.version}, ${dir.self} speaks ${PROTOCOL_VERSION}; ${dir.fix}`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    return fail('bad-message', `[protocol] bad "${type}" message: ${formatIssues(type, parsed.error.issues)}`);
  }
  return { ok: true, msg: parsed.data as M };
}

function fail(code: ProtocolErrorCode, message: string): { ok: false; error: ProtocolError } {
  return { ok: false, error: { code, message } };
}

/** `command.target.hostId: <zod's message>`, joined with "; ". */
export function formatIssues(type: string, issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES).map((i) => `${fieldPath(type, i.path)}: ${i.message}`);
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
  return shown.join('; ') + more;
}

function fieldPath(type: string, path: readonly PropertyKey[]): string {
  let out = type;
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `.${String(seg)}`;
  return out;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
