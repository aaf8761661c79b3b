/**
 * The known names closest to `wanted`, for "did you mean" in findings: by edit distance, at
 * most `limit`, only those within a third of the name's length (at least 1 edit), and the
 * names that share its first dot-separated part (`c3.` for `c3.huge.x86`) after them. Pure.
 */
export function findCloseMatches(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const w = wanted.toLowerCase();
  const family = w.split(/[._-]/)[0] ?? '';
  const max = Math.max(1, Math.floor(w.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const d = editDistance(w, name.toLowerCase());
    if (d <= max) scored.push({ name, score: d });
    else if (family && name.toLowerCase().split(/[._-]/)[0] === family) scored.push({ name, score: max + d });
  }
  return scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).slice(0, limit).map((s) => s.name);
}

/** `; close matches: "a", "b"` or `` when there are none. */
export function formatCloseMatches(matches: readonly string[]): string {
  return matches.length ? `; close matches: ${matches.map((m) => JSON.stringify(m)).join(', ')}` : '';
}

/** Levenshtein distance with one row of memory. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
