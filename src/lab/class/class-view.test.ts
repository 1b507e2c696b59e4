import { describe, expect, it } from 'vitest';
import type { ApiOutcome } from '../client/lab-api';
import type { ClassInfo } from './class-types';
import { capacityWords, checkpointWords, dashboardState, phaseMarks, phaseWords, placeWords, relativeTime, warmCount, warmWords } from './class-view';

const info: ClassInfo = {
  classId: 'cls-1', name: 'Monday', scenario: 'single-node',
  capacity: { maxRunningHosts: 8, runningHosts: 3, queued: 2, warmBudget: 4 }, warm: { target: 2, ready: 1 }, learners: { max: 200 },
  checkpoints: { state: 'ready', error: null }, labs: [],
};
const failed = (status: number, message = 'why'): ApiOutcome<ClassInfo> => ({ ok: false, status, code: 'x', message, issues: [] });

describe('dashboardState', () => {
  it('shows the class when it answers', () => {
    expect(dashboardState({ ok: true, status: 200, value: info }, { kind: 'loading' })).toEqual({ kind: 'ready', info });
  });
  it('keeps the last table when the lab server stops answering', () => {
    const down = dashboardState(failed(0, 'does not answer'), { kind: 'ready', info });
    expect(down).toEqual({ kind: 'unreachable', message: 'does not answer', last: info });
    expect(dashboardState(failed(0), down)).toMatchObject({ kind: 'unreachable', last: info });
    expect(dashboardState(failed(0), { kind: 'loading' })).toMatchObject({ last: null });
  });
  it('tells a wrong trainer secret and a missing class apart from other failures', () => {
    expect(dashboardState(failed(403), { kind: 'loading' })).toEqual({ kind: 'not-trainer', message: 'why' });
    expect(dashboardState(failed(401), { kind: 'loading' })).toMatchObject({ kind: 'not-trainer' });
    expect(dashboardState(failed(404), { kind: 'loading' })).toMatchObject({ kind: 'no-class' });
    expect(dashboardState(failed(500), { kind: 'ready', info })).toEqual({ kind: 'error', message: 'why', last: info });
  });
});

describe('a learner row', () => {
  it('says where the lab stands in the queue', () => {
    expect(placeWords({ place: 'active', queuePosition: null })).toBe('active');
    expect(placeWords({ place: 'queued', queuePosition: 2 })).toBe('queued #2');
    expect(placeWords({ place: 'suspended', queuePosition: null })).toBe('suspended');
    expect(placeWords({ place: 'closed', queuePosition: null })).toBe('not open'); // the server says so; the page had no word for it
  });
  it('marks the phases before, at and after the lab\'s phase', () => {
    expect(phaseMarks('installHandoff').map((p) => p.mark)).toEqual(['done', 'active', 'pending', 'pending']);
    expect(phaseMarks('modelProfile').map((p) => p.mark)).toEqual(['active', 'pending', 'pending', 'pending']);
    expect(phaseMarks('done').map((p) => p.mark)).toEqual(['done', 'done', 'done', 'done']);
    expect(phaseMarks('registration')[2]).toEqual({ phase: 'registration', label: 'Registration', mark: 'active' });
    expect(phaseWords('installHandoff')).toBe('Phase 2 of 4: Install Handoff');
    expect(phaseWords('done')).toBe('All four phases done');
    // A lab whose view the server does not know yet: no "Phase 0 of 4: undefined".
    expect(phaseWords(null)).toBe('Not known until the lab opens again');
    expect(phaseMarks(null).map((m) => m.mark)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });
  it('says how long ago the learner last did something', () => {
    const now = 10_000_000;
    expect(relativeTime(null, now)).toBe('no activity yet');
    expect(relativeTime(now - 500, now)).toBe('just now');
    expect(relativeTime(now + 3000, now)).toBe('just now'); // a server clock slightly ahead
    expect(relativeTime(now - 12_000, now)).toBe('12 s ago');
    expect(relativeTime(now - 185_000, now)).toBe('3 min ago');
    expect(relativeTime(now - 2 * 3_600_000, now)).toBe('2 h ago');
    expect(relativeTime(now - 4 * 86_400_000, now)).toBe('4 d ago');
  });
});

describe('capacity and warm labs', () => {
  it('puts them in words', () => {
    expect(capacityWords(info.capacity)).toBe('3 of 8 hosts running · 2 labs waiting');
    expect(capacityWords({ maxRunningHosts: 4, runningHosts: 0, queued: 1, warmBudget: 2 })).toBe('0 of 4 hosts running · 1 lab waiting');
    expect(checkpointWords({ state: 'ready', error: null })).toMatch(/^ready: fast-forward and reset take seconds/);
    expect(checkpointWords({ state: 'missing', error: '[checkpoint] boom' })).toBe('not made; the last try failed: [checkpoint] boom');
    expect(capacityWords({ maxRunningHosts: 4, runningHosts: 0, queued: 0, warmBudget: 2 })).toMatch(/no lab waiting$/);
    expect(warmWords(info.warm)).toBe('1 of 2 ready');
    expect(warmWords({ target: 0, ready: 0 })).toBe('none kept ready');
  });
  it('accepts a whole warm count only', () => {
    expect(warmCount('3')).toBe(3);
    expect(warmCount(' 0 ')).toBe(0);
    expect(warmCount('-1')).toBeNull();
    expect(warmCount('2.5')).toBeNull();
    expect(warmCount('')).toBeNull();
    expect(warmCount('500')).toBeNull();
  });
});
