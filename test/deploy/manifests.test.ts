/**
 * Proof 1: every overlay renders with `kubectl kustomize` alone, and every rendered object is
 * valid for its kind — kubernetes-models' JSON schemas (Kubernetes 1.27 API and the Prometheus
 * Operator CRDs), plus a strict unknown-field check; CloudNativePG objects against the typed
 * subset in support/cloudnative-pg.ts.
 */
import { loadConfig } from '@voting/runtime';
import { describe, expect, test } from 'vitest';
import { cnpgPgbouncerParameters } from './support/cloudnative-pg.ts';
import { find, type K8sObject, key, overlays, render } from './support/manifests.ts';
import { fieldProblems, schemaProblems } from './support/schemas.ts';
import { serviceConfigs } from './support/services.ts';

describe.each(['base', ...overlays.map((overlay) => `overlays/${overlay}`)])('%s', (directory) => {
  test('renders with kubectl kustomize, with unique names', () => {
    const objects = render(directory);
    expect(objects.length).toBeGreaterThan(10);
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

  test('the database owner comes from a Secret that is not in the repository', () => {
    const secret = cluster.spec.bootstrap.initdb.secret.name;
    expect(
      objects.filter((object) => object.kind === 'Secret').map((object) => object.metadata.name),
    ).not.toContain(secret);
  });
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

  test('believes X-Forwarded-For from the ingress controller only: TRUSTED_PROXIES, a value its config parser takes', () => {
    const { config } = serviceContainer('overlays/production', name);
    expect(config.TRUSTED_PROXIES).toBe('10.0.0.0/8');
    const env = { DATABASE_URL: 'postgres://x', VOTER_KEY_SECRET: 'x'.repeat(16), ...config };
    expect(loadConfig(serviceConfigs[name], env).TRUSTED_PROXIES).toBe('10.0.0.0/8');
    // Without the Ingress there is no proxy to believe.
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
