/**
 * The OpenTelemetry Collector's configuration as components/tracing/collector.yaml uses it,
 * modelled on the core distribution otelcol 0.159.0 (the `mapstructure` tags of the components'
 * config structs: receiver/otlpreceiver, processor/memorylimiterprocessor and batchprocessor,
 * exporter/otlphttpexporter, otlpexporter, debugexporter, exporterhelper's queuebatch, the
 * confighttp/configgrpc client and server settings, contrib's extension/healthcheckextension,
 * service/telemetry). No binary of the collector runs in the tests (Debian has none), so the file
 * is checked against these typed subsets (schemas.ts, `documentProblems`): a field missing here is
 * a typo or a new use, to add after reading that version's config struct.
 */

/** `${env:NAME}`, or a literal. The collector expands it before it decodes the config. */
type Str = string;
type Duration = string;

interface TlsClient {
  insecure?: boolean;
  insecure_skip_verify?: boolean;
  ca_file?: Str;
  cert_file?: Str;
  key_file?: Str;
  server_name_override?: Str;
}

interface TlsServer {
  ca_file?: Str;
  cert_file?: Str;
  key_file?: Str;
  client_ca_file?: Str;
  min_version?: Str;
}

interface HttpServer {
  endpoint?: Str;
  tls?: TlsServer;
  cors?: { allowed_origins?: Str[]; allowed_headers?: Str[]; max_age?: number };
  max_request_body_size?: number;
  include_metadata?: boolean;
  read_timeout?: Duration;
  read_header_timeout?: Duration;
  write_timeout?: Duration;
  idle_timeout?: Duration;
  keep_alives_enabled?: boolean;
}

interface GrpcServer {
  endpoint?: Str;
  transport?: 'tcp' | 'unix';
  tls?: TlsServer;
  max_recv_msg_size_mib?: number;
  max_concurrent_streams?: number;
  include_metadata?: boolean;
  keepalive?: {
    server_parameters?: {
      max_connection_idle?: Duration;
      max_connection_age?: Duration;
      max_connection_age_grace?: Duration;
      time?: Duration;
      timeout?: Duration;
    };
    enforcement_policy?: { min_time?: Duration; permit_without_stream?: boolean };
  };
}

export interface OtlpReceiver {
  protocols: {
    grpc?: GrpcServer;
    http?: HttpServer & { traces_url_path?: Str; metrics_url_path?: Str; logs_url_path?: Str };
  };
}

export interface MemoryLimiterProcessor {
  check_interval: Duration;
  limit_mib?: number;
  spike_limit_mib?: number;
  limit_percentage?: number;
  spike_limit_percentage?: number;
  min_gc_interval_when_soft_limited?: Duration;
  min_gc_interval_when_hard_limited?: Duration;
}

export interface BatchProcessor {
  timeout?: Duration;
  send_batch_size?: number;
  send_batch_max_size?: number;
  metadata_keys?: Str[];
  metadata_cardinality_limit?: number;
}

/** exporterhelper's queue and its batching (`sending_queue`, `sending_queue.batch`). */
interface SendingQueue {
  enabled?: boolean;
  num_consumers?: number;
  wait_for_result?: boolean;
  block_on_overflow?: boolean;
  sizer?: 'requests' | 'items' | 'bytes';
  queue_size?: number;
  storage?: Str;
  batch?: {
    flush_timeout?: Duration;
    min_size?: number;
    max_size?: number;
    sizer?: 'items' | 'bytes';
    partition?: { metadata_keys?: Str[] };
  };
}

interface RetryOnFailure {
  enabled?: boolean;
  initial_interval?: Duration;
  max_interval?: Duration;
  max_elapsed_time?: Duration;
  multiplier?: number;
}

interface ExporterHelper {
  timeout?: Duration;
  sending_queue?: SendingQueue;
  retry_on_failure?: RetryOnFailure;
}

export interface OtlpHttpExporter extends ExporterHelper {
  endpoint?: Str;
  traces_endpoint?: Str;
  metrics_endpoint?: Str;
  logs_endpoint?: Str;
  tls?: TlsClient;
  headers?: Record<string, Str>;
  compression?: Str;
  encoding?: 'proto' | 'json';
  read_buffer_size?: number;
  write_buffer_size?: number;
  proxy_url?: Str;
}

export interface OtlpGrpcExporter extends ExporterHelper {
  endpoint: Str;
  tls?: TlsClient;
  headers?: Record<string, Str>;
  compression?: Str;
  balancer_name?: Str;
  wait_for_ready?: boolean;
}

export interface DebugExporter {
  verbosity?: 'basic' | 'normal' | 'detailed';
  sampling_initial?: number;
  sampling_thereafter?: number;
  use_internal_logger?: boolean;
  sending_queue?: SendingQueue;
}

export interface HealthCheckExtension {
  endpoint?: Str;
  path?: Str;
  response_body?: Str;
  tls?: TlsServer;
}

interface Pipeline {
  receivers: Str[];
  processors?: Str[];
  exporters: Str[];
}

/**
 * A component's settings, by `type[/name]`: each is checked against its own type above
 * (collector.ts, configProblems), not here. (`unknown` would not do: the unknown-field walk reads
 * it as `{}`, an object with no field.)
 */
// biome-ignore lint/suspicious/noExplicitAny: checked per component type by configProblems
type Components = Record<string, any>;

export interface CollectorConfig {
  receivers: Components;
  processors?: Components;
  exporters: Components;
  extensions?: Components;
  connectors?: Components;
  service: {
    extensions?: Str[];
    pipelines: Record<string, Pipeline>;
    telemetry?: {
      logs?: {
        level?: 'debug' | 'info' | 'warn' | 'error';
        encoding?: 'json' | 'console';
        disable_caller?: boolean;
        disable_stacktrace?: boolean;
        sampling?: { enabled?: boolean; tick?: Duration; initial?: number; thereafter?: number };
        initial_fields?: Record<string, Str>;
      };
      metrics?: {
        level?: 'none' | 'basic' | 'normal' | 'detailed';
        readers?: {
          pull?: {
            exporter: {
              prometheus: {
                host?: Str;
                port?: number;
                without_units?: boolean;
                without_type_suffix?: boolean;
                without_scope_info?: boolean;
              };
            };
          };
        }[];
      };
    };
  };
}
