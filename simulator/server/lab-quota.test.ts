import { describe, expect, it } from 'vitest';
import { addressKey } from './address-key';
import { DEFAULT_LABS_PER_MINUTE, DEFAULT_MAX_STORED_LABS, LabQuota } from './lab-quota';

describe('the quota of labs opened without a credential', () => {
  it('counts each address on its own, by the minute', () => {
    let now = 0;
    const q = new LabQuota({ now: () => now, perMinute: 2 });
    expect(q.admit('10.0.0.1', 0)).toBeNull();
    now += 10_000;
    expect(q.admit('10.0.0.1', 0)).toBeNull();
    expect(q.admit('10.0.0.1', 0)).toMatchObject({ status: 429, retryAfterSeconds: 50 });
    // The same client through an IPv4-mapped address is the same client; another one is not.
    expect(q.admit('::ffff:10.0.0.1', 0)).toMatchObject({ status: 429 });
    expect(q.admit('10.0.0.2', 0)).toBeNull();
    now += 50_000;
    expect(q.admit('10.0.0.1', 0)).toBeNull();
    expect(q.admit('10.0.0.1', 0)).toMatchObject({ status: 429, retryAfterSeconds: 10 });
  });

  it('refuses everyone once the machine keeps its most labs', () => {
    const q = new LabQuota({ now: () => 0, maxStoredLabs: 3 });
    expect(q.admit('10.0.0.9', 2)).toBeNull();
    expect(q.admit('10.0.0.9', 3)).toMatchObject({ status: 503, error: 'lab-store-full', retryAfterSeconds: 3600 });
    expect([DEFAULT_LABS_PER_MINUTE, DEFAULT_MAX_STORED_LABS]).toEqual([10, 500]);
  });

  it('keys an IPv6 client by its /64', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey(undefined)).toBe('unknown');
  });
});
