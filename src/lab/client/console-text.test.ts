import { describe, expect, it } from 'vitest';
import type { ConsoleSnapshot } from './console-buffer';
import { outputSince, plainConsoleText } from './console-text';

const snap = (text: string, endOffset: number): ConsoleSnapshot => ({ hostId: 'h', bytes: new TextEncoder().encode(text), endOffset, gaps: [], trimmedBytes: 0 });

describe('clickable command output', () => {
  it('drops colours, cursor moves and carriage returns', () => {
    expect(plainConsoleText('\u001b[1;32mReady\u001b[0m\r\nnext\r')).toBe('Ready\nnext');
  });
  it('shows only what came after the command was typed', () => {
    // 10 bytes before the click (offset 110), 6 after.
    expect(outputSince(snap('0123456789ok\r\n$ ', 116), 110)).toBe('ok\n$ ');
    expect(outputSince(snap('abc', 50), 50)).toBe('');
  });
  it('shows everything the buffer holds when it was trimmed past the click', () => {
    expect(outputSince(snap('tail', 1000), 10)).toBe('tail');
  });
});
