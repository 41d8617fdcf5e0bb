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
  podLabelSets,
  render,
  selects,
} from './support/manifests.ts';
import {
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

  test('every Service, NetworkPolicy, PodDisruptionBudget, HPA and Ingress points at something that exists', () => {
    expect(selectorViolations(objects)).toEqual([]);
  });

  test('the namespace enforces the restricted Pod Security Standard', () => {
    const namespace = find(objects, 'Namespace', 'voting');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(
      objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'voting'),
    ).toBe(true);
  });

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

  test('turns every component on', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      'NetworkPolicy',
      'PodMonitor',
      'PrometheusRule',
      'HorizontalPodAutoscaler',
      'Ingress',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(
      find(objects, 'Deployment', 'loadgenerator').spec.template.spec.containers[0].command,
    ).toEqual(['node', 'dist/load-client.js']);
  });

  test('default-denies ingress and egress, then lets the database in only from its clients', () => {
    const deny = find(objects, 'NetworkPolicy', 'default-deny');
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const databasePods = podLabelSets(objects).filter(
      (pod) => pod.labels['app.kubernetes.io/component'] === 'database',
    );
    expect(databasePods.map((pod) => pod.source).sort()).toEqual([
      'Cluster/voting-db',
      'Pooler/voting-db-pooler-rw',
    ]);
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
      'Deployment/vote container vote: no limits.cpu',
      'Deployment/vote container vote: no limits.memory',
      'Deployment/vote container vote: readOnlyRootFilesystem is not true',
      'Deployment/vote container vote: capabilities do not drop ALL',
      'Deployment/vote container vote: adds capabilities',
      'Deployment/vote container vote: image voting/vote:latest uses the latest tag',
      'Deployment/vote container vote: no livenessProbe',
    ]);
  });

  test('image references', () => {
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

  test('a Service or NetworkPolicy that selects nothing', () => {
    const objects = structuredClone(render('overlays/production')) as K8sObject[];
    find(objects, 'Service', 'result').spec.selector = { 'app.kubernetes.io/name': 'results' };
    find(objects, 'NetworkPolicy', 'cnpg-pooler').spec.podSelector.matchLabels[
      'cnpg.io/poolerName'
    ] = 'voting-db-pooler-ro';
    expect(selectorViolations(objects)).toEqual([
      'Service/result: selects no pod',
      'NetworkPolicy/cnpg-pooler: selects no pod',
    ]);
  });
});
