/**
 * Proof 2: the project's policy holds over every rendered overlay — hardened pods, requests and
 * limits, probes, pinned images, no secret in plain text, selectors that select something — and
 * each rule really catches what it is meant to (the last block breaks a copy on purpose).
 */
import { describe, expect, test } from 'vitest';
import {
  find,
  type K8sObject,
  overlays,
  render,
  selects,
  serviceOverlays,
} from './support/manifests.ts';
import {
  fullyQualified,
  imageTag,
  secretViolations,
  selectorViolations,
  workloadViolations,
} from './support/policy.ts';

describe.each(overlays)('overlay %s', (overlay) => {
  const objects = render(`overlays/${overlay}`);

  test('every pod and container is hardened, sized, probed and pinned', () => {
    expect(workloadViolations(objects)).toEqual([]);
  });

  test('no secret in plain text', () => {
    expect(secretViolations(objects)).toEqual([]);
  });

  test('every Service, NetworkPolicy, PodDisruptionBudget, HPA and route points at something that exists', () => {
    expect(selectorViolations(objects)).toEqual([]);
  });

  test('the namespace enforces the restricted Pod Security Standard', () => {
    const [namespace, ...others] = objects.filter((o) => o.kind === 'Namespace');
    expect(others).toEqual([]);
    expect(namespace?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(
      objects
        .filter((o) => o.kind !== 'Namespace')
        .every((o) => o.metadata.namespace === namespace?.metadata.name),
    ).toBe(true);
  });
});

describe.each(serviceOverlays)('overlay %s', (overlay) => {
  const objects = render(`overlays/${overlay}`);

  test('each service spreads over nodes and zones and has a PodDisruptionBudget', () => {
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const name of ['vote', 'result', 'worker']) {
      const deployment = find(objects, 'Deployment', name);
      const keys = deployment.spec.template.spec.topologySpreadConstraints.map(
        (c: { topologyKey: string }) => c.topologyKey,
      );
      expect(keys, name).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      const labels = deployment.spec.template.metadata.labels;
      expect(
        budgets.filter((budget) => selects(budget.spec.selector, labels)),
        name,
      ).toHaveLength(1);
    }
  });
});

describe('production', () => {
  const objects = render('overlays/production');

  test('carries no Secret at all: they are created out of band', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('runs several workers (safe: batches are claimed with SKIP LOCKED) and autoscales vote and result', () => {
    expect(find(objects, 'Deployment', 'worker').spec.replicas).toBeGreaterThan(1);
    const scaled = objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => o.spec.scaleTargetRef.name);
    expect(scaled.sort()).toEqual(['result', 'vote']);
  });

  test('turns every component on but the optional worker autoscaling and tracing, and no Ingress', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      'NetworkPolicy',
      'PodMonitor',
      'PrometheusRule',
      'HorizontalPodAutoscaler',
      'Gateway',
      'HTTPRoute',
      'Certificate',
      'ObjectStore',
      'ScheduledBackup',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(kinds).not.toContain('Ingress');
    expect(kinds).not.toContain('ScaledObject');
    // Tracing needs a backend this repository does not install (docs/deploy.md, "Tracing").
    expect(objects.filter((o) => o.metadata.name.startsWith('otel-collector'))).toEqual([]);
    expect(
      find(objects, 'Deployment', 'loadgenerator').spec.template.spec.containers[0].command,
    ).toEqual(['node', 'dist/load-client.js']);
  });

  test('default-denies ingress and egress (the flows it then allows: flows.test.ts)', () => {
    const deny = find(objects, 'NetworkPolicy', 'default-deny');
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('the HTTPRoute sends the public paths to vote and result, and no probe or metrics path anywhere', () => {
    const route = find(objects, 'HTTPRoute', 'voting');
    // Gateway API matching: Exact, or PathPrefix on whole path segments.
    const backend = (path: string) => {
      for (const rule of route.spec.rules) {
        for (const match of rule.matches ?? []) {
          const { type, value } = match.path;
          const hit =
            type === 'Exact'
              ? path === value
              : path === value || path.startsWith(value.endsWith('/') ? value : `${value}/`);
          if (!hit) continue;
          const rewrite = rule.filters?.find((f: { type: string }) => f.type === 'URLRewrite');
          const prefix = rewrite?.urlRewrite.path.replacePrefixMatch;
          const to = prefix ? prefix + path.slice(value.length) : path;
          return `${rule.backendRefs[0].name} ${to}`;
        }
      }
      return 'none';
    };
    const id = '3f2a9c1e-0000-4000-8000-000000000000';
    expect(
      ['/', '/new', `/r/${id}`, `/r/${id}/results`, '/assets/vote.js', '/web-config.json'].map(
        backend,
      ),
    ).toEqual([
      'vote /',
      'vote /new',
      `vote /r/${id}`,
      `vote /r/${id}/results`,
      'vote /assets/vote.js',
      'vote /web-config.json',
    ]);
    expect(['/vote', '/rounds', `/rounds/${id}/close`, '/openapi.json'].map(backend)).toEqual([
      'vote /vote',
      'vote /rounds',
      `vote /rounds/${id}/close`,
      'vote /openapi.json',
    ]);
    expect([`/live/rounds/${id}`, `/live/rounds/${id}/results/stream`].map(backend)).toEqual([
      `result /rounds/${id}`,
      `result /rounds/${id}/results/stream`,
    ]);
    for (const hidden of [
      '/readyz',
      '/livez',
      '/health',
      '/metrics',
      '/live/readyz',
      '/live/metrics',
      '/roundsx',
      '/rx',
    ])
      expect(backend(hidden), hidden).toBe('none');
    // The pages read results under the prefix the route cuts.
    for (const name of ['vote-config', 'result-config']) {
      const config = objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(name),
      );
      expect(config?.data.PUBLIC_RESULT_URL, name).toBe('/live');
    }
  });

  test('the pooler has a PodDisruptionBudget (the operator makes the instances’ only)', () => {
    const budget = find(objects, 'PodDisruptionBudget', 'voting-db-pooler-rw');
    expect(budget.spec.minAvailable).toBe(1);
    expect(budget.spec.selector).toEqual({
      matchLabels: { 'cnpg.io/poolerName': 'voting-db-pooler-rw' },
    });
  });

  test('the services get requests and a memory limit, and no CPU limit (docs/deploy.md, "Resources")', () => {
    for (const name of ['vote', 'result', 'worker']) {
      const { resources } = find(objects, 'Deployment', name).spec.template.spec.containers[0];
      expect(Object.keys(resources.requests).sort(), name).toEqual(['cpu', 'memory']);
      expect(Object.keys(resources.limits), name).toEqual(['memory']);
    }
  });
});

describe('the rules catch what they are for', () => {
  const base = () => structuredClone(render('overlays/local')) as K8sObject[];
  const vote = (objects: K8sObject[]) => find(objects, 'Deployment', 'vote').spec.template.spec;

  test('a root, unprobed, unpinned, unlimited container', () => {
    const objects = base();
    const pod = vote(objects);
    pod.securityContext.runAsNonRoot = false;
    pod.containers[0].securityContext.readOnlyRootFilesystem = false;
    pod.containers[0].securityContext.capabilities = { add: ['NET_ADMIN'] };
    delete pod.containers[0].livenessProbe;
    delete pod.containers[0].resources.limits;
    pod.containers[0].image = 'voting/vote:latest';
    expect(workloadViolations(objects)).toEqual([
      'Deployment/vote: pod securityContext.runAsNonRoot is not true',
      'Deployment/vote container vote: no limits.memory',
      'Deployment/vote container vote: readOnlyRootFilesystem is not true',
      'Deployment/vote container vote: capabilities do not drop ALL',
      'Deployment/vote container vote: adds capabilities',
      'Deployment/vote container vote: image voting/vote:latest names no registry (Docker Hub is assumed)',
      'Deployment/vote container vote: image voting/vote:latest uses the latest tag',
      'Deployment/vote container vote: no livenessProbe',
    ]);
  });

  test('image references', () => {
    expect(fullyQualified('voting/vote:dev')).toBe(false);
    expect(fullyQualified('localhost/voting/vote:dev')).toBe(true);
    expect(fullyQualified('registry.example.com:5000/voting/vote:1')).toBe(true);
    expect(imageTag('registry.example.com:5000/voting/vote')).toBeNull();
    expect(imageTag('registry.example.com:5000/voting/vote:0.1.0')).toBe('0.1.0');
    expect(imageTag('voting/vote@sha256:abc')).toBe('sha256:abc');
  });

  test('a real-looking Secret value or a literal password', () => {
    const objects = base();
    const secret = objects.find(
      (o) => o.kind === 'Secret' && o.metadata.name.startsWith('voting-secrets'),
    );
    if (!secret) throw new Error('no voting-secrets');
    secret.data['voter-key-secret'] = Buffer.from('c0rrect-h0rse-battery-staple').toString(
      'base64',
    );
    vote(objects).containers[0].env.push({ name: 'ADMIN_API_KEY', value: 'hunter2hunter2hunter2' });
    expect(secretViolations(objects)).toEqual([
      `Secret/${secret.metadata.name}: voter-key-secret holds a real-looking value`,
      'Deployment/vote container vote: ADMIN_API_KEY is a literal, not a secretKeyRef',
    ]);
  });

  test('a connection string built around a secret reference passes; one with its password inline does not', () => {
    const objects = structuredClone(render('overlays/production')) as K8sObject[];
    expect(secretViolations(objects)).toEqual([]);
    const env = find(objects, 'Deployment', 'vote').spec.template.spec.containers[0].env;
    const url = env.find((v: { name: string }) => v.name === 'DATABASE_URL');
    expect(url.value).toBe(
      'postgresql://voting:$(VOTING_DB_PASSWORD)@voting-db-pooler-rw:5432/voting',
    );
    url.value = 'postgresql://voting:s3cret$(VOTING_DB_PASSWORD)@voting-db-pooler-rw:5432/voting';
    expect(secretViolations(objects)).toEqual([
      'Deployment/vote container vote: DATABASE_URL is a literal, not a secretKeyRef',
    ]);
  });

  test('a Service or NetworkPolicy that selects nothing', () => {
    const objects = structuredClone(render('overlays/production')) as K8sObject[];
    find(objects, 'Service', 'result').spec.selector = { 'app.kubernetes.io/name': 'results' };
    // The label the operator overwrites on pooler pods (CloudNativePG ≥ 1.28) selects nothing.
    find(objects, 'NetworkPolicy', 'voting-db-pooler-rw').spec.podSelector = {
      matchLabels: {
        'cnpg.io/poolerName': 'voting-db-pooler-rw',
        'app.kubernetes.io/component': 'database',
      },
    };
    find(objects, 'HTTPRoute', 'voting').spec.rules[0].backendRefs[0].port = 9081;
    expect(selectorViolations(objects)).toEqual([
      'Service/result: selects no pod',
      'HTTPRoute/voting: routes to result:9081, no such Service port',
      'NetworkPolicy/voting-db-pooler-rw: selects no pod',
    ]);
  });
});
