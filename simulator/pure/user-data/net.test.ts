import { describe, it, expect } from 'vitest';
import { isIPv4, maskPrefixLength, parseIPv4Cidr, prefixToMask } from './net';

describe('IPv4 helpers', () => {
  it.each(['0.0.0.0', '10.20.1.11', '255.255.255.255'])('accepts %s', (ip) => expect(isIPv4(ip)).toBe(true));
  it.each(['10.0.0', '10.0.0.256', '010.0.0.1', '1.2.3.4.5', 'a.b.c.d', ''])('rejects %j', (ip) => expect(isIPv4(ip)).toBe(false));

  it('parses CIDR notation', () => {
    expect(parseIPv4Cidr('10.20.1.11/24')).toEqual({ address: '10.20.1.11', prefix: 24 });
    expect(parseIPv4Cidr('10.20.1.11')).toEqual({ address: '10.20.1.11' });
    expect(parseIPv4Cidr('10.20.1.11/33')).toBeUndefined();
    expect(parseIPv4Cidr('10.20.1.11/24/1')).toBeUndefined();
  });

  it.each([
    ['255.255.255.0', 24], ['255.255.255.255', 32], ['0.0.0.0', 0], ['255.255.240.0', 20], ['128.0.0.0', 1],
  ] as const)('mask %s is /%i and back', (mask, len) => {
    expect(maskPrefixLength(mask)).toBe(len);
    expect(prefixToMask(len)).toBe(mask);
  });

  it.each(['255.0.255.0', '255.255.255.1', '0.255.255.255'])('rejects non-contiguous mask %s', (m) => {
    expect(maskPrefixLength(m)).toBeUndefined();
  });
});
