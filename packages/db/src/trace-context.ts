import {
  type Context,
  context,
  createContextKey,
  isSpanContextValid,
  type Link,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/**
 * The trace context that travels with a ballot across the asynchronous hop (docs/observability.md):
 * the W3C `traceparent` of the request that cast it, stored with its pending change
 * (`ballot_changes.traceparent`, migration 0010), carried by the worker's NOTIFY, and made a span
 * link by the worker's aggregation span and the result's stream-event span. Only sampled requests
 * write one, so an untraced vote stores, sends and costs nothing more.
 */

/**
 * At most this many links per span, and traceparents per NOTIFY: the SDK's own default link
 * limit (OTEL_SPAN_LINK_COUNT_LIMIT, 128), and a notification of `<round id>` plus 128
 * traceparents is 36 + 128 × 56 = 7,204 bytes, under PostgreSQL's 8,000-byte payload limit. A
 * drain of thousands of changes keeps the first 128 (oldest first) and counts the rest.
 */
export const MAX_TRACE_LINKS = 128;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The `traceparent` of a span context: `00-<trace id>-<span id>-<flags>`. */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** A stored `traceparent` read back as a span context, or undefined if it is not one. */
export function parseTraceparent(value: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1] as string,
    spanId: match[2] as string,
    traceFlags: Number.parseInt(match[3] as string, 16),
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** The sampled span of `ctx`, if there is one (a request traced and sampled). */
export function sampledSpanContext(ctx: Context = context.active()): SpanContext | undefined {
  const span = trace.getSpan(ctx);
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  return (spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 && isSpanContextValid(spanContext)
    ? spanContext
    : undefined;
}

/**
 * The `traceparent` to store with a ballot cast in `ctx`: the active span's, only when it is
 * sampled. With tracing off there is no span (the API's no-op context) and this is undefined.
 */
export function sampledTraceparent(ctx: Context = context.active()): string | undefined {
  const spanContext = sampledSpanContext(ctx);
  return spanContext && formatTraceparent(spanContext);
}

/**
 * Span links to the spans the stored traceparents name, each once (a revote's two change rows
 * carry the same one), at most MAX_TRACE_LINKS.
 */
export function linksTo(traceparents: Iterable<string>): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const traceparent of traceparents) {
    if (links.length >= MAX_TRACE_LINKS) break;
    if (seen.has(traceparent)) continue;
    seen.add(traceparent);
    const spanContext = parseTraceparent(traceparent);
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}

const QUERY_LINKS = createContextKey('voting query links');

/**
 * A context whose database spans also link to `links`: a group-commit batch runs in the trace of
 * its first sampled ballot and links to the others', so every sampled vote reaches the statement
 * that wrote it.
 */
export function withQueryLinks(ctx: Context, links: Link[]): Context {
  return links.length > 0 ? ctx.setValue(QUERY_LINKS, links) : ctx;
}

/** The links `withQueryLinks` put in `ctx`, if any. */
export function queryLinksOf(ctx: Context): Link[] | undefined {
  return ctx.getValue(QUERY_LINKS) as Link[] | undefined;
}
