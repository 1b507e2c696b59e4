import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../client/test-fakes';
import { classKey, forgetClass, keepClass, listKeptClasses, readKeptClass, type ListableStorage } from './class-store';

class ListableMemory extends MemoryStorage implements ListableStorage {
  get length(): number {
    return this.map.size;
  }
  key(i: number): string | null {
    return Array.from(this.map.keys())[i] ?? null;
  }
}

describe('kept classes', () => {
  it('keeps, reads, lists and forgets a class under edge-lab:class:<id>', () => {
    const s = new ListableMemory();
    keepClass(s, { classId: 'cls-b', trainerSecret: 'sb', joinCode: 'JB', name: 'Tuesday' });
    keepClass(s, { classId: 'cls-a', trainerSecret: 'sa', joinCode: null });
    s.setItem('edge-lab:lab:http://x:single-node', '{}');
    expect(classKey('cls-b')).toBe('edge-lab:class:cls-b');
    expect(readKeptClass(s, 'cls-b')).toEqual({ classId: 'cls-b', trainerSecret: 'sb', joinCode: 'JB', name: 'Tuesday' });
    expect(listKeptClasses(s).map((c) => c.classId)).toEqual(['cls-a', 'cls-b']);
    forgetClass(s, 'cls-a');
    expect(readKeptClass(s, 'cls-a')).toBeNull();
  });
  it('does not lose a known join code to a trainer link without one', () => {
    const s = new ListableMemory();
    keepClass(s, { classId: 'c', trainerSecret: 'old', joinCode: 'J', name: 'Mon' });
    expect(keepClass(s, { classId: 'c', trainerSecret: 'new', joinCode: null })).toEqual({ classId: 'c', trainerSecret: 'new', joinCode: 'J', name: 'Mon' });
  });
  it('reads a broken or foreign entry as nothing kept', () => {
    const s = new ListableMemory();
    s.setItem('edge-lab:class:c', 'not json');
    s.setItem('edge-lab:class:d', JSON.stringify({ classId: 'other', trainerSecret: 'x' }));
    expect(readKeptClass(s, 'c')).toBeNull();
    expect(readKeptClass(s, 'd')).toBeNull();
    expect(readKeptClass(null, 'c')).toBeNull();
    expect(listKeptClasses(s)).toEqual([]);
  });
});
