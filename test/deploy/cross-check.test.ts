/**
 * Proof 3: the manifests and the code agree. Probe paths answer as the probes expect on the real
 * apps, ports match the services' PORT and METRICS_PORT (scraped, never exposed by a Service),
 * every variable a container gets is one its code reads (and every required one is there), drains
 * fit in the grace period, and every metric an alert or the dashboard queries is one the services
 * export.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createPool } from '@voting/db';
import { metricsPort } from '@voting/service';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { testResultApp, testVoteApp, testWorkerApp } from '../support/apps.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  find,
  type K8sObject,
  k8sRoot,
  podTemplates,
  render,
  serviceOverlays,
} from './support/manifests.ts';
import {
  exportedLabelNames,
  exportedMetricNames,
  labelNames,
  metricNames,
} from './support/promql.ts';
import {
  containerVariableRules,
  metricsAfterTraffic,
  type RunningServices,
  serviceConfigs,
  serviceNames,
  startServices,
} from './support/services.ts';
import { repositoryRoot } from './support/tools.ts';

/**
 * Series that come from outside the services: Prometheus itself, kube-state-metrics, the kubelet
 * (kube-prometheus-stack scrapes both), CloudNativePG 1.30's exporter (its collector and default
 * queries, config/manager/default-monitoring.yaml) and plugin-barman-cloud 0.14 ("Observability").
 */
const externalMetrics = new Set([
  'up',
  'kube_pod_container_status_restarts_total',
  'kubelet_volume_stats_available_bytes',
  'kubelet_volume_stats_capacity_bytes',
  'cnpg_collector_up',
  'cnpg_pg_replication_lag',
  'cnpg_pg_replication_in_recovery',
  'cnpg_pg_replication_is_wal_receiver_up',
  'cnpg_pg_replication_streaming_replicas',
  'cnpg_pg_stat_archiver_last_archived_time',
  'cnpg_pg_stat_archiver_last_failed_time',
  'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
]);
/** Labels Prometheus adds to every series it scrapes through the PodMonitor. */
const targetLabels = new Set([
  'namespace',
  'pod',
  'container',
  'job',
  'instance',
  'endpoint',
  'le',
  'persistentvolumeclaim',
]);

let database: TestDatabase;
let services: RunningServices;
const metricsPages = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  services = await startServices(database);
  for (const name of serviceNames)
    metricsPages.set(name, await metricsAfterTraffic(services, name));
});

afterAll(async () => {
  await services?.close();
  await database?.drop();
});

const defaultPort = (service: string) =>
  (serviceConfigs[service as keyof typeof serviceConfigs]?.PORT as { default?: number })?.default;

/** The variables a container receives: env entries and every key of its envFrom ConfigMaps/Secrets. */
function containerVariables(
  objects: K8sObject[],
  container: { env?: { name: string }[]; envFrom?: unknown[] },
): string[] {
  const names = (container.env ?? []).map((variable) => variable.name);
  for (const source of (container.envFrom ?? []) as {
    configMapRef?: { name: string };
    secretRef?: { name: string };
  }[]) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = objects.find((o) => o.kind === kind && o.metadata.name === ref?.name);
    if (!object) throw new Error(`envFrom names a missing ${kind} ${ref?.name}`);
    names.push(...Object.keys(object.data ?? {}));
  }
  return names;
}

function variableValue(
  objects: K8sObject[],
  container: { env?: { name: string; value?: string }[]; envFrom?: unknown[] },
  name: string,
) {
  const literal = container.env?.find((variable) => variable.name === name)?.value;
  if (literal !== undefined) return literal;
  for (const source of (container.envFrom ?? []) as { configMapRef?: { name: string } }[]) {
    const configMap = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef?.name,
    );
    if (configMap?.data?.[name] !== undefined) return configMap.data[name] as string;
  }
  return undefined;
}

describe.each(serviceOverlays)('overlay %s against the code', (overlay) => {
  const objects = render(`overlays/${overlay}`);
  const containers = podTemplates(objects).flatMap(({ owner, spec }) =>
    // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
    spec.containers.map((container: any) => ({ owner, spec, container })),
  );

  test('every variable is one the container’s code reads, and none it requires is missing', () => {
    const problems: string[] = [];
    for (const { owner, container } of containers) {
      const rules = containerVariableRules(container.name);
      const given = containerVariables(objects, container);
      // A variable only the kubelet reads, to expand `$(NAME)` in another one (the database
      // password inside production's connection string), is no setting of the process.
      const expandedOnly = new Set(
        (container.env ?? []).flatMap((v: { value?: string }) =>
          [...(v.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((m) => m[1]),
        ),
      );
      for (const name of given)
        if (!rules.known.has(name) && !expandedOnly.has(name))
          problems.push(`${owner.metadata.name}/${container.name}: ${name} is read by nothing`);
      for (const name of rules.required)
        if (!given.includes(name))
          problems.push(`${owner.metadata.name}/${container.name}: ${name} is required`);
    }
    expect(problems).toEqual([]);
  });

  test.each(serviceNames)(
    '%s: container ports are the service’s PORT and METRICS_PORT, probes hit its health routes',
    async (name) => {
      const { container } =
        containers.find((c) => c.owner.kind === 'Deployment' && c.container.name === name) ?? {};
      const port = Number(variableValue(objects, container, 'PORT') ?? defaultPort(name));
      const metricsVariable = variableValue(objects, container, 'METRICS_PORT');
      const metrics = metricsPort({
        PORT: port,
        METRICS_PORT: metricsVariable === undefined ? undefined : Number(metricsVariable),
      });
      expect(container.ports).toEqual([
        { name: 'http', containerPort: port },
        { name: 'metrics', containerPort: metrics },
      ]);
      const probes = {
        startup: container.startupProbe.httpGet,
        readiness: container.readinessProbe.httpGet,
        liveness: container.livenessProbe.httpGet,
      };
      // Distinct meanings: started and alive = the process answers; ready = it can serve.
      expect({
        startup: probes.startup.path,
        readiness: probes.readiness.path,
        liveness: probes.liveness.path,
      }).toEqual({
        startup: '/livez',
        readiness: '/readyz',
        liveness: '/livez',
      });
      for (const probe of Object.values(probes)) {
        expect(probe.port === 'http' || probe.port === port).toBe(true);
        const response = await services.apps[name].inject({ method: 'GET', url: probe.path });
        expect(response.statusCode, `${name} ${probe.path}`).toBe(200);
      }
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
      if (service) expect(service.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    },
  );

  test('/metrics is scraped from the pods’ metrics port, which no Service (so no route) exposes', () => {
    // The services' PodMonitor (the database's scrape the operator's pods: monitoring.yaml).
    const podMonitors = objects.filter(
      (o) => o.kind === 'PodMonitor' && o.metadata.name === 'voting',
    );
    for (const monitor of podMonitors) {
      expect(monitor.spec.podMetricsEndpoints).toEqual([
        expect.objectContaining({ port: 'metrics', path: '/metrics' }),
      ]);
      for (const name of serviceNames) {
        const { container } =
          containers.find((c) => c.owner.kind === 'Deployment' && c.container.name === name) ?? {};
        expect(
          container.ports.map((p: { name: string }) => p.name),
          name,
        ).toContain('metrics');
      }
    }
    const metricsPorts = new Set<number | string>(['metrics']);
    for (const { container } of containers)
      for (const p of container.ports ?? [])
        if (p.name === 'metrics') metricsPorts.add(p.containerPort);
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      for (const p of service.spec.ports ?? []) {
        expect(metricsPorts.has(p.targetPort ?? p.port), `${service.metadata.name}`).toBe(false);
        expect(p.name, service.metadata.name).not.toBe('metrics');
      }
    }
    // Scraping is let in on the metrics port only; the ingress controller never reaches it.
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    for (const policy of policies) {
      const ports = (policy.spec.ingress ?? []).flatMap(
        (rule: { ports?: { port: number | string }[] }) => (rule.ports ?? []).map((p) => p.port),
      );
      if (policy.metadata.name === 'metrics-scrape') expect(ports).toEqual(['metrics']);
      else if (policy.metadata.name !== 'database-ingress')
        expect(ports.some((p: number | string) => metricsPorts.has(p))).toBe(false);
    }
  });

  test('each service’s grace period outlasts its preStop pause plus its drain (SHUTDOWN_TIMEOUT_MS)', () => {
    for (const name of serviceNames) {
      const { spec, container } =
        containers.find((c) => c.owner.kind === 'Deployment' && c.container.name === name) ?? {};
      const drainMs = Number(variableValue(objects, container, 'SHUTDOWN_TIMEOUT_MS') ?? 10_000);
      const pause = container.lifecycle?.preStop?.exec?.command;
      const pauseSeconds = pause?.[0] === 'sleep' ? Number(pause[1]) : 0;
      expect(spec.terminationGracePeriodSeconds, name).toBeGreaterThan(
        pauseSeconds + drainMs / 1000,
      );
    }
  });

  test('LISTEN connections and the migrations go to the primary, the rest through the pooler if any', () => {
    const env = (name: string, owner: string) =>
      containers
        .find((c) => c.owner.metadata.labels?.['app.kubernetes.io/name'] === owner)
        ?.container.env.find((v: { name: string }) => v.name === name);
    const direct = overlay === 'production' ? 'uri' : 'direct-url';
    for (const service of ['result', 'worker'])
      expect(env('DATABASE_LISTEN_URL', service)?.valueFrom.secretKeyRef.key, service).toBe(direct);
    expect(env('DATABASE_URL', 'migrate')?.valueFrom.secretKeyRef.key).toBe(direct);
    if (overlay === 'production')
      expect(env('DATABASE_URL', 'result')?.value).toContain('@voting-db-pooler-rw:5432/');
    else expect(env('DATABASE_URL', 'result')?.valueFrom.secretKeyRef.key).toBe('url');
  });
});

test('/livez never touches the database; /readyz says when it cannot be reached, within 1 s, naming no address', async () => {
  // A port that refuses, and one that accepts and then never answers (a frozen database).
  const silent = net.createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as net.AddressInfo).port;
  for (const deadUrl of [
    'postgres://nobody@127.0.0.1:1/nothing',
    `postgres://nobody@127.0.0.1:${silentPort}/nothing`,
  ]) {
    const pool = createPool({ connectionString: deadUrl, max: 1 });
    const apps = [
      await testVoteApp(deadUrl, pool),
      await testWorkerApp(deadUrl, pool).then((worker) => worker.app),
      await testResultApp(deadUrl, pool),
    ];
    try {
      for (const app of apps) {
        expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
        const started = performance.now();
        const ready = await app.inject({ method: 'GET', url: '/readyz' });
        expect(performance.now() - started).toBeLessThan(1000);
        expect(ready.statusCode).toBe(503);
        expect(ready.json().error).toBe('not_ready');
        expect(ready.body).not.toMatch(/127\.0\.0\.1|:1\b|nobody|nothing|ECONNREFUSED/);
        expect(ready.body).not.toContain(String(silentPort));
      }
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await pool.end().catch(() => undefined);
    }
  }
  silent.close();
});

test('/metrics is not served on the services’ own port', async () => {
  for (const name of serviceNames) {
    const answer = await services.apps[name].inject({ method: 'GET', url: '/metrics' });
    expect(answer.statusCode, name).toBe(404);
    expect(answer.json(), name).toMatchObject({ error: 'not_found' });
    const metrics = await fetch(`${services.metricsUrls[name]}/readyz`);
    expect(metrics.status, name).toBe(404);
  }
});

describe('alerts and dashboard against the exported metrics', () => {
  // Every rule the production overlay ships: the services', the SLO's and the database's.
  const rules: { alert?: string; record?: string; expr: string }[] = render('overlays/production')
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o) => o.spec.groups.flatMap((group: { rules: unknown[] }) => group.rules));
  const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
  const alerts = rules.filter((rule) => rule.alert) as { alert: string; expr: string }[];
  const dashboard = JSON.parse(
    readFileSync(
      path.join(k8sRoot, 'components/prometheus-operator/dashboards/voting.json'),
      'utf8',
    ),
  );
  const queries: { where: string; expr: string }[] = [
    ...rules.map((rule) => ({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr })),
    ...dashboard.panels.flatMap((panel: { title: string; targets?: { expr: string }[] }) =>
      (panel.targets ?? []).map((target) => ({
        where: `panel "${panel.title}"`,
        expr: target.expr,
      })),
    ),
  ];

  const exported = () =>
    new Set([...metricsPages.values()].flatMap((page) => [...exportedMetricNames(page)]));
  const labels = () =>
    new Set([...metricsPages.values()].flatMap((page) => [...exportedLabelNames(page)]));

  test('the services export the metrics the issue names', () => {
    const names = exported();
    for (const name of [
      'worker_heartbeat',
      'worker_pending_changes',
      'worker_oldest_pending_change_age_seconds',
      'http_request_duration_seconds_count',
      'result_stream_clients',
      'voting_votes_total',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  test('every metric an alert or a panel queries is exported (or is Prometheus’ / kube-state-metrics’)', () => {
    const names = exported();
    const unknown = queries.flatMap(({ where, expr }) =>
      [...metricNames(expr)]
        .filter((name) => !names.has(name) && !externalMetrics.has(name) && !recorded.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(queries.length).toBeGreaterThan(15);
    expect(unknown).toEqual([]);
  });

  test('every label an alert or a panel uses is on the series (or added by the scrape)', () => {
    const known = labels();
    const unknown = queries.flatMap(({ where, expr }) =>
      [...labelNames(expr)]
        .filter((name) => !known.has(name) && !targetLabels.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  test('the metric-name reader sees through PromQL', () => {
    expect([
      ...metricNames(
        'sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/livez"}[5m])) > 0 unless up == 0',
      ),
    ]).toEqual(['http_request_duration_seconds_bucket', 'up']);
  });

  test('every alert has a runbook entry under its name in docs/runbook.md, linked absolutely from one base', () => {
    const runbook = readFileSync(path.join(repositoryRoot, 'docs/runbook.md'), 'utf8');
    const headings = new Set([...runbook.matchAll(/^## (\S+)$/gm)].map((match) => match[1]));
    const settings = parseYaml(
      readFileSync(path.join(k8sRoot, 'components/prometheus-operator/settings.yaml'), 'utf8'),
    );
    const base: string = settings.data.runbookBaseUrl;
    expect(base).toMatch(/^https:\/\/[^#]+$/);
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML
    for (const alert of alerts as any[]) {
      expect(headings, alert.alert).toContain(alert.alert);
      expect(alert.annotations.runbook_url).toBe(`${base}#${alert.alert.toLowerCase()}`);
    }
    // And no heading without its alert.
    expect([...headings].sort()).toEqual(alerts.map((alert) => alert.alert).sort());
  });
});

test('the dashboard is importable Grafana JSON with the panels the issue asks for', () => {
  const dashboard = JSON.parse(
    readFileSync(
      path.join(k8sRoot, 'components/prometheus-operator/dashboards/voting.json'),
      'utf8',
    ),
  );
  expect(dashboard.uid).toBe('voting-overview');
  expect(dashboard.templating.list.map((variable: { name: string }) => variable.name)).toEqual([
    'datasource',
    'namespace',
  ]);
  const titles = dashboard.panels.map((panel: { title: string }) => panel.title).join(' | ');
  for (const topic of [
    'Votes accepted per second',
    'latency',
    'Backlog',
    'Lag',
    'Stream clients',
    'Error',
  ])
    expect(titles).toContain(topic);
  const ids = dashboard.panels.map((panel: { id: number }) => panel.id);
  expect(new Set(ids).size).toBe(ids.length);
  const configMap = find(render('overlays/production'), 'ConfigMap', 'voting-grafana-dashboard');
  expect(JSON.parse(configMap.data['voting.json'])).toEqual(dashboard);
});
