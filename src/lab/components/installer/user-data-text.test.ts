import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateUserData } from '../../../../simulator/pure/user-data';
import { singleNode } from '../../../../simulator/pure/scenarios/single-node';
import { commentStart, findPlaceholders, minimalChange, putToken, USER_DATA_TEMPLATE } from './user-data-text';

const TOKEN = '-Ab_9xYz0123456789abcdefghijklmn';

describe('the user-data template', () => {
  it('has the structure the guide needs, with placeholders and no real values', () => {
    const data = parse(USER_DATA_TEMPLATE) as { stylus: { site: Record<string, unknown> }; install: Record<string, unknown> };
    expect(USER_DATA_TEMPLATE.split('\n')[0]).toBe('#cloud-config');
    expect(Object.keys(data.stylus.site)).toEqual(['paletteEndpoint', 'edgeHostToken', 'name', 'tags']);
    expect(Object.keys(data.install)).toEqual(['poweroff']);
    expect(USER_DATA_TEMPLATE).not.toContain('api.palette.lab');
    expect(findPlaceholders(USER_DATA_TEMPLATE).map((p) => p.text)).toEqual([
      '<palette-endpoint>', '<registration-token>', '<edge-host-id>', '<tag-key>', '<tag-value>', '<true-or-false>',
    ]);
  });

  it('is refused by the installer builder until the reader fills it in', () => {
    const r = validateUserData(USER_DATA_TEMPLATE);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['stylus.site.paletteEndpoint', 'stylus.site.name', 'install.poweroff']));
  });

  it('finds placeholders only outside comments and quotes the column', () => {
    expect(findPlaceholders('# <not this>\n  name: <host> # <nor this>\n')).toEqual([{ line: 2, column: 9, text: '<host>' }]);
    expect(commentStart('a: "x # y" # z')).toBe(11);
    expect(commentStart("a: it's#fine")).toBe(-1);
    expect(commentStart('# all')).toBe(0);
  });
});

describe('Insert token', () => {
  it('replaces the value on the edgeHostToken line, keeping indentation and a trailing comment', () => {
    const r = putToken(USER_DATA_TEMPLATE, TOKEN);
    const lines = r.text.split('\n');
    expect(lines[r.line - 1]).toBe(`    edgeHostToken: "${TOKEN}"`);
    expect(lines).toHaveLength(USER_DATA_TEMPLATE.split('\n').length);
    expect((parse(r.text) as { stylus: { site: { edgeHostToken: string } } }).stylus.site.edgeHostToken).toBe(TOKEN);
    expect(putToken('  edgeHostToken: old # from Palette\n', 'new').text).toBe('  edgeHostToken: "new" # from Palette\n');
    expect(putToken('    edgeHostToken:\n', 'new')).toEqual({ text: '    edgeHostToken: "new"\n', line: 1 });
  });

  it('adds the line under site:, under stylus:, or at the end when it is missing', () => {
    expect(putToken('#cloud-config\nstylus:\n    site:\n        name: h\n', 't')).toEqual({
      text: '#cloud-config\nstylus:\n    site:\n        edgeHostToken: "t"\n        name: h\n', line: 4,
    });
    expect(putToken('#cloud-config\nstylus:\n  site:\ninstall: {}\n', 't').text).toBe('#cloud-config\nstylus:\n  site:\n    edgeHostToken: "t"\ninstall: {}\n');
    expect(putToken('#cloud-config\nstylus:\n  debug: true\n', 't')).toEqual({
      text: '#cloud-config\nstylus:\n  site:\n    edgeHostToken: "t"\n  debug: true\n', line: 4,
    });
    const appended = putToken('#cloud-config\ninstall:\n  poweroff: true', 't');
    expect(appended).toEqual({ text: '#cloud-config\ninstall:\n  poweroff: true\nstylus:\n  site:\n    edgeHostToken: "t"\n', line: 6 });
    expect(appended.text.split('\n')[appended.line - 1]).toBe('    edgeHostToken: "t"');
  });

  it("gives the single-node scenario's user data once the reader's values are in", () => {
    const filled = USER_DATA_TEMPLATE
      .replace('<palette-endpoint>', 'api.palette.lab')
      .replace('<edge-host-id>', 'edge-host-1')
      .replace('<tag-key>: <tag-value>', 'site: lab')
      .replace('<true-or-false>', 'true');
    const { text } = putToken(filled, TOKEN);
    expect(parse(text)).toEqual(parse(singleNode.userData({ token: TOKEN, endpoint: 'api.palette.lab', host: singleNode.hosts[0]! })));
    expect(validateUserData(text).ok).toBe(true);
    expect(findPlaceholders(text)).toEqual([]);
  });
});

describe('minimal change', () => {
  it('replaces only what differs', () => {
    expect(minimalChange('abcdef', 'abXYef')).toEqual({ from: 2, to: 4, insert: 'XY' });
    expect(minimalChange('aaa', 'aaaa')).toEqual({ from: 3, to: 3, insert: 'a' });
    expect(minimalChange('abc', 'abc')).toEqual({ from: 3, to: 3, insert: '' });
    expect(minimalChange('', 'x')).toEqual({ from: 0, to: 0, insert: 'x' });
    expect(minimalChange('xyz', '')).toEqual({ from: 0, to: 3, insert: '' });
    for (const [a, b] of [['token: a', 'token: "abc"'], ['aXa', 'aYYa'], ['abab', 'ab']] as const) {
      const c = minimalChange(a, b);
      expect(a.slice(0, c.from) + c.insert + a.slice(c.to)).toBe(b);
    }
  });
});
