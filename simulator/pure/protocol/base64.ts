// Base64 for console bytes on the wire, identical in the browser and in Node: built on the
// globals both have (btoa, atob, TextEncoder, TextDecoder) and never on Buffer or node:*.
// btoa/atob speak "binary strings" (one char per byte), so bytes go through that form in chunks;
// spreading a whole large array into String.fromCharCode would overflow the call stack.

/** Canonical, padded base64 (RFC 4648 §4): what `bytesToBase64` produces and the wire accepts. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes per String.fromCharCode call: well under every engine's argument limit. */
const CHUNK = 0x8000;

/** True when `s` is canonical padded base64 (the empty string included). */
export function isBase64(s: string): boolean {
  return BASE64.test(s);
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Decodes canonical base64; throws a `[protocol]` error on anything else (check with isBase64 first). */
export function base64ToBytes(b64: string): Uint8Array {
  if (!isBase64(b64)) {
    throw new Error(`[protocol] not base64: expected A-Z a-z 0-9 + / padded with = to a multiple of 4 characters (got ${b64.length} characters)`);
  }
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** UTF-8 text to base64, e.g. a line typed into a console. */
export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/**
 * Base64 to UTF-8 text. Invalid sequences become U+FFFD. For a console stream cut into chunks,
 * decode with one streaming TextDecoder instead, so a character split across chunks survives.
 */
export function base64ToText(b64: string): string {
  return new TextDecoder().decode(base64ToBytes(b64));
}

/** How many bytes `b64` (canonical) decodes to, without decoding it. */
export function base64ByteLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}
