/**
 * The tracing component (deploy/k8s/components/tracing), on the overlays that run the services:
 * it renders and holds to the project's policy like everything else, the collector's
 * configuration is one the collector would accept and is wired to its pod, the services' OTEL_*
 * settings point at the collector's Service and port, sampling is set in one place, every span
 * says which pod, node and release it came from, and the backend the collector sends to is the
 * one its network policy lets it reach. Without the component, nothing traces. (The flows:
 * flows.test.ts; the issue: 17, item 4.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  collectorOf,
  configProblems,
  envReference,
  listener,
  wiringProblems,
} from './support/collector.ts';
import type { CollectorConfig } from './support/collector-config.ts';
import {
  find,
  type K8sObject,
  k8sRoot,
  key,
  parseYamlObjects,
  podTemplates,
  render,
  renderWith,
  selects,
} from './support/manifests.ts';
import {
  imageTag,
  secretViolations,
  selectorViolations,
  workloadViolations,
} from './support/policy.ts';
import { fieldProblems, schemaProblems } from './support/schemas.ts';
import { containerVariableRules, serviceNames } from './support/services.ts';
import { kubectl, run } from './support/tools.ts';

const COMPONENT = 'components/tracing';
const rendered = {
  production: renderWith('overlays/production', [COMPONENT]),
  local: renderWith('overlays/local', [COMPONENT]),
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; configMapKeyRef?: { name: string; key: string } };
}

/** A service's container, its pod template's labels, and its variables as the kubelet sets them. */
function service(objects: K8sObject[], name: string) {
  const deployment = find(objects, 'Deployment', name);
  const container = deployment.spec.template.spec.containers.find(
    (c: { name: string }) => c.name === name,
  );
  const env: EnvVar[] = container.env ?? [];
  const fromConfigMaps: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const configMap = find(objects, 'ConfigMap', source.configMapRef.name);
    Object.assign(fromConfigMaps, configMap.data);
  }
  // A literal in `env` wins over envFrom, as in Kubernetes.
  const value = (variable: string) =>
    env.find((v) => v.name === variable)?.value ?? fromConfigMaps[variable];
  return {
    deployment,
    container,
    env,
    value,
    labels: deployment.spec.template.metadata.labels as Record<string, string>,
  };
}

/**
 * The backend the collector exports to (its BACKEND_ENDPOINT), and the ports its network policy
 * opens towards that endpoint's namespace (`<service>.<namespace>.svc.cluster.local`).
 */
function backendReach(objects: K8sObject[]) {
  const { configMap } = collectorOf(objects);
  const endpoint: string = configMap.data.BACKEND_ENDPOINT;
  const url = new URL(endpoint);
  const [, namespace] = url.hostname.split('.');
  const policy = find(objects, 'NetworkPolicy', 'otel-collector');
  const allowed = policy.spec.egress
    .filter((rule: { to: { namespaceSelector?: { matchLabels?: Record<string, string> } }[] }) =>
      rule.to.some(
        (peer) =>
          peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === namespace,
      ),
    )
    .flatMap((rule: { ports: { port: number }[] }) => rule.ports);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { endpoint, allowed: allowed.filter((p: { port: number }) => p.port === port) };
}

describe.each(Object.keys(rendered) as (keyof typeof rendered)[])(
  'overlays/%s with the tracing component',
  (overlay) => {
    const objects = rendered[overlay];

    test('renders with unique names, every object valid for its kind, with no unknown field', () => {
      const keys = objects.map(key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const kind of ['Deployment', 'Service', 'ConfigMap', 'NetworkPolicy'])
        expect(
          objects.some((o) => o.kind === kind && o.metadata.name.startsWith('otel-collector')),
          kind,
        ).toBe(true);
      const problems = objects.flatMap((object) =>
        [...schemaProblems(object), ...fieldProblems(object)].map((p) => `${key(object)}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    test('holds to the policy: hardened, sized, probed and pinned pods, no plain-text secret, selectors that select', () => {
      expect(workloadViolations(objects)).toEqual([]);
      expect(secretViolations(objects)).toEqual([]);
      expect(selectorViolations(objects)).toEqual([]);
      // Every object lands in the overlay's namespace, as the policy's restricted namespace wants.
      const namespace = objects.find((o) => o.kind === 'Namespace')?.metadata.name;
      expect(
        objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== namespace),
      ).toEqual([]);
    });

    test('every ConfigMap a pod reads exists (envFrom, configMapKeyRef, volumes)', () => {
      const configMaps = new Set(
        objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name),
      );
      const missing: string[] = [];
      for (const { owner, spec } of podTemplates(objects)) {
        const names = [
          ...spec.containers.flatMap((c: { envFrom?: { configMapRef?: { name: string } }[] }) =>
            (c.envFrom ?? []).flatMap((s) => (s.configMapRef ? [s.configMapRef.name] : [])),
          ),
          ...spec.containers.flatMap((c: { env?: EnvVar[] }) =>
            (c.env ?? []).flatMap((v) =>
              v.valueFrom?.configMapKeyRef ? [v.valueFrom.configMapKeyRef.name] : [],
            ),
          ),
          ...(spec.volumes ?? []).flatMap((v: { configMap?: { name: string } }) =>
            v.configMap ? [v.configMap.name] : [],
          ),
        ];
        for (const name of names)
          if (!configMaps.has(name)) missing.push(`${key(owner)}: ConfigMap ${name}`);
      }
      expect(missing).toEqual([]);
    });

    test('the collector’s configuration is one otelcol 0.159.0 accepts, wired to its pod', () => {
      const { config, container } = collectorOf(objects);
      expect(configProblems(config)).toEqual([]);
      expect(wiringProblems(objects)).toEqual([]);
      expect(Object.keys(config.receivers)).toEqual(['otlp']);
      expect(config.service.pipelines.traces?.processors).toEqual(['memory_limiter']);
      expect(container.image).toMatch(/^docker\.io\/otel\/opentelemetry-collector:\d+\.\d+\.\d+$/);
      expect(imageTag(container.image)).toBe('0.159.0');
    });

    test.each(serviceNames)(
      '%s exports to the collector Service’s OTLP/HTTP port, which is the receiver’s',
      (name) => {
        const { value } = service(objects, name);
        const endpoint = new URL(value('OTEL_EXPORTER_OTLP_ENDPOINT') ?? '');
        expect(endpoint.protocol).toBe('http:');
        // The SDK appends /v1/traces to a base URL; a path here would be kept and break it.
        expect(endpoint.pathname).toBe('/');
        const collectorService = find(objects, 'Service', endpoint.hostname);
        const servicePort = collectorService.spec.ports.find(
          (p: { port: number }) => p.port === Number(endpoint.port),
        );
        expect(servicePort?.name).toBe('otlp-http');
        const { container, config, deployment } = collectorOf(objects);
        expect(
          selects(
            { matchLabels: collectorService.spec.selector },
            deployment.spec.template.metadata.labels,
          ),
        ).toBe(true);
        const containerPort = container.ports.find(
          (p: { name: string }) => p.name === servicePort.targetPort,
        );
        const otlp = config.receivers.otlp as { protocols: { http: { endpoint: string } } };
        expect(listener(otlp.protocols.http.endpoint)?.port).toBe(containerPort.containerPort);
      },
    );

    test.each(serviceNames)(
      '%s samples with parentbased_traceidratio at the ratio set once, and names itself',
      (name) => {
        const { value, env, labels, deployment } = service(objects, name);
        expect(value('OTEL_TRACES_SAMPLER')).toBe('parentbased_traceidratio');
        expect(value('OTEL_TRACES_SAMPLER_ARG')).toBe('0.1');
        const serviceName = env.find((v) => v.name === 'OTEL_SERVICE_NAME');
        const label = /^metadata\.labels\['(.+)'\]$/.exec(
          serviceName?.valueFrom?.fieldRef?.fieldPath ?? '',
        )?.[1];
        expect(label && labels[label]).toBe(deployment.metadata.name);
      },
    );

    test.each(serviceNames)(
      '%s: every span names its pod, namespace, node and release (the downward API)',
      (name) => {
        const { env, labels, container } = service(objects, name);
        const attributes = env.find((v) => v.name === 'OTEL_RESOURCE_ATTRIBUTES')?.value ?? '';
        const pairs = Object.fromEntries(
          attributes.split(',').map((pair) => pair.split('=') as [string, string]),
        );
        const index = (variable: string) => env.findIndex((v) => v.name === variable);
        const source = (attribute: string) => {
          const variable = /^\$\(([A-Z0-9_]+)\)$/.exec(pairs[attribute] ?? '')?.[1] ?? '';
          // $(NAME) expands only a variable defined earlier in the list.
          expect(index(variable), attribute).toBeGreaterThanOrEqual(0);
          expect(index(variable), attribute).toBeLessThan(index('OTEL_RESOURCE_ATTRIBUTES'));
          return env[index(variable)]?.valueFrom?.fieldRef?.fieldPath;
        };
        expect(source('k8s.pod.name')).toBe('metadata.name');
        expect(source('k8s.namespace.name')).toBe('metadata.namespace');
        expect(source('k8s.node.name')).toBe('spec.nodeName');
        // The release: the pod's version label, which the overlay sets from the image tag.
        expect(source('service.version')).toBe("metadata.labels['app.kubernetes.io/version']");
        expect(labels['app.kubernetes.io/version']).toBe(imageTag(container.image));
      },
    );

    test('every variable a container gets is one its code reads: the services’ config parser or OpenTelemetry SDK, the collector’s configuration', () => {
      const problems: string[] = [];
      for (const { owner, spec } of podTemplates(objects)) {
        for (const container of spec.containers) {
          if (![...serviceNames, 'otel-collector'].includes(container.name)) continue;
          const rules = containerVariableRules(container.name);
          const env: EnvVar[] = container.env ?? [];
          // Variables only the kubelet reads, to expand $(NAME) in another one.
          const expandedOnly = new Set(
            env.flatMap((v) =>
              [...(v.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((m) => m[1]),
            ),
          );
          const given = [
            ...env.map((v) => v.name),
            ...(container.envFrom ?? []).flatMap((s: { configMapRef: { name: string } }) =>
              Object.keys(find(objects, 'ConfigMap', s.configMapRef.name).data ?? {}),
            ),
          ];
          for (const name of given)
            if (!rules.known.has(name) && !expandedOnly.has(name))
              problems.push(`${key(owner)}/${container.name}: ${name} is read by nothing`);
          for (const name of rules.required)
            if (!given.includes(name))
              problems.push(`${key(owner)}/${container.name}: ${name} is required`);
        }
      }
      expect(problems).toEqual([]);
    });

    test('the collector sends to the backend its network policy lets it reach, and nothing else', () => {
      const { config } = collectorOf(objects);
      const exporter = config.exporters['otlp_http/backend'] as { endpoint: string };
      expect(exporter.endpoint).toBe(envReference('BACKEND_ENDPOINT'));
      expect(backendReach(objects)).toEqual({
        endpoint: 'http://tempo.tempo.svc.cluster.local:4318',
        allowed: [{ protocol: 'TCP', port: 4318 }],
      });
    });

    test('the collector’s Service carries OTLP only; its health and metrics ports are reached on the pods', () => {
      const collectorService = find(objects, 'Service', 'otel-collector');
      expect(
        collectorService.spec.ports.map((p: { name: string; targetPort: string }) => [
          p.name,
          p.targetPort,
        ]),
      ).toEqual([
        ['otlp-grpc', 'otlp-grpc'],
        ['otlp-http', 'otlp-http'],
      ]);
    });
  },
);

test('production with tracing: the PodMonitor scrapes the collector’s metrics port, from the monitoring namespace only', () => {
  const objects = rendered.production;
  const { deployment, container } = collectorOf(objects);
  const monitor = find(objects, 'PodMonitor', 'voting');
  expect(selects(monitor.spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
  const scraped = monitor.spec.podMetricsEndpoints.map((e: { port: string }) => e.port);
  expect(container.ports.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining(scraped),
  );
  const policy = find(objects, 'NetworkPolicy', 'otel-collector');
  const metricsRules = policy.spec.ingress.filter((rule: { ports: { port: string }[] }) =>
    rule.ports.some((p) => p.port === 'metrics'),
  );
  expect(metricsRules.map((rule: { from: unknown[] }) => rule.from)).toEqual([
    [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
  ]);
});

test('the sampling ratio is written in one place in the manifests', () => {
  const files = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(path.join(directory, entry.name))
        : /\.ya?ml$/.test(entry.name)
          ? [path.join(directory, entry.name)]
          : [],
    );
  const settings = files(k8sRoot).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^\s*-?\s*OTEL_TRACES_SAMPLER_ARG\s*[=:]/.test(line))
      .map((line) => `${path.relative(k8sRoot, file)}: ${line.trim()}`),
  );
  expect(settings).toEqual([
    'components/tracing/kustomization.yaml: - OTEL_TRACES_SAMPLER_ARG=0.1',
  ]);
});

test('without the component nothing traces: no collector and no OTEL_* variable in base, local or production', () => {
  for (const directory of ['base', 'overlays/local', 'overlays/production']) {
    const objects = render(directory);
    expect(
      objects.filter((o) => o.metadata.name.startsWith('otel-collector')),
      directory,
    ).toEqual([]);
    const variables = podTemplates(objects).flatMap(({ spec }) =>
      spec.containers.flatMap((c: { env?: EnvVar[] }) => (c.env ?? []).map((v) => v.name)),
    );
    const configured = objects
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) => Object.keys(o.data ?? {}));
    expect(
      [...variables, ...configured].filter((name) => name.startsWith('OTEL_')),
      directory,
    ).toEqual([]);
  }
});

test('the dashboard’s latency panels show exemplars, the way from a slow request to its trace', () => {
  const dashboard = JSON.parse(
    readFileSync(
      path.join(k8sRoot, 'components/prometheus-operator/dashboards/voting.json'),
      'utf8',
    ),
  );
  const latency = dashboard.panels.filter(
    (panel: { type: string; title: string }) =>
      panel.type === 'timeseries' && panel.title.toLowerCase().includes('latency'),
  );
  expect(latency.length).toBeGreaterThanOrEqual(2);
  for (const panel of latency)
    for (const target of panel.targets)
      expect(target, panel.title).toMatchObject({
        exemplar: true,
        expr: expect.stringContaining('http_request_duration_seconds_bucket'),
      });
});

test('as docs/deploy.md says: an overlay of yours over one with the component moves the backend (endpoint and policy) and the ratio', () => {
  // Two kustomizations: one lists the component (renderWith's), one of yours on top of it,
  // because a kustomization's generators run before its components and cannot merge into them.
  const root = mkdtempSync(path.join(tmpdir(), 'voting-tracing-'));
  try {
    const write = (directory: string, kustomization: object) => {
      mkdirSync(path.join(root, directory));
      writeFileSync(
        path.join(root, directory, 'kustomization.yaml'),
        JSON.stringify(kustomization),
      );
    };
    const relative = (target: string) =>
      path.relative(path.join(root, 'x'), path.join(k8sRoot, target));
    write('with-tracing', {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'voting',
      resources: [relative('overlays/production')],
      components: [relative(COMPONENT)],
    });
    const jaeger = 'http://jaeger-collector.observability.svc.cluster.local:4318';
    write('yours', {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'voting',
      resources: ['../with-tracing'],
      configMapGenerator: [
        { name: 'otel-collector', behavior: 'merge', literals: [`BACKEND_ENDPOINT=${jaeger}`] },
        { name: 'tracing-config', behavior: 'merge', literals: ['OTEL_TRACES_SAMPLER_ARG=0.25'] },
      ],
      patches: [
        {
          target: { kind: 'NetworkPolicy', name: 'otel-collector' },
          patch: JSON.stringify([
            {
              op: 'replace',
              path: '/spec/egress/1/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name',
              value: 'observability',
            },
          ]),
        },
      ],
    });
    const result = run(kubectl(), ['kustomize', path.join(root, 'yours')]);
    expect(result.stderr).toBe('');
    const objects = parseYamlObjects(result.stdout, 'yours');
    expect(backendReach(objects)).toEqual({
      endpoint: jaeger,
      allowed: [{ protocol: 'TCP', port: 4318 }],
    });
    for (const name of serviceNames)
      expect(service(objects, name).value('OTEL_TRACES_SAMPLER_ARG'), name).toBe('0.25');
    expect(wiringProblems(objects)).toEqual([]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

describe('the checks themselves', () => {
  const config = () => structuredClone(collectorOf(rendered.production).config) as CollectorConfig;

  test('a pipeline naming an undefined exporter, a deprecated or foreign component, a misspelt field, memory_limiter not first', () => {
    const broken = config();
    const traces = broken.service.pipelines.traces;
    if (!traces) throw new Error('no traces pipeline');
    traces.exporters = ['otlp_http/tempo', 'debug'];
    traces.processors = ['batch', 'memory_limiter'];
    broken.processors = { ...broken.processors, batch: {} };
    broken.exporters.otlphttp = { endpoint: 'http://x:4318' };
    broken.exporters.googlecloud = {};
    (broken.exporters.debug as Record<string, unknown>).verbosty = 'basic';
    expect(configProblems(broken)).toEqual([
      'exporters.debug/verbosty: no such field',
      'exporters.otlphttp: otlphttp is deprecated, use otlp_http',
      'exporters.googlecloud: no exporter googlecloud in the core distribution',
      'pipeline traces names exporter otlp_http/tempo, which is not defined',
      'pipeline traces: memory_limiter is not its first processor',
      'exporters.otlp_http/backend is defined but no pipeline uses it',
      'exporters.otlphttp is defined but no pipeline uses it',
      'exporters.googlecloud is defined but no pipeline uses it',
    ]);
  });

  test('a listener on localhost or on another port, a probe elsewhere, a variable reference no variable sets', () => {
    const objects = structuredClone(rendered.production) as K8sObject[];
    const { configMap, container } = collectorOf(objects);
    const text: string = configMap.data['collector.yaml'];
    configMap.data['collector.yaml'] = text
      .replace('endpoint: 0.0.0.0:4318', 'endpoint: localhost:4318')
      .replace('endpoint: 0.0.0.0:13133', 'endpoint: 0.0.0.0:13134')
      .replace(envReference('BACKEND_ENDPOINT'), envReference('TEMPO_ENDPOINT'));
    container.readinessProbe.httpGet.port = 'otlp-http';
    expect(parseYaml(configMap.data['collector.yaml'])).toBeTruthy();
    expect(wiringProblems(objects)).toEqual([
      'otlp-http: binds localhost, which other pods cannot reach',
      'health: listens on 13134, the container port is 13133',
      "readinessProbe is not on the health_check extension's port",
      `${envReference('TEMPO_ENDPOINT')} is not a variable of the container`,
    ]);
  });
});
