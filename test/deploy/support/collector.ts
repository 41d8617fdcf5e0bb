import { parse as parseYaml } from 'yaml';
import type { CollectorConfig } from './collector-config.ts';
import { find, type K8sObject } from './manifests.ts';
import { documentProblems } from './schemas.ts';

/**
 * The tracing component's OpenTelemetry Collector, checked without running it: what `otelcol
 * validate` would refuse (an unknown component type, a field it does not have, a pipeline naming
 * a component that is not defined), and what only the manifests around it can get wrong (a
 * listener on localhost that the probes and the Service cannot reach, a port that is not the
 * container's, an `${env:…}` no container variable provides).
 */

/**
 * The component types of the core distribution otelcol 0.159.0 (opentelemetry-collector-releases,
 * distributions/otelcol/manifest.yaml), the image the component pins. `otlp` and `otlphttp` as
 * exporters are deprecated aliases since 0.144 (of `otlp_grpc`, `otlp_http`).
 */
export const coreDistribution = {
  receivers: ['otlp', 'nop', 'hostmetrics', 'jaeger', 'kafka', 'prometheus', 'zipkin'],
  processors: [
    'batch',
    'memory_limiter',
    'attributes',
    'resource',
    'span',
    'probabilistic_sampler',
    'filter',
  ],
  exporters: [
    'debug',
    'nop',
    'otlp_grpc',
    'otlp_http',
    'file',
    'kafka',
    'prometheus',
    'prometheusremotewrite',
    'zipkin',
  ],
  extensions: ['zpages', 'health_check', 'pprof'],
  connectors: ['forward'],
} as const;
const deprecatedAliases: Record<string, string> = { otlp: 'otlp_grpc', otlphttp: 'otlp_http' };

type Section = keyof typeof coreDistribution;
const sections = Object.keys(coreDistribution) as Section[];
const singular: Record<Section, string> = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
  extensions: 'extension',
  connectors: 'connector',
};

export const componentType = (id: string) => id.split('/')[0] ?? id;

/** `${env:NAME}`, the collector's reference to an environment variable. */
export const envReference = (name: string) => `\${env:${name}}`;

/** The collector's Deployment, its container, and the configuration its volume mounts. */
export function collectorOf(objects: K8sObject[]) {
  const deployment = find(objects, 'Deployment', 'otel-collector');
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((c: { name: string }) => c.name === 'otel-collector');
  const configArg: string = container.args.find((a: string) => a.startsWith('--config='));
  const configPath = configArg.slice('--config='.length);
  const mount = container.volumeMounts.find((m: { mountPath: string }) =>
    configPath.startsWith(`${m.mountPath}/`),
  );
  const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
  const item = volume.configMap.items.find(
    (i: { path: string }) => `${mount.mountPath}/${i.path}` === configPath,
  );
  const configMap = find(objects, 'ConfigMap', volume.configMap.name);
  const config = parseYaml(configMap.data[item.key]) as CollectorConfig;
  return { deployment, container, configMap, config };
}

/** Where a listener binds: `host:port` (or `${env:X}:port`), and whether other pods reach it. */
export function listener(endpoint: string | undefined): { host: string; port: number } | null {
  if (endpoint === undefined) return null;
  const colon = endpoint.lastIndexOf(':');
  return { host: endpoint.slice(0, colon), port: Number(endpoint.slice(colon + 1)) };
}

/** Every problem `otelcol validate` would report, as far as the typed subsets model it. */
export function configProblems(config: CollectorConfig): string[] {
  const problems = documentProblems('otelcol/config', config).map((p) => `config${p}`);
  for (const section of sections) {
    for (const [id, settings] of Object.entries(config[section] ?? {})) {
      const type = componentType(id);
      if (section === 'exporters' && deprecatedAliases[type])
        problems.push(`${section}.${id}: ${type} is deprecated, use ${deprecatedAliases[type]}`);
      else if (!(coreDistribution[section] as readonly string[]).includes(type))
        problems.push(`${section}.${id}: no ${singular[section]} ${type} in the core distribution`);
      else
        problems.push(
          ...documentProblems(`otelcol/${singular[section]}/${type}`, settings ?? {}).map(
            (p) => `${section}.${id}${p}`,
          ),
        );
    }
  }
  const defined = (section: Section) => new Set(Object.keys(config[section] ?? {}));
  const used = new Map<Section, Set<string>>(sections.map((s) => [s, new Set<string>()]));
  for (const id of config.service.extensions ?? []) {
    used.get('extensions')?.add(id);
    if (!defined('extensions').has(id))
      problems.push(`service.extensions names ${id}, which is not defined`);
  }
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    for (const section of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of pipeline[section] ?? []) {
        used.get(section)?.add(id);
        if (!defined(section).has(id))
          problems.push(`pipeline ${name} names ${singular[section]} ${id}, which is not defined`);
      }
    }
    if ((pipeline.processors ?? []).length > 0 && pipeline.processors?.[0] !== 'memory_limiter')
      problems.push(`pipeline ${name}: memory_limiter is not its first processor`);
  }
  for (const section of sections)
    for (const id of defined(section))
      if (!used.get(section)?.has(id))
        problems.push(`${section}.${id} is defined but no pipeline uses it`);
  return problems;
}

/** The `${env:NAME}` the configuration reads (the collector expands them at start). */
export function environmentReferences(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)].map((m) => m[1] ?? ''),
  );
}

/**
 * The collector's listeners against its pod: each on the container port of its name and bound to
 * every interface (the collector's own default is localhost, which neither the kubelet's probes
 * nor the Service reach), the probes on the health_check extension, and every `${env:…}` provided.
 */
export function wiringProblems(objects: K8sObject[]): string[] {
  const { container, configMap, config } = collectorOf(objects);
  const problems: string[] = [];
  const ports = new Map<string, number>(
    container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]),
  );
  const otlp = config.receivers.otlp as
    | { protocols: { grpc?: { endpoint?: string }; http?: { endpoint?: string } } }
    | undefined;
  const health = config.extensions?.health_check as
    | { endpoint?: string; path?: string }
    | undefined;
  const prometheus = config.service.telemetry?.metrics?.readers?.[0]?.pull?.exporter.prometheus;
  const listeners: [string, string | undefined][] = [
    ['otlp-grpc', otlp?.protocols.grpc?.endpoint],
    ['otlp-http', otlp?.protocols.http?.endpoint],
    ['health', health?.endpoint],
    [
      'metrics',
      prometheus?.port === undefined ? undefined : `${prometheus.host ?? ''}:${prometheus.port}`,
    ],
  ];
  for (const [portName, endpoint] of listeners) {
    const at = listener(endpoint);
    if (!at) {
      problems.push(`${portName}: no listener configured (the default binds localhost)`);
      continue;
    }
    if (at.host !== '0.0.0.0' && at.host !== envReference('POD_IP'))
      problems.push(`${portName}: binds ${at.host}, which other pods cannot reach`);
    if (ports.get(portName) !== at.port)
      problems.push(
        `${portName}: listens on ${at.port}, the container port is ${ports.get(portName)}`,
      );
  }
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    const probe = container[kind];
    const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
    if (port !== 'health') problems.push(`${kind} is not on the health_check extension's port`);
    if (probe?.httpGet && probe.httpGet.path !== (health?.path ?? '/'))
      problems.push(`${kind} asks ${probe.httpGet.path}, the extension answers ${health?.path}`);
  }
  const variables = new Set<string>((container.env ?? []).map((v: { name: string }) => v.name));
  const text = Object.values(configMap.data as Record<string, string>).join('\n');
  for (const name of environmentReferences(text))
    if (!variables.has(name))
      problems.push(`${envReference(name)} is not a variable of the container`);
  return problems;
}
