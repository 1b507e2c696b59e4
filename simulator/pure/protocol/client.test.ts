import { describe, expect, it } from 'vitest';
import { MAX_CONSOLE_CHUNK_BYTES, PROTOCOL_VERSION } from './common';
import { parseClientMessage, type ProtocolErrorCode } from './parse';
import type { ClientMessage } from './client';

const host = { kind: 'host', hostId: 'edge-4c4c4544' } as const;
const bigChunk = Buffer.alloc(MAX_CONSOLE_CHUNK_BYTES + 1).toString('base64');

const valid: [string, ClientMessage][] = [
  ['hello', { type: 'hello', version: PROTOCOL_VERSION }],
  ['hello after a reconnect', { type: 'hello', version: PROTOCOL_VERSION, since: 42 }],
  ['host command', { type: 'command', id: 'c1', target: host, name: 'POWER_ON' }],
  ['host command with args', { type: 'command', id: 'c2', target: host, name: 'INSERT_USB', args: { image: 'installer.iso', readOnly: true } }],
  ['lab command (a lab chart event)', { type: 'command', id: 'c3', target: { kind: 'lab' }, name: 'START_REGISTRATION', args: { tags: ['a'], n: null } }],
  ['console input', { type: 'console.input', hostId: 'edge-1', data: 'bHMgLWwNCg==' }],
  ['empty console input', { type: 'console.input', hostId: 'edge-1', data: '' }],
  ['largest console input', { type: 'console.input', hostId: 'edge-1', data: Buffer.alloc(MAX_CONSOLE_CHUNK_BYTES).toString('base64') }],
  ['console attach', { type: 'console.attach', hostId: 'Store_42' }],
  ['console detach', { type: 'console.detach', hostId: 'Store_42' }],
  ['ping', { type: 'ping' }],
];

describe('parseClientMessage accepts', () => {
  it.each(valid)('%s', (_name, msg) => {
    expect(parseClientMessage(JSON.stringify(msg))).toEqual({ ok: true, msg });
  });
});

const cmd = (over: Record<string, unknown>) => JSON.stringify({ type: 'command', id: 'c1', target: host, name: 'POWER_ON', ...over });

// [case, raw frame, code, a fragment the message must contain (it names the field)]
const invalid: [string, string, ProtocolErrorCode, string][] = [
  ['not JSON', 'hello', 'bad-json', 'not JSON'],
  ['an empty frame', '', 'bad-json', 'not JSON'],
  ['a truncated object', '{"type":"ping"', 'bad-json', 'not JSON'],
  ['an array', '[{"type":"ping"}]', 'bad-message', 'the frame is an array'],
  ['null', 'null', 'bad-message', 'the frame is null'],
  ['a number', '42', 'bad-message', 'the frame is a number'],
  ['no type', '{}', 'bad-message', 'type: missing or not a string; expected one of hello, command'],
  ['a numeric type', '{"type":7}', 'bad-message', 'type: missing'],
  ['an unknown type', '{"type":"launch"}', 'bad-message', 'unknown message type "launch"'],
  ['a prototype key as type', '{"type":"toString"}', 'bad-message', 'unknown message type "toString"'],
  ['a server message', '{"type":"pong"}', 'bad-message', 'unknown message type "pong"'],
  ['another protocol version', `{"type":"hello","version":${PROTOCOL_VERSION + 1},"resume":"x"}`, 'version-mismatch', `hello.version: the page speaks protocol version ${PROTOCOL_VERSION + 1}`],
  ['a version as a string', '{"type":"hello","version":"1"}', 'bad-message', 'hello.version'],
  ['no version', '{"type":"hello"}', 'bad-message', 'hello.version'],
  ['a negative since', `{"type":"hello","version":${PROTOCOL_VERSION},"since":-1}`, 'bad-message', 'hello.since'],
  ['a fractional since', `{"type":"hello","version":${PROTOCOL_VERSION},"since":1.5}`, 'bad-message', 'hello.since'],
  ['an unknown key', `{"type":"hello","version":${PROTOCOL_VERSION},"token":"t"}`, 'bad-message', 'Unrecognized key: "token"'],
  ['a command without id', cmd({ id: undefined }), 'bad-message', 'command.id'],
  ['an empty command id', cmd({ id: '' }), 'bad-message', 'command.id'],
  ['a host target without hostId', cmd({ target: { kind: 'host' } }), 'bad-message', 'command.target.hostId'],
  ['a host ID with a slash', cmd({ target: { kind: 'host', hostId: 'a/b' } }), 'bad-message', 'command.target.hostId: a host ID cannot contain'],
  ['an unknown target kind', cmd({ target: { kind: 'vm' } }), 'bad-message', 'command.target.kind'],
  ['an unknown host command', cmd({ name: 'LAUNCH' }), 'bad-message', 'command.name: LAUNCH is not a host command; use one of POWER_ON'],
  ['a lowercase command name', cmd({ name: 'power_on' }), 'bad-message', 'command.name: a command name is UPPER_SNAKE_CASE'],
  ['args that are not an object', cmd({ args: ['installer.iso'] }), 'bad-message', 'command.args'],
  ['console input that is not base64', '{"type":"console.input","hostId":"edge-1","data":"ls -l"}', 'bad-message', 'console.input.data: must be padded base64'],
  ['console input above the chunk limit', JSON.stringify({ type: 'console.input', hostId: 'edge-1', data: bigChunk }), 'bad-message', 'console.input.data: carries more than 65536 bytes'],
  ['console attach without hostId', '{"type":"console.attach"}', 'bad-message', 'console.attach.hostId'],
  ['console detach with an empty hostId', '{"type":"console.detach","hostId":""}', 'bad-message', 'console.detach.hostId: a host ID cannot be empty'],
  ['ping with a payload', '{"type":"ping","at":1}', 'bad-message', 'Unrecognized key: "at"'],
];

describe('parseClientMessage refuses, naming the field', () => {
  it.each(invalid)('%s', (_name, raw, code, fragment) => {
    const r = parseClientMessage(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(/^\[protocol\] /);
    expect(r.error.message).toContain(fragment);
  });

  it('quotes at most three issues and counts the rest', () => {
    const r = parseClientMessage('{"type":"command","id":"","target":{"kind":"host","hostId":""},"name":"x","args":1}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/; .*; .* \(and 1 more\)$/);
  });

  it('never throws, whatever arrives', () => {
    const odd = ['\u0000', '{"type":"__proto__"}', '{"__proto__":{"type":"ping"}}', '"ping"', 'true', '{"type":"command"}', '1e999', '{"type":"hello","version":1e999}'];
    for (const raw of odd) expect(() => parseClientMessage(raw)).not.toThrow();
    expect(parseClientMessage('{"__proto__":{"type":"ping"}}').ok).toBe(false);
  });
});
