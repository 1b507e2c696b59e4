import { describe, it, expect } from 'vitest';
import { deriveHostId, findForbiddenHostIdChar, FORBIDDEN_HOST_ID_CHARS, HOST_ID_MAX_LENGTH } from './host-id';

const random = () => 'r4nd0m';
const UUID = '4C4C4544-0042-3510-8052-B7C04F4E3332';

describe('deriveHostId', () => {
  it('uses name as is when set, ignoring device UID and prefix', () => {
    expect(deriveHostId({ name: 'Store_42', prefix: 'shop', deviceUid: UUID, random })).toEqual({ id: 'Store_42', source: 'name' });
  });

  it('derives <prefix>-<uid> from the device UID, lowercased, dashes removed', () => {
    expect(deriveHostId({ deviceUid: UUID, random })).toEqual({
      id: 'edge-4c4c4544004235108052b7c04f4e3332',
      source: 'device-uid',
    });
  });

  it('matches the guest agent rule edge-$(tr -d - | tr A-Z a-z), trailing newline included', () => {
    expect(deriveHostId({ deviceUid: `${UUID}\n`, random }).id).toBe(`edge-${UUID.replace(/-/g, '').toLowerCase()}`);
  });

  it('removes whitespace inside the device UID', () => {
    expect(deriveHostId({ deviceUid: ' AB CD\t-EF ', random }).id).toBe('edge-abcdef');
  });

  it('uses the given prefix for device-uid and random IDs', () => {
    expect(deriveHostId({ prefix: 'shop', deviceUid: 'AB-CD', random }).id).toBe('shop-abcd');
    expect(deriveHostId({ prefix: 'shop', random })).toEqual({ id: 'shop-r4nd0m', source: 'random' });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['only dashes and whitespace', ' - -\n'],
  ])('falls back to <prefix>-<random()> when the device UID is %s', (_label, deviceUid) => {
    expect(deriveHostId({ deviceUid, random })).toEqual({ id: 'edge-r4nd0m', source: 'random' });
  });

  it('treats an empty name and an empty prefix as unset', () => {
    expect(deriveHostId({ name: '', prefix: '', deviceUid: 'X', random })).toEqual({ id: 'edge-x', source: 'device-uid' });
  });

  it('calls random() only in the random branch', () => {
    let calls = 0;
    const counting = () => { calls += 1; return 'z'; };
    deriveHostId({ name: 'n', random: counting });
    deriveHostId({ deviceUid: 'u', random: counting });
    expect(calls).toBe(0);
  });

  it.each([
    ['name', { name: 'n'.repeat(200) }],
    ['device-uid', { prefix: 'p'.repeat(100), deviceUid: 'A'.repeat(100) }],
    ['random', { random: () => 'x'.repeat(300) }],
  ] as const)('caps the %s branch at 128 characters', (source, extra) => {
    const r = deriveHostId({ random, ...extra });
    expect(r.source).toBe(source);
    expect(r.id).toHaveLength(HOST_ID_MAX_LENGTH);
  });
});

describe('findForbiddenHostIdChar', () => {
  it('returns undefined for a clean ID', () => {
    expect(findForbiddenHostIdChar('edge-store_0042-Node1')).toBeUndefined();
  });

  it.each(FORBIDDEN_HOST_ID_CHARS.map((c) => [c]))('finds %s', (c) => {
    expect(findForbiddenHostIdChar(`edge${c}1`)).toBe(c);
  });

  it('finds whitespace and reports the first offender', () => {
    expect(findForbiddenHostIdChar('a b')).toBe(' ');
    expect(findForbiddenHostIdChar('a\tb')).toBe('\t');
    expect(findForbiddenHostIdChar('a.b/c')).toBe('.');
  });

  it('lists exactly the 26 characters from the docs', () => {
    expect(FORBIDDEN_HOST_ID_CHARS.join('')).toBe(`/?#&+%,$~!@*(){}|=;:<>'.^"`);
  });
});
