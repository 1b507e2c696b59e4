/**
 * How much room a line of text takes in the pictures, estimated without a DOM so the
 * graph builders stay pure and give the same sizes in a test as in a browser. The SVG
 * draws names in the monospace font (about 0.6 em a character) and words in the page's
 * sans-serif font (narrower on average); the estimates allow a little more, so a label
 * never overflows the box ELK made for it.
 */
export const FONT_PX = 12;
export const SMALL_FONT_PX = 11;
export const LINE_PX = 15;

export function textWidth(text: string, px: number = FONT_PX): number {
  return Math.ceil(text.length * px * 0.64);
}

/** Words in the sans-serif font (bold included). */
export function wordsWidth(text: string, px: number = SMALL_FONT_PX): number {
  return Math.ceil(text.length * px * 0.58);
}

/** The widest of several lines. */
export function linesWidth(lines: readonly string[], px: number = FONT_PX): number {
  return lines.reduce((w, l) => Math.max(w, textWidth(l, px)), 0);
}
