import { describe, expect, it } from 'vitest';
import { newValues, offsetsOf, replaceEverywhere, tokenValues } from './token-rotation';

describe('token rotation', () => {
  it('finds every occurrence of a value, including back to back', () => {
    expect(offsetsOf(Buffer.from('xxABCyyABCABC'), Buffer.from('ABC'))).toEqual([2, 7, 10]);
    expect(offsetsOf(Buffer.from('nothing here'), Buffer.from('ABC'))).toEqual([]);
  });

  it('gives each old value a fresh one of the same length, different every time', () => {
    const old = 'Q'.repeat(32);
    const a = newValues([old]).get(old)!;
    const b = newValues([old]).get(old)!;
    expect(a).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('replaces a value wherever a document names it, and reads token values from the image documents', () => {
    const docs = [
      { kind: 'token', id: 't', doc: { name: 't', value: 'OLDVALUE' } },
      { kind: 'installer', id: 'installer-1', doc: { userData: 'edgeHostToken: OLDVALUE\n', id: 'installer-1' } },
    ];
    expect(tokenValues(docs)).toEqual(['OLDVALUE']);
    const swapped = replaceEverywhere(docs, new Map([['OLDVALUE', 'NEWVALUE'], ['installer-1', 'installer-2']]));
    expect(swapped).toEqual([
      { kind: 'token', id: 't', doc: { name: 't', value: 'NEWVALUE' } },
      { kind: 'installer', id: 'installer-2', doc: { userData: 'edgeHostToken: NEWVALUE\n', id: 'installer-2' } },
    ]);
    expect(replaceEverywhere('a OLDVALUE b', new Map([['OLDVALUE', 'X']]))).toBe('a X b');
  });
});
