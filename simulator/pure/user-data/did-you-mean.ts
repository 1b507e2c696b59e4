// "Did you mean …?" suggestions for misspelled keys and enum values.

/** Levenshtein distance (insert, delete, substitute; each costs 1). Case-sensitive. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `input`, compared case-insensitively, or undefined when none is close.
 * Close means: distance ≤ 2, or ≤ a third of the input's length; and always less than the
 * input's length (so a 2-letter typo never "matches" an unrelated 2-letter key).
 * Ties go to the earliest candidate.
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(needle, candidate.toLowerCase());
    if (d <= limit && d < needle.length && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
