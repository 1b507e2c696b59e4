/**
 * A console as plain text (terminal escapes removed, CR-LF folded), and what it
 * printed since a stream offset: what clickable commands and Show me's `run` read.
 */
import type { ConsoleSnapshot } from './console-buffer';

// CSI sequences (colours, cursor moves), OSC titles, and single-character escapes.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;

export function plainConsoleText(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r+\n/g, '\n').replace(/\r/g, '');
}

/** The text of `snapshot` after stream offset `from`; empty when nothing came yet. */
export function outputSince(snapshot: ConsoleSnapshot, from: number): string {
  const missing = snapshot.endOffset - from;
  if (missing <= 0) return '';
  const bytes = snapshot.bytes.subarray(Math.max(0, snapshot.bytes.length - missing));
  return plainConsoleText(new TextDecoder().decode(bytes));
}
