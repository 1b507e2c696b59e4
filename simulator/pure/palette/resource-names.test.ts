import { describe, expect, it } from 'vitest';
import { checkDisplayName, checkHostId, checkTags } from './resource-names';

describe('checkDisplayName', () => {
  it.each(['Default', 'Retail-East', 'store_42', 'a'])('accepts %s', (name) => {
    expect(checkDisplayName(name, 'name', 'project')).toEqual([]);
  });

  it.each<[string, RegExp, RegExp]>([
    ['', /has no name/, /Retail-East/],
    [' ', /has no name/, /give it a name/],
    ['Retail East', /contains a space/, /`Retail-East`/],
    ['1st', /does not start with a letter/, /`st`/],
    ['east-', /ends with/, /`east`/],
    ['x'.repeat(64), /64 characters long; the limit is 63/, /shorten it/],
  ])('refuses %j', (name, message, hint) => {
    const [issue, ...rest] = checkDisplayName(name, 'name', 'project');
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ path: 'name', code: 'name-invalid', severity: 'error' });
    expect(issue?.message).toMatch(message);
    expect(issue?.hint).toMatch(hint);
  });
});

describe('checkHostId', () => {
  it('accepts an agent-style ID', () => {
    expect(checkHostId('edge-6b1f0c2e8d4a', 'hostIds[0]')).toEqual([]);
  });

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['edge 1', /whitespace/],
    ['edge.1', /`\.`/],
    ['e'.repeat(129), /129 characters long/],
  ])('refuses %j', (id, message) => {
    expect(checkHostId(id, 'hostIds[2]')).toEqual([expect.objectContaining({ path: 'hostIds[2]', code: 'host-id-invalid', message: expect.stringMatching(message) })]);
  });
});

describe('checkTags', () => {
  it('accepts keys and values of the agent form', () => {
    expect(checkTags({ region: 'east', formula: 'a=b' }, 'tags')).toEqual([]);
  });

  it('puts each bad tag on its own path', () => {
    expect(checkTags({ '': 'x', 'a b': 'y', ok: 'c,d' }, 'tags').map((i) => i.path)).toEqual(['tags.', 'tags.a b', 'tags.ok']);
  });
});
