import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type LabView, type MachineView } from './common';
import { parseServerMessage, type ProtocolErrorCode } from './parse';
import type { ServerMessage } from './server';

const hostView: MachineView = {
  state: 'registrationMode',
  label: 'Registration mode',
  tags: ['powered'],
  allowed: ['POWER_BUTTON', 'RESET'],
  may: ['POWER_BUTTON', 'RESET'],
  data: { ip: '10.0.2.15', cpu: 2, registered: false, project: null },
};
const lab: LabView = {
  state: { registration: 'waitingForHost' },
  label: 'Registration',
  tags: [],
  allowed: [],
  may: [],
  data: {},
  at: 1_750_000_000_000,
  phases: [
    { id: 'model-profile', label: 'Model Cluster Profile', status: 'done' },
    { id: 'registration', label: 'Registration', status: 'active' },
  ],
  hosts: { 'edge-4c4c4544': hostView },
  clusters: {},
};

const valid: [string, ServerMessage][] = [
  ['welcome', { type: 'welcome', version: PROTOCOL_VERSION, labId: 'lab-7f3a', role: 'solo', seq: 0 }],
  ['event', { type: 'event', seq: 12, at: 1_750_000_000_000, event: { type: 'host.registered', hostId: 'edge-1', project: 'Default' } }],
  ['view', { type: 'view', seq: 12, lab }],
  ['console output', { type: 'console.output', hostId: 'edge-1', data: 'bG9naW46IA==', offset: 4096 }],
  ['console history', { type: 'console.history', hostId: 'edge-1', data: '', offset: 0 }],
  ['command accepted', { type: 'command.result', id: 'c1', ok: true }],
  ['command refused', { type: 'command.result', id: 'c1', ok: false, error: { code: 'not-allowed', message: 'the host is already on' } }],
  ['error', { type: 'error', code: 'bad-message', message: '[protocol] …' }],
  ['pong', { type: 'pong' }],
];

describe('parseServerMessage accepts', () => {
  it.each(valid)('%s', (_name, msg) => {
    expect(parseServerMessage(JSON.stringify(msg))).toEqual({ ok: true, msg });
  });
});

const frame = (msg: Record<string, unknown>) => JSON.stringify(msg);
const welcome = { type: 'welcome', version: PROTOCOL_VERSION, labId: 'lab-1', role: 'solo', seq: 0 };
const view = (over: Record<string, unknown>) => frame({ type: 'view', seq: 1, lab: { ...lab, ...over } });

const invalid: [string, string, ProtocolErrorCode, string][] = [
  ['a client message', frame({ type: 'hello', version: PROTOCOL_VERSION }), 'bad-message', 'unknown message type "hello"'],
  ['another protocol version', frame({ ...welcome, version: PROTOCOL_VERSION + 1 }), 'version-mismatch', `welcome.version: the lab server speaks protocol version ${PROTOCOL_VERSION + 1}, this page speaks ${PROTOCOL_VERSION}`],
  ['an unknown role', frame({ ...welcome, role: 'admin' }), 'bad-message', 'welcome.role'],
  ['a lab id with a slash', frame({ ...welcome, labId: 'a/b' }), 'bad-message', 'welcome.labId: a lab id is 1-64 letters'],
  ['an event without a type', frame({ type: 'event', seq: 1, at: 0, event: { hostId: 'h' } }), 'bad-message', 'event.event.type'],
  ['an event without at', frame({ type: 'event', seq: 1, event: { type: 'x' } }), 'bad-message', 'event.at'],
  ['a view without hosts', view({ hosts: undefined }), 'bad-message', 'view.lab.hosts'],
  ['a host view with allowed as a string', view({ hosts: { h1: { ...hostView, allowed: 'POWER_ON' } } }), 'bad-message', 'view.lab.hosts.h1.allowed'],
  ['a phase with an unknown status', view({ phases: [{ id: 'registration', label: 'R', status: 'skipped' }] }), 'bad-message', 'view.lab.phases[0].status'],
  ['a state value that is a number', view({ state: 3 }), 'bad-message', 'view.lab.state'],
  ['view data that is not JSON-shaped', view({ data: 'x' }), 'bad-message', 'view.lab.data'],
  ['an unknown key in the view', view({ context: {} }), 'bad-message', 'view.lab: Unrecognized key: "context"'],
  ['console output at a negative offset', frame({ type: 'console.output', hostId: 'h', data: '', offset: -1 }), 'bad-message', 'console.output.offset'],
  ['console history that is not base64', frame({ type: 'console.history', hostId: 'h', data: 'login: ', offset: 0 }), 'bad-message', 'console.history.data'],
  ['a refusal without error', frame({ type: 'command.result', id: 'c1', ok: false }), 'bad-message', 'command.result.error: is required when ok is false'],
  ['a success with an error', frame({ type: 'command.result', id: 'c1', ok: true, error: { code: 'x', message: '' } }), 'bad-message', 'command.result.error: must be absent when ok is true'],
  ['an error code that is not kebab-case', frame({ type: 'error', code: 'Bad Thing', message: '' }), 'bad-message', 'error.code: a code is kebab-case'],
  ['pong with a payload', frame({ type: 'pong', seq: 1 }), 'bad-message', 'Unrecognized key: "seq"'],
];

describe('parseServerMessage refuses, naming the field', () => {
  it.each(invalid)('%s', (_name, raw, code, fragment) => {
    const r = parseServerMessage(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(/^\[protocol\] /);
    expect(r.error.message).toContain(fragment);
  });
});

describe('typing', () => {
  it('narrows a parsed message by its type', () => {
    const r = parseServerMessage(frame({ type: 'view', seq: 3, lab }));
    if (!r.ok || r.msg.type !== 'view') throw new Error('expected a view');
    // Compile-time check as much as a runtime one: `lab` exists only on the view member.
    expect(r.msg.lab.hosts['edge-4c4c4544']?.allowed).toEqual(['POWER_BUTTON', 'RESET']);
  });
});
