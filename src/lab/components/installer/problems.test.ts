import { describe, expect, it } from 'vitest';
import { validateUserData } from '../../../../simulator/pure/user-data';
import { clientProblems, lineColumnAt, marksOf, mergeMarks, problemMarks, problemRange, problemText, serverProblems } from './problems';
import { USER_DATA_TEMPLATE } from './user-data-text';

const GOOD = '#cloud-config\nstylus:\n  site:\n    paletteEndpoint: api.palette.lab\n';

describe('problems the page finds at once', () => {
  it('finds nothing in good user data', () => {
    expect(clientProblems(GOOD)).toEqual([]);
  });

  it('wants #cloud-config on the first line', () => {
    const [p] = clientProblems('stylus: {}\n');
    expect(p).toMatchObject({ line: 1, column: 1, severity: 'error' });
    expect(clientProblems('# cloud-config\nstylus: {}\n')[0]?.message).toContain('#cloud-config');
  });

  it('reports YAML syntax errors at the line and column the parser gives, like the server', () => {
    const text = '#cloud-config\nstylus:\n  site:\n\tname: x\n';
    const mine = clientProblems(text).filter((p) => p.severity === 'error');
    const server = validateUserData(text);
    expect(server.ok).toBe(false);
    if (server.ok) return;
    expect(mine.map((p) => [p.line, p.column])).toEqual(server.issues.map((i) => [i.line, i.column]));
    expect(mine[0]?.message).toMatch(/^YAML: /);
    expect(mine[0]?.message).not.toMatch(/at line \d+/);
  });

  it('flags a duplicate key and an unclosed quote', () => {
    expect(clientProblems('#cloud-config\na: 1\na: 2\n').some((p) => p.line === 3 && p.severity === 'error')).toBe(true);
    expect(clientProblems('#cloud-config\na: "open\n').some((p) => p.severity === 'error')).toBe(true);
  });

  it('warns about the placeholders left in the template', () => {
    const ps = clientProblems(USER_DATA_TEMPLATE);
    expect(ps.every((p) => p.severity === 'warning' && p.source === 'placeholder')).toBe(true);
    expect(ps[0]).toMatchObject({ line: 7, column: 22 });
  });
});

describe('server issues in the editor', () => {
  it('keeps the line and column the server reports', () => {
    const [p] = serverProblems([{ path: 'stylus.site.paletteEndpoint', message: 'must be a host name without a scheme', hint: 'write the host name only', line: 4, column: 22 }], 'error');
    expect(p).toMatchObject({ line: 4, column: 22, severity: 'error', source: 'server' });
    expect(problemText(p!)).toBe('stylus.site.paletteEndpoint: must be a host name without a scheme. Fix: write the host name only');
    expect(serverProblems([{ path: '', message: 'm' }], 'warning')[0]).toMatchObject({ line: 1, column: 1, severity: 'warning' });
  });

  it('marks from the column to the end of what is written there', () => {
    const text = '#cloud-config\nstylus:\n  site:\n    paletteEndpoint: https://x   # note\n';
    const r = problemRange(text, 4, 22);
    expect(text.slice(r.from, r.to)).toBe('https://x');
    const key = problemRange(text, 4, 5);
    expect(text.slice(key.from, key.to)).toBe('paletteEndpoint: https://x');
    const comment = problemRange(text, 4, 34);
    expect(text.slice(comment.from, comment.to)).toBe('# note');
    const header = problemRange('# cloud-config\n', 1, 1);
    expect(header).toEqual({ from: 0, to: 14 });
  });

  it('clamps positions outside the text and marks an empty line with an empty range', () => {
    const text = 'a: 1\n\nb: 2';
    expect(problemRange(text, 2, 1)).toEqual({ from: 5, to: 5 });
    expect(problemRange(text, 99, 99)).toEqual({ from: 10, to: 10 });
    expect(problemRange(text, 0, 0)).toEqual({ from: 0, to: 4 });
    const marks = problemMarks(text, serverProblems([{ path: 'b', message: 'no', line: 3, column: 4 }], 'error'));
    expect(marks).toEqual([{ from: 9, to: 10, severity: 'error', message: 'b: no', source: 'server' }]);
  });

  it("lets the server's word stand alone where it reports something, and follows edits", () => {
    const text = USER_DATA_TEMPLATE;
    const server = marksOf(text, serverProblems([{ path: 'stylus.site.name', message: 'contains `<`', line: 11, column: 11 }], 'error'));
    const merged = mergeMarks(text, server, marksOf(text, clientProblems(text)));
    expect(merged.filter((m) => m.problem.line === 11).map((m) => m.problem.source)).toEqual(['server']);
    expect(merged.map((m) => m.problem.line)).toEqual([7, 9, 11, 14, 14, 17]);
    const shifted = '\n\n' + text;
    const moved = mergeMarks(shifted, server.map((m) => ({ ...m, from: m.from + 2, to: m.to + 2 })), []);
    expect(moved[0]!.problem).toMatchObject({ line: 13, column: 11 });
  });

  it('turns an offset back into line and column', () => {
    const text = 'ab\ncd\n';
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt(text, 99)).toEqual({ line: 3, column: 1 });
  });
});
