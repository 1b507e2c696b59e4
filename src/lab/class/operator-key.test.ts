import { describe, expect, it } from 'vitest';
import { keepOperatorKey, OPERATOR_KEY, readOperatorKey } from './operator-key';

function memory(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() { return data.size; },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
  };
}

describe('the operator key in the tab', () => {
  it('keeps the trimmed key, forgets it when emptied, and reads nothing when storage fails', () => {
    const s = memory();
    expect(readOperatorKey(s)).toBe('');
    keepOperatorKey(s, '  k3y-of-the-operator \n');
    expect(s.data.get(OPERATOR_KEY)).toBe('k3y-of-the-operator');
    expect(readOperatorKey(s)).toBe('k3y-of-the-operator');
    keepOperatorKey(s, ' ');
    expect(s.data.has(OPERATOR_KEY)).toBe(false);
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => {} };
    expect(readOperatorKey(broken)).toBe('');
    expect(() => keepOperatorKey(broken, 'x')).not.toThrow();
  });
});
