/**
 * Deterministic JSON: object keys sorted, no whitespace, `undefined` properties left out (as
 * JSON.stringify does). Two results are the same result exactly when their canonical JSON is
 * the same string, whatever order their properties were created in, so a recount can be checked
 * byte-for-byte against the stored result.
 */
export function canonicalResultJson(value: unknown): string {
  return JSON.stringify(withSortedKeys(value));
}

export function resultsEqual(a: unknown, b: unknown): boolean {
  return canonicalResultJson(a) === canonicalResultJson(b);
}

function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = withSortedKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}
