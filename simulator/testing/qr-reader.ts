// Reads back a QR code drawn on a console by the guest's qr.awk, with an independent QR reader
// (jsQR), for tests: the drawing → modules → an RGBA picture → the text it holds.
import jsQR from 'jsqr';

/**
 * Rows of modules (true = dark) from console lines of qr.awk's drawing (each after a 2-space
 * indent): light is drawn, dark is a gap. Half blocks carry two module rows a line; with
 * `ascii`, `##` and two spaces carry one module each.
 */
export function qrModules(lines: readonly string[], ascii = false): boolean[][] {
  const body = lines.filter((l) => l.length > 0).map((l) => l.slice(2));
  if (ascii) return body.map((l) => Array.from({ length: l.length / 2 }, (_, i) => l.slice(2 * i, 2 * i + 2) === '  '));
  const rows: boolean[][] = [];
  for (const l of body) {
    const chars = Array.from(l);
    rows.push(chars.map((c) => c === ' ' || c === '▄'), chars.map((c) => c === ' ' || c === '▀'));
  }
  return rows;
}

/** The text of the code in `rows`, or null when jsQR finds none (`scale` pixels a module). */
export function readQr(rows: readonly (readonly boolean[])[], scale = 4): string | null {
  const margin = 4;
  const w = ((rows[0]?.length ?? 0) + 2 * margin) * scale;
  const h = (rows.length + 2 * margin) * scale;
  const px = new Uint8ClampedArray(w * h * 4).fill(255);
  rows.forEach((row, y) => row.forEach((dark, x) => {
    if (!dark) return;
    for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
      const at = (((y + margin) * scale + dy) * w + (x + margin) * scale + dx) * 4;
      px[at] = px[at + 1] = px[at + 2] = 0;
    }
  }));
  return jsQR(px, w, h, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/**
 * The QR code the agent printed on a console (the lines between "Scan to register" and the
 * address under the code), read back; null when there is none. A machine event line that
 * another process printed into the drawing (the console is shared, and awk writes the drawing
 * in more than one piece, so the line can land inside a row) is not part of it.
 */
export function qrOnConsole(text: string): string | null {
  const lines = text.replace(/EDGE-EVENT [^\n]*\n/g, '').split(/\r?\n/);
  const start = lines.findIndex((l) => l.includes('Scan to register this host'));
  if (start < 0) return null;
  const drawing: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!/^ {2}[ █▀▄]+$/.test(l)) break;
    drawing.push(l);
  }
  return drawing.length > 0 ? readQr(qrModules(drawing)) : null;
}
