/**
 * What the standard OTEL_* variables ask of tracing, read once at start (docs/observability.md,
 * "Settings"). Tracing is off unless an OTLP endpoint is set; no other variable of the project's
 * own turns it on or tunes it.
 */

/**
 * The sampler when OTEL_TRACES_SAMPLER is not set: a root span (a request without a sampled
 * `traceparent`) is kept with this probability, and a request whose caller sampled it is always
 * kept (parent based). Chosen from the cost measured by `npm run bench` (docs/performance.md,
 * "Tracing"), CPU per vote over tracing off, all processes: +33 µs on with nothing sampled (the
 * context manager and the request plugin: the price of having tracing on at all), +55 µs at 10%,
 * +107 µs at 100%. Most of the cost is being on, not the ratio; 10% keeps the sampled share at
 * about a third of that while one vote in ten is traced.
 */
export const DEFAULT_TRACES_SAMPLER = 'parentbased_traceidratio';
export const DEFAULT_TRACES_SAMPLER_ARG = 0.1;

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type SamplerName = (typeof SAMPLERS)[number];

export interface TracingSettings {
  /** Where spans go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else ENDPOINT + /v1/traces. */
  endpoint: string;
  sampler: SamplerName;
  /** The ratio of the ratio samplers (OTEL_TRACES_SAMPLER_ARG), in [0, 1]. */
  ratio: number;
  /** Settings that were set but not usable, each with what was used instead (logged at start). */
  warnings: string[];
}

type Environment = Record<string, string | undefined>;

const set = (value: string | undefined): value is string =>
  value !== undefined && value.trim() !== '';

/**
 * The tracing settings of an environment, or null when tracing is off: no endpoint set, or
 * OTEL_SDK_DISABLED=true, or OTEL_TRACES_EXPORTER=none.
 */
export function tracingSettings(env: Environment = process.env): TracingSettings | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return null;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!set(tracesEndpoint) && !set(endpoint)) return null;
  const warnings: string[] = [];
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (set(exporter) && exporter !== 'otlp')
    warnings.push(`OTEL_TRACES_EXPORTER=${exporter} is not supported here: otlp is used`);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)
    ?.trim()
    .toLowerCase();
  if (set(protocol) && protocol !== 'http/protobuf')
    warnings.push(`OTLP protocol ${protocol} is not supported here: http/protobuf is used`);

  let sampler: SamplerName = DEFAULT_TRACES_SAMPLER;
  let ratio = DEFAULT_TRACES_SAMPLER_ARG;
  const named = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (set(named)) {
    if ((SAMPLERS as readonly string[]).includes(named)) {
      sampler = named as SamplerName;
      // A ratio sampler named without its argument samples everything, as the specification says.
      ratio = 1;
    } else
      warnings.push(
        `OTEL_TRACES_SAMPLER=${named} is not a sampler: ${DEFAULT_TRACES_SAMPLER} (${DEFAULT_TRACES_SAMPLER_ARG}) is used`,
      );
  }
  const argument = env.OTEL_TRACES_SAMPLER_ARG;
  if (set(argument)) {
    const value = Number(argument);
    if (Number.isFinite(value) && value >= 0 && value <= 1) ratio = value;
    else
      warnings.push(
        `OTEL_TRACES_SAMPLER_ARG=${argument} is not a ratio in [0, 1]: ${ratio} is used`,
      );
  }
  return {
    endpoint: set(tracesEndpoint)
      ? tracesEndpoint.trim()
      : `${(endpoint as string).trim().replace(/\/+$/, '')}/v1/traces`,
    sampler,
    ratio,
    warnings,
  };
}
