import { describe, expect, it } from 'vitest';
import { consoleChartEvents, consoleProblem, deliveredProblem, diskProblem, installedInLog, registrationProblem, seqProblem, type LoggedEntry } from './log-checks';
import { chaosPassed, chaosTable, summarize, type FaultResult } from './outcomes';

const hc = (seq: number, host: string, type: string, hostId?: string): LoggedEntry => ({ seq, type: 'host.console', host, event: { type, ...(hostId ? { hostId } : {}) } });

describe('the log checks of a chaos run', () => {
  it('find a gap and a repeated seq', () => {
    expect(seqProblem([{ seq: 1, type: 'a' }, { seq: 2, type: 'b' }])).toBeNull();
    expect(seqProblem([{ seq: 1, type: 'a' }, { seq: 3, type: 'b' }])).toMatch(/#2 has seq 3 .*a gap/);
    expect(seqProblem([{ seq: 1, type: 'a' }, { seq: 1, type: 'b' }])).toMatch(/a repeated seq/);
  });

  it('find an event a page was sent that the log does not hold, or holds as another', () => {
    const log = [{ seq: 1, type: 'host.power' }, { seq: 2, type: 'host.console' }];
    expect(deliveredProblem([{ seq: 2, type: 'host.console' }], log)).toBeNull();
    expect(deliveredProblem([{ seq: 3, type: 'host.console' }], log)).toMatch(/seq 3 .*does not hold/);
    expect(deliveredProblem([{ seq: 1, type: 'host.console' }], log)).toMatch(/as host.console, but the log holds host.power/);
  });

  it('read chart events from a console as the lab does, kernel lines and prompts around them', () => {
    const console = 'SeaBIOS\r\nEDGE-EVENT install.started version=1\r\n[    3.100000] usb 1-1: new device\r\nEDGE-EVENT install.complete action=poweroff\r\n';
    expect(consoleChartEvents(console)).toEqual(['INSTALL_STARTED', 'INSTALL_COMPLETE']);
  });

  it('find a console event missing from the log, and accept a log that holds more', () => {
    const console = 'EDGE-EVENT install.started version=1\nEDGE-EVENT install.complete action=poweroff\n';
    const full = [hc(1, 'h', 'INSTALL_STARTED'), hc(2, 'h', 'INSTALL_STEP'), hc(3, 'h', 'INSTALL_COMPLETE'), hc(4, 'h', 'OS_BOOTED')];
    expect(consoleProblem('h', console, full)).toBeNull();
    expect(consoleProblem('h', console, [hc(1, 'h', 'INSTALL_STARTED')])).toMatch(/h's console shows INSTALL_COMPLETE \(its chart event #2 of 2\)/);
    expect(consoleProblem('h', console, [hc(1, 'other', 'INSTALL_STARTED'), hc(2, 'h', 'INSTALL_COMPLETE')])).toMatch(/INSTALL_STARTED/);
  });

  it('find Palette and the lab disagreeing on a registration, either way', () => {
    const hosts = [{ vm: 'h', hostId: 'edge-1' }];
    expect(registrationProblem(hosts, ['h'], [{ hostId: 'edge-1', registration: 'registered' }])).toBeNull();
    expect(registrationProblem(hosts, [], [])).toBeNull();
    expect(registrationProblem(hosts, [], [{ hostId: 'edge-1', registration: 'registered' }])).toMatch(/Palette has edge-1 registered, but the lab does not count h as registered/);
    expect(registrationProblem(hosts, ['h'], [{ hostId: 'edge-1', registration: 'added' }])).toMatch(/Palette's record of edge-1 says added/);
  });

  it('find a host the log calls installed whose disk is blank or missing', () => {
    const log: LoggedEntry[] = [{ seq: 1, type: 'host.installed', host: 'a' }, { seq: 2, type: 'lab.reset' }, { seq: 3, type: 'host.installed', host: 'b' }];
    expect(installedInLog(log)).toEqual(['b']);
    expect(diskProblem(['b'], { b: 26 * 1024 * 1024 })).toBeNull();
    expect(diskProblem(['b'], { b: 196_608 })).toBe('the log says b was installed, but its disk holds only 192 KiB');
    expect(diskProblem(['b'], { b: null })).toMatch(/b was installed, but it has no disk/);
  });
});

describe('a chaos run\'s outcome', () => {
  const fault = { n: 1, lab: 1, kind: 'power-cut' as const, step: 'registration', delayMs: 0, holdMs: 1000 };
  const r = (outcome: FaultResult['outcome'], kind: FaultResult['fault']['kind'] = 'power-cut'): FaultResult => ({ fault: { ...fault, kind }, outcome, detail: '', recoveryMs: 1 });

  it('counts survived, stuck, lost and missed, and fails on any stuck or lost', () => {
    const s = summarize([r('recovered'), r('named'), r('missed')]);
    expect(s).toEqual({ injected: 2, survived: 2, stuck: 0, lost: 0, missed: 1 });
    expect(chaosPassed(s)).toBe(true);
    expect(chaosPassed(summarize([r('recovered'), r('stuck')]))).toBe(false);
    expect(chaosPassed(summarize([r('lost')]))).toBe(false);
  });

  it('prints a row per kind that occurred and a total', () => {
    const table = chaosTable([r('recovered'), r('named', 'qemu-kill'), r('named', 'qemu-kill')]).split('\n');
    expect(table[0]).toMatch(/^fault\s+recovered\s+named\s+stuck\s+lost\s+missed$/);
    expect(table.find((l) => l.startsWith('QEMU killed'))).toMatch(/\s0\s+2\s+0\s+0\s+0$/);
    expect(table.find((l) => l.startsWith('power cut'))).toMatch(/\s1\s+0\s+0\s+0\s+0$/);
    expect(table.at(-1)).toMatch(/^total\s+1\s+2\s+0\s+0\s+0$/);
    expect(table.some((l) => l.startsWith('store locked'))).toBe(false);
  });
});
