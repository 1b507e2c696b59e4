import { describe, expect, it } from 'vitest';
import { HEARTBEAT_TIMEOUT_MS, hostHealth, hostStatus } from './host-health';

describe('hostStatus', () => {
  it.each([
    ['added', null, 'Unpaired'],
    ['pending', null, 'Unpaired'],
    ['registered', null, 'Ready'],
    ['registered', 'store-42', 'In-Use'],
  ] as const)('%s in cluster %s is %s', (registration, cluster, status) => {
    expect(hostStatus(registration, cluster)).toBe(status);
  });
});

describe('hostHealth', () => {
  it('is healthy until 60 s pass without contact, then unhealthy', () => {
    expect(HEARTBEAT_TIMEOUT_MS).toBe(60_000);
    expect(hostHealth(1_000, 1_000 + 59_999)).toBe('healthy');
    expect(hostHealth(1_000, 1_000 + 60_000)).toBe('unhealthy');
  });
});
