import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  formatTraceparent,
  linksTo,
  MAX_TRACE_LINKS,
  parseTraceparent,
  queryLinksOf,
  sampledTraceparent,
  withQueryLinks,
} from './trace-context.ts';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const spanId = 'b7ad6b7169203331';

describe('traceparents', () => {
  it('are written and read as W3C trace context', () => {
    const written = formatTraceparent({ traceId, spanId, traceFlags: TraceFlags.SAMPLED });
    expect(written).toBe(`00-${traceId}-${spanId}-01`);
    expect(parseTraceparent(written)).toEqual({
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('refuses what is not one', () => {
    for (const value of [
      '',
      `01-${traceId}-${spanId}-01`,
      `00-${'0'.repeat(32)}-${spanId}-01`,
      `00-${traceId}-${'0'.repeat(16)}-01`,
      `00-${traceId.toUpperCase()}-${spanId}-01`,
      `00-${traceId}-${spanId}-01 `,
    ])
      expect(parseTraceparent(value), value).toBeUndefined();
  });

  it('are taken only from a sampled span', () => {
    expect(sampledTraceparent(ROOT_CONTEXT)).toBeUndefined();
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 0 });
    expect(sampledTraceparent(unsampled)).toBeUndefined();
    const sampled = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: 1 });
    expect(sampledTraceparent(sampled)).toBe(`00-${traceId}-${spanId}-01`);
  });
});

describe('linksTo', () => {
  it('links each span once, at most MAX_TRACE_LINKS, skipping what is not a traceparent', () => {
    const many = Array.from(
      { length: MAX_TRACE_LINKS + 10 },
      (_, i) => `00-${traceId}-${(i + 1).toString(16).padStart(16, '0')}-01`,
    );
    const links = linksTo(['garbage', many[0] as string, ...many]);
    expect(links).toHaveLength(MAX_TRACE_LINKS);
    expect(links[0]?.context.spanId).toBe('0000000000000001');
    expect(new Set(links.map((link) => link.context.spanId)).size).toBe(MAX_TRACE_LINKS);
  });

  it('travel in a context to the statements run in it', () => {
    const links = linksTo([`00-${traceId}-${spanId}-01`]);
    expect(queryLinksOf(withQueryLinks(ROOT_CONTEXT, links))).toEqual(links);
    expect(queryLinksOf(withQueryLinks(ROOT_CONTEXT, []))).toBeUndefined();
  });
});
