import { describe, expect, it } from 'vitest';
import type { LabSnapshot } from '../client';
import { labNotice, serverNotices } from './lab-notice';

const conn = (over: Partial<LabSnapshot['connection']>): LabSnapshot['connection'] => ({
  status: 'open', labId: 'lab-1', role: 'solo', seq: 3, view: null, events: [], problem: null, retryInMs: null, ...over,
});
const ready: LabSnapshot['session'] = { status: 'ready', scenario: 's', labId: 'lab-1', role: 'solo', resumed: false };

describe('labNotice', () => {
  it.each<[string, LabSnapshot, unknown]>([
    ['opening', { session: { status: 'connecting', scenario: 's' }, connection: conn({ status: 'idle' }) }, { tone: 'info', text: 'Opening your lab…', action: null }],
    ['simulator down', { session: { status: 'simulator-unreachable', scenario: 's', simulatorUrl: 'u', message: 'start it with npm start' }, connection: conn({ status: 'idle' }) },
      { tone: 'warning', text: 'start it with npm start', action: 'retry' }],
    ['lab gone', { session: { status: 'lab-gone', scenario: 's', labId: 'x', message: 'gone' }, connection: conn({ status: 'idle' }) }, { tone: 'warning', text: 'gone', action: 'new-lab' }],
    ['reconnecting', { session: ready, connection: conn({ status: 'reconnecting', problem: { code: 'closed-1006', message: 'lost' } }) },
      { tone: 'warning', text: expect.stringMatching(/Reconnecting to your lab \(lost\)/), action: null }],
    ['queued', { session: ready, connection: conn({ status: 'reconnecting', retryInMs: 3000, problem: { code: 'queued', message: 'm', queuePosition: 4 } }) },
      { tone: 'info', text: expect.stringMatching(/waiting for a free place.*You are number 4 in the queue; your lab starts by itself/), action: null }],
    ['queued next', { session: ready, connection: conn({ status: 'reconnecting', problem: { code: 'queued', message: 'm', queuePosition: 1 } }) },
      { tone: 'info', text: expect.stringMatching(/You are next in the queue/), action: null }],
    ['queued, position unknown', { session: ready, connection: conn({ status: 'reconnecting', problem: { code: 'queued', message: 'm' } }) },
      { tone: 'info', text: expect.stringMatching(/You are in the queue/), action: null }],
    ['version mismatch', { session: ready, connection: conn({ status: 'stopped', problem: { code: 'version-mismatch', message: 'reload' } }) }, { tone: 'danger', text: 'reload', action: 'reload' }],
    ['open without a view yet', { session: ready, connection: conn({}) }, { tone: 'info', text: expect.stringMatching(/first view/), action: null }],
  ])('%s', (_label, snapshot, expected) => {
    expect(labNotice(snapshot)).toEqual(expected);
  });

  it('says nothing when the lab is live', () => {
    const view = { state: 'modelProfile', label: '', tags: [], allowed: [], may: [], data: {}, at: 0, phases: [], hosts: {}, clusters: {} };
    expect(labNotice({ session: ready, connection: conn({ view }) })).toBeNull();
  });
});

describe('serverNotices', () => {
  const view = (notices: unknown[]) => ({ state: 'modelProfile', label: '', tags: [], allowed: [], may: [], data: { notices }, at: 0, phases: [], hosts: {}, clusters: {} }) as never;

  it('shows what the lab server says beside the steps, errors first', () => {
    expect(serverNotices(view([
      { kind: 'server-restarted', severity: 'info', message: 'The lab server restarted…', hosts: ['h'] },
      { kind: 'store-trouble', severity: 'error', message: 'cannot save', hosts: [] },
    ]))).toEqual([
      { tone: 'danger', text: 'cannot save', action: null },
      { tone: 'info', text: 'The lab server restarted…', action: null },
    ]);
  });

  it('is empty without a view or without notices', () => {
    expect(serverNotices(null)).toEqual([]);
    expect(serverNotices(view([]))).toEqual([]);
  });
});
