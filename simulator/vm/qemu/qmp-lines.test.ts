import { describe, expect, it } from 'vitest';
import { QmpLineSplitter, classifyQmpLine, type QmpMessage } from './qmp-lines';

const GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 2, "minor": 2, "major": 8}, "package": "Debian 1:8.2.2"}, "capabilities": ["oob"]}}';

describe('classifyQmpLine', () => {
  const cases: Array<[name: string, line: string, expected: QmpMessage]> = [
    ['greeting', GREETING, { kind: 'greeting', version: { major: 8, minor: 2, micro: 2 }, capabilities: ['oob'] }],
    ['return with string id', '{"return": {}, "id": "qmp-1"}', { kind: 'return', id: 'qmp-1', value: {} }],
    ['return with numeric id', '{"return": [1, 2], "id": 7}', { kind: 'return', id: 7, value: [1, 2] }],
    ['return without id', '{"return": "text\\r\\n"}', { kind: 'return', value: 'text\r\n' }],
    [
      'error',
      '{"id": "qmp-2", "error": {"class": "GenericError", "desc": "No such device"}}',
      { kind: 'error', id: 'qmp-2', class: 'GenericError', desc: 'No such device' },
    ],
    [
      'event with data',
      '{"timestamp": {"seconds": 1700000000, "microseconds": 123}, "event": "RESET", "data": {"guest": false, "reason": "host-qmp-system-reset"}}',
      {
        kind: 'event',
        event: 'RESET',
        data: { guest: false, reason: 'host-qmp-system-reset' },
        timestamp: { seconds: 1700000000, microseconds: 123 },
      },
    ],
    [
      'event without data gets {}',
      '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}',
      { kind: 'event', event: 'STOP', data: {}, timestamp: { seconds: 1, microseconds: 2 } },
    ],
  ];
  it.each(cases)('%s', (_name, line, expected) => {
    expect(classifyQmpLine(line)).toEqual(expected);
  });

  const malformed: Array<[name: string, line: string, reason: RegExp]> = [
    ['invalid JSON', '{"return": ', /invalid JSON/],
    ['JSON array', '[1, 2]', /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
    ['no known member', '{"hello": "world"}', /no QMP, return, error or event/],
    ['greeting without version', '{"QMP": {"capabilities": []}}', /greeting without/],
    ['error without desc', '{"error": {"class": "GenericError"}}', /error without/],
    ['event without timestamp', '{"event": "STOP"}', /timestamp/],
    ['object id', '{"return": {}, "id": {"a": 1}}', /id is neither/],
  ];
  it.each(malformed)('malformed: %s', (_name, line, reason) => {
    const msg = classifyQmpLine(line);
    expect(msg).toMatchObject({ kind: 'malformed', line });
    expect(msg.kind === 'malformed' && msg.reason).toMatch(reason);
  });
});

describe('QmpLineSplitter', () => {
  const cases: Array<[name: string, chunks: string[], lines: string[], rest: string[]]> = [
    ['one full line', ['{"a":1}\r\n'], ['{"a":1}'], []],
    ['line split mid-way across chunks', ['{"ret', 'urn": {}', '}\r', '\n'], ['{"return": {}}'], []],
    ['several lines in one chunk', ['a\r\nb\nc\r\n'], ['a', 'b', 'c'], []],
    ['empty lines dropped', ['\r\n\na\r\n  \r\n'], ['a'], []],
    ['partial tail kept for flush', ['a\nb'], ['a'], ['b']],
    ['no input', [], [], []],
  ];
  it.each(cases)('%s', (_name, chunks, lines, rest) => {
    const splitter = new QmpLineSplitter();
    expect(chunks.flatMap((c) => splitter.push(c))).toEqual(lines);
    expect(splitter.flush()).toEqual(rest);
    expect(splitter.flush()).toEqual([]);
  });
});
