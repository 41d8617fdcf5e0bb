import type { Tracer } from '@opentelemetry/api';
import type { HttpTracing, Logger } from '@voting/runtime';
import { type TracingSettings, tracingSettings } from './settings.ts';

/**
 * A service's tracing: on when an OTLP endpoint is set (settings.ts), else off. Off, nothing of
 * OpenTelemetry's SDK is started: no provider, no context manager, no exporter, no span, and every
 * part of the services takes the path it took before tracing existed (the pool is not wrapped, the
 * histogram keeps no exemplars, no plugin is registered).
 */
export interface Telemetry {
  readonly enabled: boolean;
  /** What the environment asked for; null when off. */
  readonly settings: TracingSettings | null;
  /** This service's tracer (its own provider and resource); undefined when off. */
  readonly tracer: Tracer | undefined;
  /** The request tracing `createHttpApp` registers; undefined when off. */
  readonly http: HttpTracing | undefined;
  /** Exports the spans that ended so far (tests; shutdown does it too). */
  forceFlush: () => Promise<void>;
  /** Exports what is left and stops; the last step of a service's shutdown. */
  shutdown: () => Promise<void>;
}

export const TELEMETRY_OFF: Telemetry = Object.freeze({
  enabled: false,
  settings: null,
  tracer: undefined,
  http: undefined,
  forceFlush: async () => {},
  shutdown: async () => {},
});

export interface TelemetryOptions {
  /** service.version; OTEL_RESOURCE_ATTRIBUTES may say otherwise (an image's tag, say). */
  version?: string;
  /** Where the SDK's own warnings (an export that failed) go. */
  logger?: Logger;
}

/**
 * Starts tracing for `service` if the environment asks for it (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT set, OTEL_SDK_DISABLED not true), else returns
 * TELEMETRY_OFF. The one place where tracing is set up: `runService` and the test harness call it.
 * The SDK is imported only then (sdk.ts): off, a service does not even evaluate it (the bundles
 * carry it, ~0.9 MB of the vote bundle's 4.2 MB).
 */
export async function startTelemetry(
  service: string,
  options: TelemetryOptions = {},
): Promise<Telemetry> {
  const settings = tracingSettings(process.env);
  if (!settings) return TELEMETRY_OFF;
  const { startSdk } = await import('./sdk.ts');
  return startSdk(service, settings, options);
}
