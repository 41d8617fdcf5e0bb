import { ROOT_CONTEXT, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { configuredSampler, SampledLinksSampler } from './sampler.ts';
import { DEFAULT_TRACES_SAMPLER, DEFAULT_TRACES_SAMPLER_ARG, tracingSettings } from './settings.ts';

describe('tracingSettings', () => {
  it('is off without an endpoint, with OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none', () => {
    expect(tracingSettings({})).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBeNull();
    expect(tracingSettings({ OTEL_TRACES_SAMPLER: 'always_on' })).toBeNull();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' })).toBeNull();
    expect(tracingSettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
    expect(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).not.toBeNull();
  });

  it('sends to ENDPOINT/v1/traces, or to the traces endpoint as given', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })?.endpoint).toBe(
      'http://c:4318/v1/traces',
    );
    expect(
      tracingSettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/custom',
      })?.endpoint,
    ).toBe('http://t:4318/custom');
  });

  it('samples by the default ratio unless OTEL_TRACES_SAMPLER says otherwise', () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(tracingSettings(on)).toMatchObject({
      sampler: DEFAULT_TRACES_SAMPLER,
      ratio: DEFAULT_TRACES_SAMPLER_ARG,
      warnings: [],
    });
    expect(tracingSettings({ ...on, OTEL_TRACES_SAMPLER_ARG: '0.5' })).toMatchObject({
      sampler: 'parentbased_traceidratio',
      ratio: 0.5,
    });
    // A ratio sampler named without its argument keeps everything, as the specification says.
    expect(tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'traceidratio' })).toMatchObject({
      sampler: 'traceidratio',
      ratio: 1,
    });
    expect(tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'always_on' })?.sampler).toBe('always_on');
  });

  it('says which settings it could not use, and what it used instead', () => {
    const settings = tracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_EXPORTER: 'zipkin',
    });
    expect(settings).toMatchObject({
      sampler: DEFAULT_TRACES_SAMPLER,
      ratio: DEFAULT_TRACES_SAMPLER_ARG,
    });
    expect(settings?.warnings).toHaveLength(4);
  });
});

describe('SampledLinksSampler', () => {
  const link = (traceFlags: number) => ({
    context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags },
  });
  const decide = (ratio: number, links: ReturnType<typeof link>[]) =>
    new SampledLinksSampler(
      configuredSampler({ sampler: 'parentbased_traceidratio', ratio }),
    ).shouldSample(ROOT_CONTEXT, 'c'.repeat(32), 'aggregate ballot_changes', 0, {}, links).decision;

  it('keeps a span that carries out a sampled span, whatever the ratio', () => {
    expect(decide(0, [link(TraceFlags.NONE), link(TraceFlags.SAMPLED)])).toBe(
      SamplingDecision.RECORD_AND_SAMPLED,
    );
  });

  it('leaves the others to the configured sampler', () => {
    expect(decide(0, [link(TraceFlags.NONE)])).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(0, [])).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(1, [])).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
