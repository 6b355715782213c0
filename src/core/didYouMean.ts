// "Did you mean …?": the known name nearest to a mistyped one, for every message about a name the user wrote (config
// keys and values, data columns, model files). At the core's root because both data/ and config/ use it.

/** Longer names get no suggestion: nobody mistypes a 200-character name, and the work is quadratic in length. */
export const MAX_SUGGESTION_LENGTH = 64;
/** At most this many candidates are compared (a file with a million columns still answers at once). */
export const MAX_SUGGESTION_CANDIDATES = 10_000;

/**
 * The candidate closest to `word` by edit distance, when it is close enough to be a plausible typo. Bounded work
 * whatever the input: names past MAX_SUGGESTION_LENGTH get no suggestion, at most MAX_SUGGESTION_CANDIDATES are
 * compared, and a candidate whose length differs by more than the allowed distance is skipped untouched.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > MAX_SUGGESTION_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  const allowed = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  const count = Math.min(candidates.length, MAX_SUGGESTION_CANDIDATES);
  for (let c = 0; c < count; c++) {
    const candidate = candidates[c];
    if (typeof candidate !== 'string' || Math.abs(candidate.length - word.length) > allowed) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= allowed ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment) distance: a swap of neighbours counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) table[i * cols] = i;
  for (let j = 0; j < cols; j++) table[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(table[(i - 1) * cols + j] + 1, table[i * cols + j - 1] + 1, table[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, table[(i - 2) * cols + j - 2] + 1);
      table[i * cols + j] = v;
    }
  }
  return table[rows * cols - 1];
}
