/**
 * A copy of `s` that does not keep the page it came from alive.
 *
 * V8 makes substrings of 13 characters or more as "sliced strings" that point
 * into their parent (https://bugs.chromium.org/p/v8/issues/detail?id=2869), so
 * every href, title or attribute value the parser hands out holds the whole
 * decoded page (~60 KB for a 30 KB UTF-8 page with any non-Latin-1 text). Once
 * one of them is reachable from an old-generation object (a pretenured array,
 * a record waiting to be written), every scavenge keeps the page and finally
 * promotes it: that was most of scrape's peak RSS in the bench (W1: 275 MB,
 * with ~180 MB of page text promoted and left for the next full GC).
 *
 * `' ' + s` is a rope; slicing it flattens the rope into a fresh string of
 * s.length + 1 characters, and only that is pinned. Short strings are already
 * copies.
 */
export function ownString(s: string): string {
  // biome-ignore lint/style/useTemplate: the concatenation is the point: it makes the rope that slice() flattens.
  return s.length < 13 ? s : (' ' + s).slice(1);
}
