import { describe, expect, it } from 'vitest';
import { ConsoleLineSplitter, parseConsoleLine } from './console-events';

describe('parseConsoleLine', () => {
  it.each([
    ['EDGE-EVENT firmware.boot device=usb', { type: 'firmware.boot', device: 'usb' }],
    ['EDGE-EVENT firmware.no-bootable-device reason=disk-empty', { type: 'firmware.no-bootable-device', reason: 'disk-empty' }],
    ['EDGE-EVENT install.started version=1.0', { type: 'install.started', version: '1.0' }],
    ['EDGE-EVENT install.step step=os-written slot=active', { type: 'install.step', step: 'os-written', fields: { slot: 'active' } }],
    ['EDGE-EVENT install.failed reason=disk-too-small need_mb=540 have_mb=128', { type: 'install.failed', reason: 'disk-too-small', fields: { need_mb: '540', have_mb: '128' } }],
    ['EDGE-EVENT install.complete action=none\r', { type: 'install.complete', action: 'none' }],
    ['EDGE-EVENT os.booted slot=passive os=edge-lab', { type: 'os.booted', slot: 'passive', os: 'edge-lab' }],
    ['EDGE-EVENT agent.ready host_id=edge-1234 ip=10.0.2.15 mac=52:54:00:12:34:56', { type: 'agent.ready', hostId: 'edge-1234', ip: '10.0.2.15', mac: '52:54:00:12:34:56' }],
    ['EDGE-EVENT agent.ready host_id=edge-1 ip=none mac=', { type: 'agent.ready', hostId: 'edge-1', ip: null, mac: '' }],
    ['EDGE-EVENT agent.registering endpoint=api.palette.lab mode=manual', { type: 'agent.registering', endpoint: 'api.palette.lab', mode: 'manual' }],
    ['EDGE-EVENT agent.endpoint-unreachable endpoint=api.palette.lab retry_s=4', { type: 'agent.endpoint-unreachable', endpoint: 'api.palette.lab', retrySeconds: 4 }],
    ['EDGE-EVENT agent.registered host_id=edge-1 project=Default', { type: 'agent.registered', hostId: 'edge-1', project: 'Default' }],
    ['EDGE-EVENT agent.registration-refused code=token-expired', { type: 'agent.registration-refused', code: 'token-expired' }],
    ['EDGE-EVENT floor.ready uptime_s=2.31', { type: 'floor.ready', uptimeSeconds: 2.31 }],
    ['EDGE-EVENT provision.step step=image-pulled t=41.07', { type: 'provision.step', step: 'image-pulled' }],
    ['EDGE-EVENT provision.step step=rebooted-into-provider-os t=5.2', { type: 'provision.step', step: 'rebooted-into-provider-os' }],
    ['EDGE-EVENT provision.step step=node-ready', { type: 'provision.step', step: 'node-ready' }],
    ['EDGE-EVENT provision.failed reason=image-checksum t=12.5', { type: 'provision.failed', reason: 'image-checksum' }],
    ['EDGE-EVENT provision.failed', { type: 'provision.failed', reason: 'unknown' }],
    ['edge-host-1:/# EDGE-EVENT provision.step step=stages-run t=9.1', { type: 'provision.step', step: 'stages-run' }],
    ['EDGE-EVENT something.new a=1', { type: 'unknown', name: 'something.new', fields: { a: '1' } }],
    ['  MachineID: edge-0f1e2d', { type: 'machine-id', hostId: 'edge-0f1e2d' }],
    ['  MachineIP: 10.0.2.15\r', { type: 'machine-ip', ip: '10.0.2.15' }],
    ['\x1b[6nEDGE-EVENT os.shutdown', { type: 'os.shutdown' }],
    ['EDGE-EVENT power.watching t=7.2', { type: 'power.watching' }],
    // Seen on a real boot: the agent's marker printed right after the shell's first prompt.
    ['edge-host:/# \x1b[6nEDGE-EVENT agent.ready host_id=edge-bd ip=10.0.2.15 mac=52:54:00:a0:00:05 t=3.88', { type: 'agent.ready', hostId: 'edge-bd', ip: '10.0.2.15', mac: '52:54:00:a0:00:05' }],
    ['/ # EDGE-EVENT install.complete action=none', { type: 'install.complete', action: 'none' }],
  ])('%j', (line, expected) => {
    expect(parseConsoleLine(line)).toEqual(expected);
  });

  it.each([
    'hello world',
    'echo EDGE-EVENT install.complete action=none', // the marker must start the line: typed commands are not events
    'edge-host:/# echo EDGE-EVENT install.complete action=none',
    'EDGE-EVENT',
    'EDGE-EVENT Bad.Type x=1',
    'EDGE-EVENT install.complete action=maybe trailing words',
  ])('ordinary output %j is not an event', (line) => {
    const e = parseConsoleLine(line);
    expect(e === null || e.type === 'unknown').toBe(true);
  });

  it('keeps a provision.step with a step outside the contract as unknown, not as a step', () => {
    expect(parseConsoleLine('EDGE-EVENT provision.step step=image-pulld')).toEqual({ type: 'unknown', name: 'provision.step', fields: { step: 'image-pulld' } });
    expect(parseConsoleLine('EDGE-EVENT provision.step')).toMatchObject({ type: 'unknown' });
  });

  it('rejects an install.complete with an unknown action as unknown, not as complete', () => {
    expect(parseConsoleLine('EDGE-EVENT install.complete action=maybe')).toMatchObject({ type: 'unknown' });
  });
});

describe('ConsoleLineSplitter', () => {
  it('joins lines split across chunks and keeps the partial tail', () => {
    const s = new ConsoleLineSplitter();
    expect(s.push('EDGE-EVENT os.')).toEqual([]);
    expect(s.push(new TextEncoder().encode('shutdown\nMachineID: a\nrest'))).toEqual(['EDGE-EVENT os.shutdown', 'MachineID: a']);
    expect(s.push('\n')).toEqual(['rest']);
  });

  it('decodes a UTF-8 character split between chunks', () => {
    const s = new ConsoleLineSplitter();
    const bytes = new TextEncoder().encode('é\n');
    expect(s.push(bytes.subarray(0, 1))).toEqual([]);
    expect(s.push(bytes.subarray(1))).toEqual(['é']);
  });
});
