import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConsoleLineSplitter, parseConsoleLine } from './console-events';
import { PROVISIONING_STEPS } from './machines/provisioning';

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
    ['EDGE-EVENT cluster.vip-conflict vip=10.77.0.100 mac=E:A1:a:4d:0:64 t=9', { type: 'cluster.vip-conflict', vip: '10.77.0.100', mac: '0e:a1:0a:4d:00:64' }],
    ['EDGE-EVENT clock.synced server=10.77.0.123 offset_s=-10800.204 t=30.1', { type: 'clock.synced', server: '10.77.0.123', offsetS: -10800.204 }],
    ['EDGE-EVENT clock.synced server=10.77.0.123 offset_s=soon', { type: 'unknown', name: 'clock.synced', fields: { server: '10.77.0.123', offset_s: 'soon' } }],
    ['EDGE-EVENT clock.unsynced server=pool.ntp.org t=3', { type: 'clock.unsynced', server: 'pool.ntp.org' }],
    ['EDGE-EVENT cluster.clock-drift peer=10.77.0.12 drift=3h0m0.52s t=70', { type: 'cluster.clock-drift', peer: '10.77.0.12', drift: '3h0m0.52s' }],
    ['EDGE-EVENT cluster.clock-drift peer=10.77.0.12 drift=none t=170', { type: 'cluster.clock-drift', peer: '10.77.0.12', drift: null }],
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

/** Feeds `chunks` to one splitter; returns its lines and the events they parse to. */
function split(...chunks: (string | Uint8Array)[]): { lines: string[]; events: ReturnType<typeof parseConsoleLine>[] } {
  const s = new ConsoleLineSplitter();
  const lines = chunks.flatMap((c) => s.push(c));
  return { lines, events: lines.map(parseConsoleLine).filter((e) => e !== null) };
}

/** Every one-byte chunking and one chunk: the splitter must not depend on where chunks end. */
function splitEveryWay(stream: string): ReturnType<typeof split> {
  const whole = split(stream);
  expect(split(...Array.from(new TextEncoder().encode(stream), (b) => Uint8Array.of(b)))).toEqual(whole);
  return whole;
}

const COMPLETE = { type: 'install.complete', action: 'none' };

describe('ConsoleLineSplitter with kernel messages inside a line', () => {
  it('cuts out a record printed inside a marker and stitches the marker back (issue 13, byte for byte)', () => {
    const { lines, events } = splitEveryWay('EDGE-EVENT install.comp[   12.345678] usb 1-1: USB disconnect, device number 2\r\nlete action=none\r\n');
    expect(lines).toEqual(['[   12.345678] usb 1-1: USB disconnect, device number 2\r', 'EDGE-EVENT install.complete action=none\r']);
    expect(events).toEqual([COMPLETE]);
  });

  it('stitches a marker the kernel cut with its own \\r\\n before the record', () => {
    const { lines, events } = splitEveryWay('EDGE-EVENT install.comp\r\n[ 12.345678] msg\r\nlete action=none\r\n');
    expect(lines).toEqual(['[ 12.345678] msg\r', 'EDGE-EVENT install.complete action=none\r']);
    expect(events).toEqual([COMPLETE]);
  });

  it('stitches a marker the kernel cut with a lone \\r before the record', () => {
    const { lines, events } = splitEveryWay('EDGE-EVENT install.comp\r[ 12.345678] msg\r\nlete action=none\r\n');
    expect(lines).toEqual(['[ 12.345678] msg\r', 'EDGE-EVENT install.complete action=none\r']);
    expect(events).toEqual([COMPLETE]);
  });

  it.each(['', '\r', '\r\n'])('cuts out two records back to back (before them: %j)', (lead) => {
    const { lines, events } = splitEveryWay(`EDGE-EVENT install.comp${lead}[    5.000001] first\r\n[    5.000002] second\r\nlete action=none t=5.00\r\n`);
    expect(lines).toEqual(['[    5.000001] first\r', '[    5.000002] second\r', 'EDGE-EVENT install.complete action=none t=5.00\r']);
    expect(events).toEqual([COMPLETE]);
  });

  it('handles chunks that end inside the marker and inside the timestamp', () => {
    const { lines, events } = split('EDGE-EVENT inst', 'all.comp[   12.34', '5678', '] usb 1-1: gone\r', '\nlete act', 'ion=none\r\n');
    expect(lines).toEqual(['[   12.345678] usb 1-1: gone\r', 'EDGE-EVENT install.complete action=none\r']);
    expect(events).toEqual([COMPLETE]);
    const cut = split('EDGE-EVENT install.comp\r\n[   12.3', '45678] usb 1-1: gone\r\nlete action=none\r\n');
    expect(cut.events).toEqual([COMPLETE]);
  });

  it('keeps a record at the start of a line as a line of its own, and the lines around it apart', () => {
    const { lines, events } = splitEveryWay('Booting\r\n[    0.512345] random: crng init done\r\nEDGE-EVENT install.complete action=none t=3.21\r\n[    5.123456] usb 1-1: gone\r\nWelcome to Edge\r\n');
    expect(lines).toEqual(['Booting\r', '[    0.512345] random: crng init done\r', 'EDGE-EVENT install.complete action=none t=3.21\r', '[    5.123456] usb 1-1: gone\r', 'Welcome to Edge\r']);
    expect(events).toEqual([COMPLETE]);
  });

  it('gives a finished event at once, even when a record and then silence follow (the floor initrd powering off)', () => {
    const s = new ConsoleLineSplitter();
    expect(s.push('EDGE-EVENT floor.ready uptime_s=2.31\r\n')).toEqual(['EDGE-EVENT floor.ready uptime_s=2.31\r']);
    expect(s.push('[    2.400000] reboot: Power down\r\n')).toEqual(['[    2.400000] reboot: Power down\r']);
  });

  it('holds an unfinished marker line only until the next byte shows no record follows', () => {
    const s = new ConsoleLineSplitter();
    expect(s.push('EDGE-EVENT install.comp\r\n')).toEqual([]);
    expect(s.push('[ 1')).toEqual([]);
    expect(s.push('x\r\n')).toEqual(['EDGE-EVENT install.comp\r', '[ 1x\r']);
  });

  it.each([
    'result [1.5] of [ 2.0] done',
    '[1.5] at the start',
    'compare [   12.345] and [12.3456789]',
  ])('keeps %j intact: not a kernel timestamp', (line) => {
    expect(split(`${line}\r\nnext\r\n`).lines).toEqual([`${line}\r`, 'next\r']);
  });

  it('still parses a marker right after a bare prompt, also when a record came between them', () => {
    expect(splitEveryWay('edge-host:/# EDGE-EVENT install.comp[    5.123456] msg\r\nlete action=none t=5.20\r\n').events).toEqual([COMPLETE]);
    const { lines, events } = splitEveryWay('edge-host:/# [    5.123456] msg\r\nEDGE-EVENT os.shutdown t=9.10\r\n');
    expect(lines).toEqual(['[    5.123456] msg\r', 'edge-host:/# ', 'EDGE-EVENT os.shutdown t=9.10\r']);
    expect(events).toEqual([{ type: 'os.shutdown' }]);
  });

  it('keeps typed text ordinary: a typed echo stays no event, and a typed timestamp cannot swallow the next marker', () => {
    expect(splitEveryWay('edge-host:/# echo EDGE-EVENT install.comp[    5.123456] msg\r\nlete action=none\r\n').events).toEqual([]);
    const typed = 'edge-host:/# echo "[    1.000000] hi"\r\n[    1.000000] hi"\r\n';
    const syslog = 'Jan  1 00:00:05 edge-host kern.warn kernel: [    5.123456] usb 1-1: new device\r\n';
    const marker = 'edge-host:/# EDGE-EVENT agent.ready host_id=edge-1 ip=10.0.2.15 mac=52:54:00:12:34:56 t=3.88\r\n';
    expect(splitEveryWay(typed + syslog + marker).events).toEqual([{ type: 'agent.ready', hostId: 'edge-1', ip: '10.0.2.15', mac: '52:54:00:12:34:56' }]);
  });

  it('keeps at most 64 KiB of unfinished text, also of an interrupted line', () => {
    const s = new ConsoleLineSplitter();
    const lines = [
      ...s.push('EDGE-EVENT install.comp[    1.000000] m\r\n'),
      ...s.push('x'.repeat(100_000)),
      ...s.push('\nEDGE-EVENT os.shutdown\n'),
    ];
    expect(lines).toHaveLength(3);
    expect(lines[1]!.length).toBeLessThanOrEqual(64 * 1024);
    expect(parseConsoleLine(lines[2]!)).toEqual({ type: 'os.shutdown' });
  });
});

describe('ConsoleLineSplitter property: a kernel record anywhere in a marker', () => {
  const value = fc.stringMatching(/^[a-z0-9:-]{1,10}$/);
  // Lines as the guest's emit() prints them (simulator/images/guest/lib.sh): the last field is t=<uptime>.
  const protocolLine = fc
    .tuple(
      fc.constantFrom('', 'edge-host:/# ', '/ # '),
      fc.oneof(
        fc.constantFrom('install.complete action=none', 'install.complete action=poweroff', 'os.shutdown', 'power.button', 'boot.modules-loaded'),
        value.map((v) => `install.step step=${v} slot=active`),
        fc.tuple(value, fc.ipV4()).map(([id, ip]) => `agent.ready host_id=edge-${id} ip=${ip} mac=52:54:00:12:34:56`),
        fc.constantFrom(...PROVISIONING_STEPS).map((step) => `provision.step step=${step}`),
      ),
      fc.tuple(fc.nat(99_999), fc.nat(99)).map(([s, c]) => `${s}.${String(c).padStart(2, '0')}`),
    )
    .map(([prompt, body, t]) => `${prompt}EDGE-EVENT ${body} t=${t}`);
  const record = fc
    .tuple(fc.nat(99_999), fc.nat(999_999), fc.constantFrom('usb 1-1: USB disconnect, device number 2', 'random: crng init done', 'EXT4-fs (vda2): mounted', ''))
    .map(([s, us, msg]) => `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}] ${msg}\r\n`);

  it('yields the same event as the unsplit line, and each record as a line, for any insertion point and chunking', () => {
    fc.assert(
      fc.property(
        protocolLine,
        fc.nat(),
        fc.constantFrom('', '\r', '\r\n'),
        fc.array(record, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (line, at, lead, records, cuts) => {
          const i = at % (line.length + 1);
          const head = line.slice(0, i);
          const stream = new TextEncoder().encode(`Booting\r\n${head}${lead}${records.join('')}${line.slice(i)}\r\n`);
          const bounds = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...bounds].map((from, k) => stream.subarray(from, [...bounds, stream.length][k]));
          const { lines, events } = split(...chunks);
          expect(lines.filter((l) => l.startsWith('['))).toEqual(records.map((r) => r.slice(0, -1)));
          // With a \r\n before the record, a head that is already an event (or has its t=) is taken
          // as finished: those bytes are the same as a finished line followed by a record.
          const headEvent = parseConsoleLine(head);
          const headFinished = (headEvent !== null && headEvent.type !== 'unknown') || / t=\d+\.\d\d$/.test(head);
          expect(events).toEqual([lead === '\r\n' && headFinished ? headEvent : parseConsoleLine(line)]);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
