import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Span, SpanStatus, TracerProvider } from '@opentelemetry/api';
import { ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { type HttpApp, type HttpTracing, loggableUrl } from '@voting/runtime';
import type { FastifyRequest } from 'fastify';

/** Probes are asked every few seconds by every kubelet: no trace of them. */
const UNTRACED_PATHS = new Set(['/health', '/livez', '/readyz']);

const pathOf = (url: string) => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

/**
 * Status messages and exception events would carry an error's message, which can quote the
 * request (a refused ballot names its option): a span keeps the status code alone. The error's
 * code is in the answer's log line, which carries the trace id.
 */
function withoutErrorMessages(span: Span): void {
  const setStatus = span.setStatus.bind(span);
  span.setStatus = (status: SpanStatus) => setStatus({ code: status.code });
}

/**
 * Request tracing with @fastify/otel, the Fastify project's OpenTelemetry instrumentation,
 * registered as a plugin by `createHttpApp` (no require hook: it works in the esbuild bundles, under
 * tsx and inside vitest alike). It makes a SERVER span per request, continuing an incoming W3C
 * `traceparent`, named `<METHOD> <route>` (its own name is "request"), and a child span for the
 * route handler, in whose context the handler's statements and logs run. Hooks get no span of
 * their own (`instrumentHooks: false`: the project's hooks are callbacks of a few µs, and a span
 * each would cost more than they do). `url.path` is the path as logs show it: receipts replaced by
 * `…` and no query string (invariant 8); no header or body is recorded.
 */
export function httpTracing(provider: TracerProvider): HttpTracing {
  const instrumentation = new FastifyOtelInstrumentation({
    instrumentHooks: false,
    recordExceptions: false,
    ignorePaths: (route: { url?: string }) => UNTRACED_PATHS.has(pathOf(route.url ?? '')),
    // Only for a sampled request: an unsampled one (most of them) gets a no-op span, and naming
    // it would cost a vote ~20 µs of CPU (the URL's rewriting, closures), measured.
    requestHook: (span: Span, request: FastifyRequest) => {
      if (!span.isRecording()) return;
      withoutErrorMessages(span);
      span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`);
      span.setAttribute(ATTR_URL_PATH, loggableUrl(pathOf(request.url)));
    },
    lifecycleHook: (span: Span, info: { hookName: string; request: FastifyRequest }) => {
      if (!span.isRecording()) return;
      withoutErrorMessages(span);
      span.updateName(`${info.hookName} ${info.request.routeOptions.url ?? 'unmatched'}`);
    },
  });
  instrumentation.setTracerProvider(provider);
  return {
    register: async (app: HttpApp) => {
      await app.register(instrumentation.plugin());
    },
  };
}
