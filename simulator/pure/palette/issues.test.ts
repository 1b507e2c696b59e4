import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as palette from './index';
import { error, formatPath, hasErrors, oneOf, parseWith, warning } from './issues';

describe('issues', () => {
  it.each<[(string | number)[], string]>([
    [[], ''], [['name'], 'name'], [['layers', 0, 'values', 'system.uri'], 'layers[0].values.system.uri'], [[2, 'a'], '[2].a'],
  ])('formatPath(%j) is %j', (segments, path) => expect(formatPath(segments)).toBe(path));

  it('joins choices in prose', () => {
    expect([oneOf([]), oneOf(['a']), oneOf(['a', 'b']), oneOf(['a', 'b', 'c'])]).toEqual(['', '`a`', '`a` or `b`', '`a`, `b` or `c`']);
  });

  it('builds errors and warnings, leaving out an empty hint', () => {
    expect(error('p', 'c', 'm')).toEqual({ path: 'p', code: 'c', message: 'm', severity: 'error' });
    expect(warning('p', 'c', 'm', 'h')).toEqual({ path: 'p', code: 'c', message: 'm', hint: 'h', severity: 'warning' });
    expect(hasErrors([warning('p', 'c', 'm')])).toBe(false);
  });

  it('parseWith: shape issues first, then rules; warnings do not fail', () => {
    const schema = z.object({ n: z.number(), kind: z.enum(['a', 'b']) });
    const rules = (v: { n: number }) => (v.n > 1 ? [error('n', 'too-big', 'is too big', 'use 1')] : [warning('n', 'small', 'is small', 'fine')]);
    expect(parseWith(schema, { kind: 'c' }, rules)).toEqual({ ok: false, issues: [
      { path: 'n', code: 'invalid-field', message: 'is required', hint: 'add `n`', severity: 'error' },
      { path: 'kind', code: 'invalid-field', message: 'must be `a` or `b`', hint: 'set `kind` to `a` or `b`', severity: 'error' },
    ] });
    expect(parseWith(schema, { n: 2, kind: 'a' }, rules)).toMatchObject({ ok: false, issues: [{ code: 'too-big' }] });
    expect(parseWith(schema, { n: 1, kind: 'a' }, rules)).toMatchObject({ ok: true, value: { n: 1 }, warnings: [{ code: 'small' }] });
  });

  it('index re-exports the public API', () => {
    for (const name of ['validateProfile', 'parseProfile', 'decideRegistration', 'validateCluster', 'parseCluster', 'PROVIDER_IMAGES', 'PACKS', 'clusterStatuses', 'hostStatuses', 'healthStatuses']) {
      expect(palette, name).toHaveProperty(name);
    }
  });
});
