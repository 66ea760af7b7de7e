/**
 * Edit distance: the fewest one-character insertions, deletions, substitutions
 * and swaps of two neighbours from a to b (optimal string alignment). Swaps
 * count as one because `quite` for `quiet` is one slip of the fingers.
 */
export function editDistance(a: string, b: string): number {
  // d[i][j] is the distance from a[0, i) to b[0, j).
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate nearest to `word`, if it is near enough to be what was meant:
 * at most a third of the word's letters wrong (at least one), so `per_host`
 * finds `per-host` and `concurency` finds `concurrency`, while a word that
 * matches nothing gets no suggestion rather than a random one. Letter case
 * counts for nothing (`maxbytes` finds `maxBytes`); ties go to the first
 * candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
