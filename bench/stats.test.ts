import { describe, expect, it } from 'vitest';
import { describeTarget, evaluateTarget, formatNumber, formatRatio, formatValue, median, percentile, ratio, summarize } from './stats';

describe('median and percentiles', () => {
  it('takes the middle of an odd count and the mean of the middle pair of an even count, unsorted input', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates between closest ranks, so p50 is the median and p0/p100 the extremes', () => {
    const xs = [10, 20, 30, 40, 50];
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 90)).toBeCloseTo(46);
    expect(percentile(xs, 0)).toBe(10);
    expect(percentile(xs, 100)).toBe(50);
    expect(percentile([1, 2], 90)).toBeCloseTo(1.9);
  });

  it('summarises without changing the caller\'s array', () => {
    const xs = [5, 1, 4, 2, 3];
    expect(summarize(xs)).toEqual({ n: 5, median: 3, p50: 3, p90: 4.6, min: 1, max: 5 });
    expect(xs).toEqual([5, 1, 4, 2, 3]);
  });

  it('refuses no samples, non-finite samples and percentiles outside 0..100', () => {
    expect(() => median([])).toThrow(/no samples/);
    expect(() => median([1, Number.NaN])).toThrow(/finite/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });
});

describe('ratios and formatting', () => {
  it('divides by the baseline and has no ratio without a usable one', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, null)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(3, Number.NaN)).toBeNull();
  });

  it('formats ratios with a multiplication sign and a dash for none', () => {
    expect(formatRatio(1.234)).toBe('1.23×');
    expect(formatRatio(0.5)).toBe('0.50×');
    expect(formatRatio(12.34)).toBe('12.3×');
    expect(formatRatio(null)).toBe('—');
  });

  it('formats values with the precision of their unit', () => {
    expect(formatValue(2.3456, 's')).toBe('2.35 s');
    expect(formatValue(0.2871, 's')).toBe('0.287 s');
    expect(formatNumber(97.26, 'MB')).toBe('97.3');
    expect(formatValue(1.5, '%')).toBe('1.50 %');
  });
});

describe('targets', () => {
  const boot = [{ kind: 'max', value: 2.5 }, { kind: 'maxRatio', value: 1.2 }] as const;

  it('describes every condition of a target', () => {
    expect(describeTarget(boot, 's', 'floor')).toBe('≤ 2.5 s and ≤ 1.2× floor');
    expect(describeTarget([], 's')).toBe('—');
  });

  it('is met only when every condition is', () => {
    expect(evaluateTarget(boot, 2.4, 1.1, 's', 'floor')).toEqual({ met: true, problems: [] });
    expect(evaluateTarget(boot, 2.5, 1.2, 's', 'floor').met).toBe(true);
  });

  it('says plainly which condition was missed', () => {
    expect(evaluateTarget(boot, 2.71, 1.1, 's', 'floor')).toEqual({ met: false, problems: ['2.71 s > 2.5 s'] });
    expect(evaluateTarget(boot, 2.4, 1.35, 's', 'floor')).toEqual({ met: false, problems: ['1.35× floor > 1.2×'] });
    expect(evaluateTarget(boot, 3, 2, 's', 'floor').problems).toHaveLength(2);
  });

  it('judges a floor (at least so many) as well as a ceiling', () => {
    const labs = [{ kind: 'min', value: 50 }] as const;
    expect(describeTarget(labs, 'labs')).toBe('≥ 50 labs');
    expect(evaluateTarget(labs, 50, null, 'labs')).toEqual({ met: true, problems: [] });
    expect(evaluateTarget(labs, 42, null, 'labs')).toEqual({ met: false, problems: ['42 labs < 50 labs'] });
  });

  it('does not call a ratio target met without a baseline, and a miss still wins', () => {
    expect(evaluateTarget(boot, 2.4, null, 's', 'floor')).toEqual({ met: null, problems: ['no floor to compare with'] });
    expect(evaluateTarget(boot, 2.6, null, 's', 'floor').met).toBe(false);
  });
});
