import { describe, expect, it } from 'vitest';
import { ConsoleBuffer, consoleText } from './console-buffer';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('ConsoleBuffer', () => {
  it('starts at the first chunk\'s offset without calling it a gap', () => {
    const b = new ConsoleBuffer('h');
    b.append(5000, bytes('abc'));
    expect(b.getSnapshot()).toMatchObject({ endOffset: 5003, gaps: [], trimmedBytes: 0 });
  });

  it('drops repeated bytes, keeps the new tail of an overlapping chunk and notes gaps', () => {
    const b = new ConsoleBuffer('h');
    expect(consoleText({ ...b.getSnapshot() })).toBe('');
    b.append(0, bytes('hello'));
    expect(b.append(0, bytes('hel'))).toHaveLength(0);
    expect(new TextDecoder().decode(b.append(3, bytes('lo world')))).toBe(' world');
    b.append(15, bytes('!'));
    expect(consoleText(b.getSnapshot())).toBe('hello world!');
    expect(b.getSnapshot()).toMatchObject({ endOffset: 16, gaps: [{ offset: 11, missing: 4 }] });
  });

  it('keeps only the last maxBytes', () => {
    const b = new ConsoleBuffer('h', 8);
    b.append(0, bytes('0123456'));
    b.append(7, bytes('789ab'));
    expect(consoleText(b.getSnapshot())).toBe('456789ab');
    expect(b.getSnapshot()).toMatchObject({ endOffset: 12, trimmedBytes: 4 });
  });
});
