import { describe, expect, it } from 'vitest';
import { carryOver, metricResult, renderMarkdown, type BenchResults } from './report';
import { parseBenchArgs } from './cli-args';
import { parseKbField, parseStatCpuTicks, cpuPercentOfOneCore } from './proc';

const machine = { cores: 2, ramGb: 23.5, cpuModel: 'Test CPU', qemuVersion: 'QEMU emulator version 9.9.9', guestKernelPackage: 'linux-image-test', hostKernel: '6.1.0', node: '20.0.0', loadavgStart: [1, 1, 1], loadavgEnd: [2, 2, 2] };

describe('metric results', () => {
  it('takes the ratio against the median of the floors beside the samples, times the factor', () => {
    const r = metricResult({
      name: 'boot_10_concurrent_s', what: 'w', unit: 's', target: [{ kind: 'max', value: 15 }],
      baseline: { of: 'seconds', factor: 10, label: '10 × floor' },
      samples: [{ value: 12 }, { value: 14, extra: { first_ready_s: 3 } }, { value: 13 }], floor: [1, 1.2, Number.NaN], error: null,
    });
    expect(r.summary?.median).toBe(13);
    expect(r.baseline !== 'self' && r.baseline?.value).toBeCloseTo(11);
    expect(r.ratio).toBeCloseTo(13 / 11);
    expect(r.met).toBe(true);
    expect(r.extra).toEqual({ first_ready_s: [3] });
  });

  it('takes a baseline the metric measured itself from the samples\' extra, in the metric\'s unit', () => {
    const r = metricResult({
      name: 'page_ms', what: 'w', unit: 'ms', target: [{ kind: 'maxRatio', value: 1.1 }],
      baseline: { extra: 'plain_ms', label: 'plain page' },
      samples: [{ value: 110, extra: { plain_ms: 100 } }, { value: 120, extra: { plain_ms: 100 } }, { value: 100 }], floor: [], error: null,
    });
    expect(r.baseline).toMatchObject({ name: 'plain_ms', of: null, value: 100, samples: [100, 100, Number.NaN] });
    expect(r.ratio).toBeCloseTo(1.1);
    expect(r.met).toBe(true);
    const res: BenchResults = { date: '2025-01-01T00:00:00Z', durationS: 1, quick: false, iterations: 3, only: null, notRun: [], machine, metrics: { page_ms: 110 }, details: { page_ms: r }, notes: [] };
    const md = renderMarkdown(res);
    expect(md).toContain('| `page_ms` | 110.0 ms | 3: 110.0, 120.0, 100.0 (p90 118.0) | plain page = 100.0 ms | 1.10× | ≤ 1.1× plain page | yes |');
    expect(md).toContain('- `plain_ms`: median 100.0 ms (100.0, 100.0)');
    expect(md).toContain('- Baseline (plain page, `plain_ms`) values beside the samples: 100.0 ms, 100.0 ms, n/a.');
  });

  it('marks a failed metric as not met even with good samples', () => {
    const r = metricResult({ name: 'x_s', what: 'w', unit: 's', target: [{ kind: 'max', value: 10 }], baseline: null, samples: [{ value: 1 }], floor: [], error: 'boom' });
    expect(r.met).toBe(false);
    expect(r.error).toBe('boom');
  });

  it('renders misses, failures and quick runs plainly', () => {
    const details = {
      a_s: metricResult({ name: 'a_s', what: 'a', unit: 's', target: [{ kind: 'max', value: 2.5 }, { kind: 'maxRatio', value: 1.2 }], baseline: { of: 'seconds', factor: 1, label: 'floor' }, samples: [{ value: 3 }], floor: [2], error: null }),
      b_s: metricResult({ name: 'b_s', what: 'b', unit: 's', target: [], baseline: 'self', samples: [], floor: [], error: 'no QEMU' }),
    };
    const res: BenchResults = { date: '2025-01-01T00:00:00Z', durationS: 1, quick: true, iterations: 1, only: ['a_s', 'b_s'], notRun: ['c_s'], machine, metrics: { a_s: 3, b_s: null }, details, notes: [] };
    const md = renderMarkdown(res);
    expect(md).toMatch(/Quick run/);
    expect(md).toMatch(/Not run this time: `c_s`/);
    expect(md).toContain('| `a_s` | 3.00 s | 1: 3.00 | floor = 2.00 s | 1.50× | ≤ 2.5 s and ≤ 1.2× floor | **NO, missed**: 3.00 s > 2.5 s; 1.50× floor > 1.2× (1 sample) |');
    expect(md).toContain('**FAILED**: no QEMU');
    expect(md).toMatch(/Missed or failed: `a_s`, `b_s`/);
  });
});

describe('partial runs', () => {
  it('keep the other metrics\' rows of the last report, in the registry\'s order, marked with the date they were measured', () => {
    const row = (name: string, v: number) => metricResult({ name, what: name, unit: 's', target: [], baseline: null, samples: [{ value: v }], floor: [], error: null });
    const previous = { date: '2026-11-20T10:00:00Z', details: { a_s: row('a_s', 1), b_s: { ...row('b_s', 2), carriedFrom: '2026-11-01T09:00:00Z' }, c_s: row('c_s', 3) } };
    const rows = carryOver({ c_s: row('c_s', 4) }, previous, ['a_s', 'b_s', 'c_s', 'd_s']);
    expect(Object.keys(rows)).toEqual(['a_s', 'b_s', 'c_s']);
    expect(rows.a_s?.carriedFrom).toBe('2026-11-20T10:00:00Z');
    expect(rows.b_s?.carriedFrom).toBe('2026-11-01T09:00:00Z');
    expect(rows.c_s?.carriedFrom).toBeUndefined();
    expect(rows.c_s?.samples).toEqual([4]);
    expect(carryOver({ c_s: row('c_s', 4) }, null, ['a_s', 'c_s'])).toEqual({ c_s: rows.c_s });
    const md = renderMarkdown({ date: '2026-11-26T08:00:00Z', durationS: 1, quick: false, iterations: 1, only: ['c_s'], notRun: ['a_s', 'b_s'], machine, metrics: {}, details: rows, notes: [] });
    expect(md).toContain('| `a_s` *(measured 2026-11-20)* | 1.00 s |');
    expect(md).toContain('| `c_s` | 4.00 s |');
  });
});

describe('bench arguments', () => {
  const known = ['a_s', 'b_s', 'c_s'];
  it('reads --quick and --only in either form, keeping the registry order', () => {
    expect(parseBenchArgs(['--quick', '--only', 'c_s,a_s'], known)).toEqual({ quick: true, help: false, only: ['a_s', 'c_s'] });
    expect(parseBenchArgs(['--only=b_s'], known).only).toEqual(['b_s']);
    expect(parseBenchArgs([], known)).toEqual({ quick: false, help: false, only: null });
  });
  it('rejects unknown metrics and arguments', () => {
    expect(() => parseBenchArgs(['--only', 'nope'], known)).toThrow(/unknown metric\(s\): nope/);
    expect(() => parseBenchArgs(['--only'], known)).toThrow(/needs/);
    expect(() => parseBenchArgs(['--fast'], known)).toThrow(/unknown argument/);
  });
});

describe('/proc parsing', () => {
  it('reads utime+stime after a comm with spaces and parentheses', () => {
    const stat = '4242 (qemu (x) 86) S 1 4242 4242 0 -1 4194560 100 0 0 0 123 45 0 0 20 0 3 0 100 1000 200';
    expect(parseStatCpuTicks(stat)).toBe(168);
  });
  it('reads kB fields of status and smaps_rollup', () => {
    expect(parseKbField('Name:\tqemu\nVmRSS:\t  102400 kB\nVmSwap:\t0 kB\n', 'VmRSS')).toBe(102400);
    expect(parseKbField('Rss:  2000 kB\nPss:  1500 kB\nPss_Anon:  10 kB\n', 'Pss')).toBe(1500);
    expect(() => parseKbField('VmSize: 1 kB', 'VmRSS')).toThrow(/no VmRSS/);
  });
  it('turns ticks over a window into % of one core', () => {
    expect(cpuPercentOfOneCore(20, 100, 10)).toBeCloseTo(2);
  });
});
