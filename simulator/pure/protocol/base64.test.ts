import { describe, expect, it } from 'vitest';
import { base64ByteLength, base64ToBytes, base64ToText, bytesToBase64, isBase64, textToBase64 } from './base64';

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('base64 helpers', () => {
  it.each([
    ['empty', new Uint8Array()],
    ['one byte', Uint8Array.of(0xff)],
    ['two bytes', Uint8Array.of(0, 1)],
    ['every byte value', allBytes],
    ['more than one chunk', Uint8Array.from({ length: 100_003 }, (_, i) => (i * 31) & 0xff)],
  ])('round-trips %s and agrees with Node Buffer', (_name, bytes) => {
    const b64 = bytesToBase64(bytes);
    expect(b64).toBe(Buffer.from(bytes).toString('base64'));
    expect(Buffer.from(base64ToBytes(b64)).equals(Buffer.from(bytes))).toBe(true);
    expect(base64ByteLength(b64)).toBe(bytes.length);
  });

  it.each([
    ['ASCII with a newline', 'kubectl get nodes\r\n'],
    ['ANSI escapes', '\x1b[1;32mOK\x1b[0m'],
    ['multi-byte UTF-8', 'Größe — 節點 🚀'],
  ])('round-trips text: %s', (_name, text) => {
    expect(base64ToText(textToBase64(text))).toBe(text);
    expect(textToBase64(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
  });

  it.each([
    ['', true],
    ['AA==', true],
    ['AAA=', true],
    ['AAAA', true],
    ['+/+/', true],
    ['A', false],
    ['AA', false],
    ['AA=', false],
    ['A===', false],
    ['AA==AA==', false],
    ['AA AA', false],
    ['-_-_', false],
    ['AAAA\n', false],
  ])('isBase64(%j) is %s', (s, expected) => {
    expect(isBase64(s)).toBe(expected);
  });

  it('refuses to decode non-canonical input with a [protocol] error', () => {
    expect(() => base64ToBytes('AA')).toThrow(/^\[protocol\] not base64/);
  });

  it('decodes invalid UTF-8 to replacement characters instead of throwing', () => {
    expect(base64ToText(bytesToBase64(Uint8Array.of(0x61, 0xff, 0x62)))).toBe('a\ufffdb');
  });
});
