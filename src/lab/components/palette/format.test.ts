import { describe, expect, it } from 'vitest';
import type { EdgeHostRow } from '../../../../simulator/pure/palette/views';
import {
  badgeClass, codeSegments, compareVersions, dateInDays, expiryFromDate, formatMemory, formatTags, hostCells, HOST_COLUMNS,
  issueText, parseHostIds, registrationLabel, relativeTime,
} from './format';

const NOW = 1_700_000_000_000;

const row = (over: Partial<EdgeHostRow> = {}): EdgeHostRow => ({
  hostId: 'edge-host-1', status: 'Ready', health: 'Healthy', registration: 'registered', method: 'auto', tags: { site: 'lab' },
  cluster: null, cpus: 2, memoryMb: 192, os: 'Ubuntu 22.04', ip: '10.77.0.11', mac: '52:54:00:00:00:01', arch: 'amd64',
  project: 'Default', hostName: 'edge-host-1', firstSeenAt: NOW - 60_000, registeredAt: NOW - 60_000, lastHeartbeatAt: NOW - 12_000,
  ...over,
});

describe('relative times', () => {
  it('says how long ago, or how long until', () => {
    expect(relativeTime(null, NOW)).toBe('never');
    expect(relativeTime(NOW - 500, NOW)).toBe('just now');
    expect(relativeTime(NOW - 12_000, NOW)).toBe('12 s ago');
    expect(relativeTime(NOW - 3 * 60_000 - 5_000, NOW)).toBe('3 min ago');
    expect(relativeTime(NOW - 3600_000, NOW)).toBe('1 hour ago');
    expect(relativeTime(NOW - 5 * 3600_000, NOW)).toBe('5 hours ago');
    expect(relativeTime(NOW + 30 * 86_400_000, NOW)).toBe('in 30 days');
  });
});

describe('Edge Hosts grid cells', () => {
  it('has the product\'s columns, named and ordered as Palette\'s grid, then the lab\'s own two', () => {
    expect(HOST_COLUMNS.filter((c) => !c.lab).map((c) => c.label)).toEqual([
      'Machine ID', 'Status', 'Health', 'Tags', 'Cluster', 'CPU', 'Memory', 'OS', 'IP Address', 'MAC Address', 'Architecture',
    ]);
    expect(HOST_COLUMNS.filter((c) => c.lab).map((c) => c.label)).toEqual(['Registration', 'Last heartbeat']);
    expect(HOST_COLUMNS.findIndex((c) => c.lab)).toBe(HOST_COLUMNS.length - 2);
  });

  it('formats a registered host', () => {
    expect(hostCells(row(), NOW)).toEqual({
      hostId: 'edge-host-1', status: 'Ready', health: 'Healthy', registration: 'Registered (auto)', cluster: '—', cpu: '2',
      memory: '192 MiB', os: 'Ubuntu 22.04', ip: '10.77.0.11', mac: '52:54:00:00:00:01', arch: 'AMD64', tags: 'site=lab', heartbeat: '12 s ago',
    });
  });

  it('shows dashes for what an unpaired host has not reported', () => {
    const cells = hostCells(row({ status: 'Unpaired', health: null, registration: 'added', method: null, cpus: 0, memoryMb: 0, os: '', ip: '', mac: '', tags: {}, lastHeartbeatAt: null }), NOW);
    expect(cells).toMatchObject({ health: '—', registration: 'Added by ID, not seen yet', cpu: '—', memory: '—', os: '—', ip: '—', mac: '—', tags: '—', heartbeat: '—' });
  });

  it('names registrations and memory in words', () => {
    expect(registrationLabel({ registration: 'pending', method: null })).toBe('Waiting for manual registration');
    expect(registrationLabel({ registration: 'registered', method: 'manual' })).toBe('Registered (manual)');
    expect(formatMemory(8192)).toBe('8 GiB');
    expect(formatMemory(1536)).toBe('1.5 GiB');
    expect(formatTags({ site: 'lab', region: 'east' })).toBe('region=east, site=lab');
  });

  it('colours statuses', () => {
    expect(badgeClass('Ready')).toBe('badge badge--success');
    expect(badgeClass('Unhealthy')).toBe('badge badge--danger');
    expect(badgeClass('Provisioning')).toBe('badge badge--warning');
    expect(badgeClass(null)).toBe('badge badge--secondary');
  });
});

describe('form inputs', () => {
  it('reads host IDs separated by commas, spaces or lines, each once', () => {
    expect(parseHostIds(' edge-a, edge-b\nedge-c  edge-a ,')).toEqual(['edge-a', 'edge-b', 'edge-c']);
    expect(parseHostIds('   ')).toEqual([]);
  });

  it('turns an expiry date into the end of that day (UTC), empty into the default, and refuses what is not a date', () => {
    expect(expiryFromDate('')).toEqual({});
    expect(expiryFromDate('2027-01-31')).toEqual({ expiresAt: Date.UTC(2027, 0, 31, 23, 59, 59, 999) });
    expect(expiryFromDate('2027-02-30')).toMatchObject({ error: expect.stringContaining('“2027-02-30” is not a date') });
    expect(expiryFromDate('31/01/2027')).toMatchObject({ error: expect.stringContaining('YYYY-MM-DD') });
    expect(dateInDays(30, Date.UTC(2026, 11, 5, 12))).toBe('2027-01-04');
  });

});

describe('issue text', () => {
  it('says what is wrong, then what to do', () => {
    expect(issueText({ message: 'the host ID is empty', hint: 'paste the ID the host prints' })).toBe('The host ID is empty. Paste the ID the host prints.');
    expect(issueText({ message: 'is required' }, 'Line 2')).toBe('Line 2: Is required.');
    expect(issueText({ message: 'edge-x is added' })).toBe('edge-x is added.');
  });

  it('splits code out of backticks', () => {
    expect(codeSegments('write `pool.ntp.org` here')).toEqual([{ code: false, text: 'write ' }, { code: true, text: 'pool.ntp.org' }, { code: false, text: ' here' }]);
    expect(codeSegments('a `b')).toEqual([{ code: false, text: 'a `b' }]);
  });

  it('orders versions numerically', () => {
    expect(['1.10.0', '1.9.0', '1.0.0'].sort(compareVersions)).toEqual(['1.0.0', '1.9.0', '1.10.0']);
  });
});
