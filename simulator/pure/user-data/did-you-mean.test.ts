import { describe, it, expect } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['stylys', 'stylus', 1],
    ['edgeHostTokn', 'edgeHostToken', 1],
    ['ab', 'ba', 2],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const SITE = ['paletteEndpoint', 'edgeHostToken', 'name', 'prefix', 'hostName', 'tags'];

  it.each([
    ['edgeHostTokn', 'edgeHostToken'],
    ['EDGEHOSTTOKEN', 'edgeHostToken'],
    ['paletteendpoint', 'paletteEndpoint'],
    ['palleteEndpont', 'paletteEndpoint'],
    ['prefx', 'prefix'],
    ['hostname', 'hostName'],
    ['nme', 'name'],
  ])('%s → %s', (input, expected) => {
    expect(didYouMean(input, SITE)).toBe(expected);
  });

  it.each([['registrationToken'], ['xy'], ['zzzzzzzz'], ['']])('no suggestion for %j', (input) => {
    expect(didYouMean(input, SITE)).toBeUndefined();
  });

  it('allows up to a third of the length for long keys', () => {
    // 3 edits: within floor(12 / 3) = 4, above the flat limit of 2.
    expect(didYouMean('bindmountsxx', ['bind_mounts'])).toBe('bind_mounts');
    expect(didYouMean('abcdefghi', ['abcxyzghi'])).toBe('abcxyzghi');
    expect(didYouMean('abcdefghi', ['abwxyzghi'])).toBeUndefined();
  });

  it('prefers the closest candidate', () => {
    expect(didYouMean('boots', ['fs', 'boot', 'rootfs'])).toBe('boot');
  });
});
