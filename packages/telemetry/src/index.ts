// The SDK itself (sdk.ts, sampler.ts, http.ts) is imported by startTelemetry only when tracing is
// on: nothing here may import it statically.
export {
  DEFAULT_TRACES_SAMPLER,
  DEFAULT_TRACES_SAMPLER_ARG,
  type TracingSettings,
  tracingSettings,
} from './settings.ts';
export {
  startTelemetry,
  TELEMETRY_OFF,
  type Telemetry,
  type TelemetryOptions,
} from './telemetry.ts';
