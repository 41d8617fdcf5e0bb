/**
 * Proof 4: promtool accepts the alert rules the production overlay ships (the services', the vote
 * SLO's, the database's: PrometheusRules as rendered, runbook URLs and labels filled in), their
 * unit tests pass (each alert fires on its fault and stays silent on the healthy case, including
 * the cases that once fired wrongly), every selector is scoped to this deployment, and each
 * running service's /metrics (on its metrics port) passes `promtool check metrics`. Needs
 * promtool (Debian package `prometheus`): fails, never skips.
 */
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { find, render } from './support/manifests.ts';
import { vectorSelectors } from './support/promql.ts';
import {
  metricsAfterTraffic,
  type RunningServices,
  serviceNames,
  startServices,
} from './support/services.ts';
import { promtool, repositoryRoot, run } from './support/tools.ts';

const promClientFindings = new Set(
  [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ].map((name) => `${name} non-counter metrics should not have "_total" suffix`),
);

const testsDirectory = path.join(repositoryRoot, 'deploy/prometheus');
const testFiles = readdirSync(testsDirectory).filter((file) => file.endsWith('.test.yaml'));
const workDirectory = mkdtempSync(path.join(tmpdir(), 'voting-promtool-'));
afterAll(() => rmSync(workDirectory, { recursive: true, force: true }));

const production = render('overlays/production');
const ruleObjects = production.filter((o) => o.kind === 'PrometheusRule');
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML
const rules: any[] = ruleObjects.flatMap((o) =>
  o.spec.groups.flatMap((group: { rules: unknown[] }) => group.rules),
);
const alertNames = rules.flatMap((rule) => (rule.alert ? [rule.alert] : []));

describe('alert rules', () => {
  // promtool wants each PrometheusRule's spec as a plain rule file: <name>.rules.yaml.
  beforeAll(() => {
    for (const object of ruleObjects)
      writeFileSync(
        path.join(workDirectory, `${object.metadata.name}.rules.yaml`),
        stringifyYaml(object.spec),
      );
    for (const file of testFiles)
      copyFileSync(path.join(testsDirectory, file), path.join(workDirectory, file));
  });

  test('promtool check rules', () => {
    const files = ruleObjects.map((o) => `${o.metadata.name}.rules.yaml`);
    const result = run(promtool(), ['check', 'rules', ...files], { cwd: workDirectory });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(files.sort()).toEqual([
      'voting-alerts.rules.yaml',
      'voting-database-alerts.rules.yaml',
      'voting-slo.rules.yaml',
    ]);
    expect(rules).toHaveLength(8 + 4 + 14 + 9);
  });

  test.each(testFiles)('promtool test rules %s', (file) => {
    const result = run(promtool(), ['test', 'rules', file], { cwd: workDirectory });
    expect(result.stdout + result.stderr, result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  test('every alert has a test in which it fires', () => {
    const firing = new Set(
      testFiles.flatMap((file) =>
        parseYaml(readFileSync(path.join(testsDirectory, file), 'utf8')).tests.flatMap(
          (t: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }) =>
            (t.alert_rule_test ?? [])
              .filter((check) => check.exp_alerts.length > 0)
              .map((check) => check.alertname),
        ),
      ),
    );
    expect([...firing].sort()).toEqual([...alertNames].sort());
  });

  test('every selector names this deployment: namespace, and the job for scraped series', () => {
    const unscoped = rules.flatMap((rule) =>
      vectorSelectors(rule.expr)
        .filter(
          ({ name, matchers }) =>
            matchers.namespace !== 'voting' || (!name.includes(':') && matchers.job === undefined),
        )
        .map(({ name }) => `${rule.alert ?? rule.record}: ${name}`),
    );
    expect(unscoped).toEqual([]);
    // The job the services' alerts name is the one the PodMonitor gives its targets.
    const monitor = find(production, 'PodMonitor', 'voting');
    expect(`${monitor.metadata.namespace}/${monitor.metadata.name}`).toBe('voting/voting');
  });

  test('the scope check sees an unscoped selector', () => {
    expect(
      vectorSelectors(
        'increase(kube_pod_container_status_restarts_total{container=~"worker"}[15m]) > 2',
      ),
    ).toEqual([
      { name: 'kube_pod_container_status_restarts_total', matchers: { container: 'worker' } },
    ]);
  });

  test('a broken threshold makes the unit tests fail (they test something)', () => {
    const original = readFileSync(path.join(workDirectory, 'voting-alerts.rules.yaml'), 'utf8');
    const broken = original.replace(
      'time() - worker_heartbeat{namespace="voting", job="voting/voting"} > 60',
      'time() - worker_heartbeat{namespace="voting", job="voting/voting"} > 600',
    );
    expect(broken).not.toBe(original);
    writeFileSync(path.join(workDirectory, 'voting-alerts.rules.yaml'), broken);
    try {
      const result = run(promtool(), ['test', 'rules', 'alerts.test.yaml'], { cwd: workDirectory });
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toMatch(/VotingWorkerHeartbeatStale/);
    } finally {
      writeFileSync(path.join(workDirectory, 'voting-alerts.rules.yaml'), original);
    }
  });

  test('the PodMonitors and PrometheusRules carry the release label a default kube-prometheus-stack selects', () => {
    const settings = parseYaml(
      readFileSync(
        path.join(repositoryRoot, 'deploy/k8s/components/prometheus-operator/settings.yaml'),
        'utf8',
      ),
    );
    const monitoring = production.filter((o) => ['PodMonitor', 'PrometheusRule'].includes(o.kind));
    expect(monitoring.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'PodMonitor/voting',
      'PodMonitor/voting-db',
      'PodMonitor/voting-db-pooler-rw',
      'PrometheusRule/voting-alerts',
      'PrometheusRule/voting-database-alerts',
      'PrometheusRule/voting-slo',
    ]);
    for (const object of monitoring)
      expect(object.metadata.labels?.release, object.metadata.name).toBe(settings.data.release);
    // The settings are for kustomize only: never applied to the cluster.
    expect(production.some((o) => o.metadata.name === 'monitoring-settings')).toBe(false);
  });
});

describe('promtool check metrics on each service', () => {
  let database: TestDatabase;
  let services: RunningServices;
  beforeAll(async () => {
    database = await createTestDatabase();
    services = await startServices(database);
  });
  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  test.each(serviceNames)('%s /metrics', async (name) => {
    const page = await metricsAfterTraffic(services, name);
    expect(page).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    const result = run(promtool(), ['check', 'metrics'], { input: page });
    // Exit 1 is a malformed page; exit 3 lists naming-convention findings, one per line. The only
    // ones allowed are on prom-client's built-in gauges (not this project's to rename).
    expect(result.status, result.stderr).not.toBe(1);
    const findings = (result.stdout + result.stderr).split('\n').filter(Boolean);
    expect(findings.filter((line) => !promClientFindings.has(line))).toEqual([]);
  });
});
