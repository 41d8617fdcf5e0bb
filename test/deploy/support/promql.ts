/**
 * Metric and label names a PromQL expression uses: enough of PromQL to cross-check alert and
 * dashboard queries against what the services export (not a full parser).
 */
const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

export function metricNames(expression: string): Set<string> {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // grouping label lists
  const names = new Set<string>();
  for (const match of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    const [, name, call] = match;
    if (!name || call || keywords.has(name)) continue;
    if (/^\d/.test(name)) continue;
    names.add(name);
  }
  return names;
}

/** Label names used in matchers and in by/without/on/ignoring lists. */
export function labelNames(expression: string): Set<string> {
  const names = new Set<string>();
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [, matchers] of withoutStrings.matchAll(/\{([^}]*)\}/g)) {
    for (const [, name] of (matchers ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g))
      if (name) names.add(name);
  }
  for (const [, list] of withoutStrings.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)) {
    for (const name of (list ?? '').split(',').map((part) => part.trim()))
      if (name) names.add(name);
  }
  return names;
}

/** Metric names a /metrics page declares, with the series names histograms and summaries add. */
export function exportedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (!name) continue;
    names.add(name);
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** Label names on the samples of a /metrics page. */
export function exportedLabelNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, labels] of exposition.matchAll(/^[a-zA-Z_:][a-zA-Z0-9_:]*\{([^}]*)\}/gm)) {
    for (const [, name] of (labels ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g))
      if (name) names.add(name);
  }
  return names;
}

/** Each vector selector of an expression: its metric name and its equality or regex matchers. */
export function vectorSelectors(
  expression: string,
): { name: string; matchers: Record<string, string> }[] {
  const stripped = expression
    .replace(/\[[^\]]*\]/g, ' ') // range selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const selectors: { name: string; matchers: Record<string, string> }[] = [];
  for (const match of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\{([^}]*)\})?(\s*\()?/g)) {
    const [, name, , body, call] = match;
    if (!name || call || keywords.has(name)) continue;
    const matchers: Record<string, string> = {};
    for (const [, label, operator, value] of (body ?? '').matchAll(
      /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g,
    ))
      if (label && (operator === '=' || operator === '=~')) matchers[label] = value ?? '';
    selectors.push({ name, matchers });
  }
  return selectors;
}
