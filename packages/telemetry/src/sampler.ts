import {
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
  TraceFlags,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { TracingSettings } from './settings.ts';

/** The sampler OTEL_TRACES_SAMPLER names (with its ratio), as the SDK's own reading would make. */
export function configuredSampler(settings: Pick<TracingSettings, 'sampler' | 'ratio'>): Sampler {
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(settings.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.ratio) });
  }
}

/**
 * Keeps a span that links to a sampled span, else asks the configured sampler. The worker's
 * aggregation span and the result's stream-event span are roots of their own traces (one batch
 * carries out many votes, so no single vote is their parent) linked to the votes they carry out:
 * sampled by ratio like any root, the span that continues a sampled vote would be kept only one
 * time in ten at 10%, and the vote's trace would lead nowhere. With this rule it is kept exactly
 * when it carries out a sampled vote (or by ratio, when it carries out none).
 */
export class SampledLinksSampler implements Sampler {
  constructor(private readonly configured: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    for (const link of links)
      if ((link.context.traceFlags & TraceFlags.SAMPLED) !== 0)
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
    return this.configured.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `SampledLinks{${this.configured.toString()}}`;
  }
}
