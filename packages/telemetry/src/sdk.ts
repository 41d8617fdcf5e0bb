import { context, DiagLogLevel, diag, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_NAMESPACE,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import type { Logger } from '@voting/runtime';
import { httpTracing } from './http.ts';
import { configuredSampler, SampledLinksSampler } from './sampler.ts';
import type { TracingSettings } from './settings.ts';
import type { Telemetry, TelemetryOptions } from './telemetry.ts';

let processWideSetUp = false;

/**
 * Context and propagation are process-wide in OpenTelemetry's API; they are set once, by the first
 * service that traces (tests run three in one process). The tracer provider is not: each service
 * has its own, so its spans carry its own resource, and none is registered globally.
 */
function setUpProcess(logger: Logger | undefined): void {
  if (processWideSetUp) return;
  processWideSetUp = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  if (logger)
    diag.setLogger(
      {
        error: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
        warn: (message, ...args) => logger.warn({ args }, `opentelemetry: ${message}`),
        info: () => {},
        debug: () => {},
        verbose: () => {},
      },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
}

/**
 * The SDK of a service whose settings turn tracing on (startTelemetry).
 *
 * Resource: service.name (OTEL_SERVICE_NAME, else the service's name: vote, result, worker),
 * service.namespace `voting`, service.version, the SDK's own attributes, and whatever
 * OTEL_RESOURCE_ATTRIBUTES adds or overrides (the manifests put k8s.pod.name, k8s.namespace.name,
 * k8s.node.name there from the downward API). Spans go in batches (BatchSpanProcessor, OTEL_BSP_*)
 * to the OTLP/HTTP endpoint as protobuf.
 */
export function startSdk(
  service: string,
  settings: TracingSettings,
  options: TelemetryOptions,
): Telemetry {
  setUpProcess(options.logger);
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: service,
        [ATTR_SERVICE_NAMESPACE]: 'voting',
        ...(options.version ? { [ATTR_SERVICE_VERSION]: options.version } : {}),
      }),
    )
    .merge(detectResources({ detectors: [envDetector] }));
  const exporter = new OTLPTraceExporter({ url: settings.endpoint });
  const provider = new BasicTracerProvider({
    resource,
    sampler: new SampledLinksSampler(configuredSampler(settings)),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    enabled: true,
    settings,
    tracer: provider.getTracer(`@voting/${service}`, options.version),
    http: httpTracing(provider),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
