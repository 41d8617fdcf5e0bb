/**
 * Proof 1: every overlay renders with `kubectl kustomize` alone, and every rendered object is
 * valid for its kind — kubernetes-models' JSON schemas (Kubernetes 1.27 API and the Prometheus
 * Operator CRDs), plus a strict unknown-field check; CloudNativePG objects against the typed
 * subset in support/cloudnative-pg.ts.
 */
import { loadConfig } from '@voting/runtime';
import { describe, expect, test } from 'vitest';
import { BARMAN_PLUGIN, cnpgPgbouncerParameters } from './support/cloudnative-pg.ts';
import {
  find,
  type K8sObject,
  key,
  overlays,
  render,
  renderWith,
  workloadKinds,
} from './support/manifests.ts';
import { fieldProblems, schemaProblems } from './support/schemas.ts';
import { serviceConfigs } from './support/services.ts';

describe.each(['base', ...overlays.map((overlay) => `overlays/${overlay}`)])('%s', (directory) => {
  test('renders with kubectl kustomize, with unique names', () => {
    const objects = render(directory);
    expect(objects.length).toBeGreaterThan(directory.endsWith('restore-drill') ? 3 : 10);
    const keys = objects.map(key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('every object is valid for its kind, with no unknown field', () => {
    const problems = render(directory).flatMap((object) =>
      [...schemaProblems(object), ...fieldProblems(object)].map(
        (problem) => `${key(object)}: ${problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const deployment = () => structuredClone(find(render('base'), 'Deployment', 'vote'));

  test('a misspelt field is refused', () => {
    const typo = deployment();
    typo.spec.template.spec.containers[0].readinesProbe =
      typo.spec.template.spec.containers[0].readinessProbe;
    expect(fieldProblems(typo)).toEqual([
      '/spec/template/spec/containers[0]/readinesProbe: no such field',
    ]);
  });

  test('a wrongly typed value is refused', () => {
    const wrong = deployment();
    wrong.spec.replicas = 'two';
    expect(schemaProblems(wrong).join()).toMatch(/replicas must be integer/);
  });

  test('a CloudNativePG field outside the API is refused', () => {
    const pooler = structuredClone(
      find(render('overlays/production'), 'Pooler', 'voting-db-pooler-rw'),
    );
    pooler.spec.pgbouncer.poolMode = 'statement';
    pooler.spec.pgbouncer.pool_mode = 'transaction';
    expect(fieldProblems(pooler)).toEqual([
      '/spec/pgbouncer/poolMode: "statement" is not a "session" | "transaction"',
      '/spec/pgbouncer/pool_mode: no such field',
    ]);
  });
});

describe('production database (CloudNativePG)', () => {
  const objects = render('overlays/production');
  const cluster = find(objects, 'Cluster', 'voting-db');
  const pooler = find(objects, 'Pooler', 'voting-db-pooler-rw');

  test('a 3-instance cluster behind a read-write PgBouncer pooler in transaction mode', () => {
    expect(cluster.spec.instances).toBe(3);
    expect(pooler.spec.cluster.name).toBe(cluster.metadata.name);
    expect(pooler.spec.type).toBe('rw');
    expect(pooler.spec.pgbouncer.poolMode).toBe('transaction');
    // The operator refuses a pooler named like a cluster.
    expect(pooler.metadata.name).not.toBe(cluster.metadata.name);
  });

  test('the pooler sets only parameters CloudNativePG accepts, and keeps prepared statements working', () => {
    const parameters = Object.keys(pooler.spec.pgbouncer.parameters);
    expect(parameters.filter((name) => !cnpgPgbouncerParameters.has(name))).toEqual([]);
    // The services use named prepared statements (pg `name:` queries).
    expect(Number(pooler.spec.pgbouncer.parameters.max_prepared_statements)).toBeGreaterThan(0);
  });

  test('the operator makes the owner’s password (voting-db-app), and every connection string comes from it', () => {
    expect(cluster.spec.bootstrap.initdb).toEqual({ database: 'voting', owner: 'voting' });
    const refs = JSON.stringify(objects.filter((o) => workloadKinds.includes(o.kind)));
    expect(refs).not.toContain('voting-database');
    const env = (kind: string, name: string) =>
      Object.fromEntries(
        find(objects, kind, name).spec.template.spec.containers[0].env.map(
          (v: { name: string; value?: string; valueFrom?: { secretKeyRef: unknown } }) => [
            v.name,
            v.value ?? v.valueFrom?.secretKeyRef,
          ],
        ),
      );
    const password = { name: 'voting-db-app', key: 'password' };
    const primary = { name: 'voting-db-app', key: 'uri' };
    const pooled = 'postgresql://voting:$(VOTING_DB_PASSWORD)@voting-db-pooler-rw:5432/voting';
    for (const name of ['vote', 'result', 'worker']) {
      const variables = env('Deployment', name);
      // $(…) expands only variables defined earlier in the list.
      expect(Object.keys(variables).indexOf('VOTING_DB_PASSWORD'), name).toBeLessThan(
        Object.keys(variables).indexOf('DATABASE_URL'),
      );
      expect(variables.VOTING_DB_PASSWORD, name).toEqual(password);
      expect(variables.DATABASE_URL, name).toBe(pooled);
      if (name !== 'vote') expect(variables.DATABASE_LISTEN_URL, name).toEqual(primary);
    }
    const migrate = objects.find((o) => o.kind === 'Job') as K8sObject;
    expect(env('Job', migrate.metadata.name).DATABASE_URL).toEqual(primary);
  });

  test('no acknowledged vote lost on failover: quorum synchronous replication, required durability', () => {
    expect(cluster.spec.postgresql.synchronous).toEqual({
      method: 'any',
      number: 1,
      dataDurability: 'required',
      failoverQuorum: true,
    });
    // ANY 1 of the other instances: one may be down and commits still return.
    expect(cluster.spec.instances - 1).toBeGreaterThan(cluster.spec.postgresql.synchronous.number);
    expect(cluster.spec.monitoring).toBeUndefined();
  });

  test('WAL archiving and nightly base backups through the Barman Cloud plugin', () => {
    const store = find(objects, 'ObjectStore', 'voting-backups');
    expect(cluster.spec.plugins).toEqual([
      {
        name: BARMAN_PLUGIN,
        isWALArchiver: true,
        parameters: { barmanObjectName: store.metadata.name, serverName: 'voting-db' },
      },
    ]);
    expect(store.spec.configuration.s3Credentials.accessKeyId.name).toBe(
      'voting-backup-credentials',
    );
    const backup = find(objects, 'ScheduledBackup', 'voting-db-nightly');
    expect(backup.spec).toMatchObject({
      cluster: { name: 'voting-db' },
      method: 'plugin',
      pluginConfiguration: { name: BARMAN_PLUGIN },
      immediate: true,
    });
    expect(backup.spec.schedule.split(' ')).toHaveLength(6);
  });

  test('the migrations Job is named after the release’s tag and cleans itself up', () => {
    const jobs = objects.filter((o) => o.kind === 'Job');
    expect(jobs.map((job) => job.metadata.name)).toEqual(['migrate-0.1.0']);
    expect(jobs[0]?.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(jobs[0]?.spec.template.spec.containers[0].image).toBe(
      'registry.example.com/voting/vote:0.1.0',
    );
    expect(
      find(render('overlays/local'), 'Job', 'migrate-dev').spec.template.spec.containers[0].image,
    ).toBe('localhost/voting/vote:dev');
  });
});

describe('restore drill (point-in-time-recovery component)', () => {
  const objects = render('overlays/restore-drill');
  const cluster = find(objects, 'Cluster', 'voting-db');

  test('bootstraps one instance from the production backups up to a target time, and writes nothing back', () => {
    expect(cluster.spec.bootstrap.initdb).toBeUndefined();
    expect(cluster.spec.bootstrap.recovery).toMatchObject({ source: 'origin', database: 'voting' });
    expect(
      Number.isNaN(Date.parse(cluster.spec.bootstrap.recovery.recoveryTarget.targetTime)),
    ).toBe(false);
    expect(cluster.spec.externalClusters).toEqual([
      {
        name: 'origin',
        plugin: {
          name: BARMAN_PLUGIN,
          parameters: { barmanObjectName: 'voting-backups', serverName: 'voting-db' },
        },
      },
    ]);
    expect(cluster.spec.instances).toBe(1);
    expect(cluster.spec.plugins).toBeUndefined();
    expect(cluster.spec.postgresql.synchronous).toBeUndefined();
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Cluster',
      'Namespace',
      'NetworkPolicy',
      'NetworkPolicy',
      'ObjectStore',
    ]);
  });

  test('used for a recovery in place, the restored cluster archives under a new folder', () => {
    const restored = find(
      renderWith('overlays/production', ['components/point-in-time-recovery']),
      'Cluster',
      'voting-db',
    );
    expect(restored.spec.plugins[0].parameters.serverName).not.toBe(
      restored.spec.externalClusters[0].plugin.parameters.serverName,
    );
  });
});

test('the optional worker autoscaling renders, is valid, and scales on a metric the worker exports', () => {
  const objects = renderWith('overlays/production', ['components/worker-autoscaling']);
  const scaled = find(objects, 'ScaledObject', 'worker');
  expect([...schemaProblems(scaled), ...fieldProblems(scaled)]).toEqual([]);
  expect(scaled.spec.triggers[0].metadata.query).toContain('worker_pending_changes{');
  expect(find(objects, 'Deployment', 'worker').spec.replicas).toBeUndefined();
});

/** A service's container in a rendered directory, and the ConfigMap its envFrom names. */
function serviceContainer(directory: string, name: 'vote' | 'result') {
  const objects = render(directory);
  const container = find(objects, 'Deployment', name).spec.template.spec.containers.find(
    (c: { name: string }) => c.name === name,
  );
  const configMapName = container.envFrom[0].configMapRef.name;
  const configMap = find(objects, 'ConfigMap', configMapName) as K8sObject;
  const secretRef = (variable: string) =>
    container.env.find((e: { name: string }) => e.name === variable)?.valueFrom?.secretKeyRef;
  return { config: configMap.data as Record<string, string>, secretRef };
}

describe.each(['vote', 'result'] as const)('%s in production', (name) => {
  test('requires ADMIN_API_KEY, which the base and the local overlay read optionally', () => {
    // The local overlay generates voting-secrets (name hashed), without an admin-api-key.
    const key = { name: expect.stringMatching(/^voting-secrets(-\w+)?$/), key: 'admin-api-key' };
    expect(serviceContainer('overlays/production', name).secretRef('ADMIN_API_KEY')).toEqual({
      ...key,
      optional: false,
    });
    for (const directory of ['base', 'overlays/local'])
      expect(serviceContainer(directory, name).secretRef('ADMIN_API_KEY')).toEqual({
        ...key,
        optional: true,
      });
  });

  test('believes X-Forwarded-For from the Gateway’s proxies only: TRUSTED_PROXIES, a value its config parser takes', () => {
    const { config } = serviceContainer('overlays/production', name);
    expect(config.TRUSTED_PROXIES).toBe('10.0.0.0/8');
    const env = { DATABASE_URL: 'postgres://x', VOTER_KEY_SECRET: 'x'.repeat(16), ...config };
    expect(loadConfig(serviceConfigs[name], env).TRUSTED_PROXIES).toBe('10.0.0.0/8');
    // Without the Gateway there is no proxy to believe.
    expect(serviceContainer('base', name).config.TRUSTED_PROXIES).toBeUndefined();
    expect(serviceContainer('overlays/local', name).config.TRUSTED_PROXIES).toBeUndefined();
  });
});

test('production caps streams per client address below the replica’s cap, now that the address is the client’s', () => {
  const { config } = serviceContainer('overlays/production', 'result');
  expect(Number(config.STREAM_MAX_CLIENTS_PER_ADDRESS)).toBe(1000);
  expect(Number(config.STREAM_MAX_CLIENTS_PER_ADDRESS)).toBeLessThan(
    Number(config.STREAM_MAX_CLIENTS),
  );
});
