/**
 * Every real network flow of the production overlay, evaluated against its rendered
 * NetworkPolicies (support/network.ts), with CloudNativePG's pods as the operator really labels
 * them (support/operator-pods.ts, CloudNativePG 1.30): each flow below is allowed, and every other
 * connection between these endpoints, on any port they open, is denied. The same again with the
 * optional tracing component on: its collector's flows join the real ones, nothing else opens.
 */
import { describe, expect, test } from 'vitest';
import { type K8sObject, podTemplates, render, renderWith } from './support/manifests.ts';
import { connectionAllowed, type Endpoint, type Port } from './support/network.ts';
import { operatorPods } from './support/operator-pods.ts';

const namespace = 'voting';

let address = 10;
const podIp = () => `10.244.0.${address++}`;
const tcp = (ports: Record<string, number>): Port[] =>
  Object.entries(ports).map(([name, port]) => ({ name, port, protocol: 'TCP' }));

/** The pods an overlay runs, named by their app.kubernetes.io/name (or the operator's source). */
function podsOf(objects: K8sObject[]): Endpoint[] {
  return [
    ...podTemplates(objects).map(({ labels, spec }) => ({
      name: labels['app.kubernetes.io/name'] ?? '?',
      namespace,
      labels,
      ports: spec.containers.flatMap((c: { ports?: { name: string; containerPort: number }[] }) =>
        (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, protocol: 'TCP' })),
      ),
      ip: podIp(),
    })),
    ...operatorPods(objects).map((pod) => ({
      name: pod.source,
      namespace,
      labels: pod.labels,
      ports: tcp(pod.ports),
      ip: podIp(),
    })),
    // Anyone's `kubectl run` in the namespace: it gets DNS and nothing else.
    {
      name: 'stranger in voting',
      namespace,
      labels: { run: 'debug' },
      ports: tcp({ http: 8080 }),
      ip: podIp(),
    },
  ];
}

const elsewhere = (name: string, ns: string, labels: Record<string, string>, ports: Port[] = []) =>
  ({ name, namespace: ns, labels, ports, ip: podIp() }) satisfies Endpoint;
const outside: Endpoint[] = [
  elsewhere('gateway proxy', 'envoy-gateway-system', { 'app.kubernetes.io/name': 'envoy' }),
  elsewhere('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
  elsewhere('operator', 'cnpg-system', { 'app.kubernetes.io/name': 'cloudnative-pg' }),
  elsewhere('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }, [
    { name: 'dns', port: 53, protocol: 'UDP' },
    { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  ]),
  // The tracing backend (Tempo, where the tracing component sends by default): its OTLP ports
  // and its query port, which Grafana reads and nothing in `voting` needs.
  elsewhere(
    'tempo',
    'tempo',
    { 'app.kubernetes.io/name': 'tempo' },
    tcp({ 'otlp-grpc': 4317, 'otlp-http': 4318, query: 3200 }),
  ),
  elsewhere('stranger in default', 'default', { app: 'other' }, tcp({ http: 8080 })),
  { name: 'api-server', labels: {}, ports: tcp({ https: 443, secure: 6443 }), ip: '192.0.2.1' },
  { name: 'object-store', labels: {}, ports: tcp({ https: 443 }), ip: '203.0.113.10' },
  { name: 'elsewhere', labels: {}, ports: tcp({ postgres: 5432, http: 80 }), ip: '198.51.100.20' },
];

const primary = 'Cluster/voting-db primary';
const replica = 'Cluster/voting-db replica';
const instances = [primary, replica];
const jobs = ['Cluster/voting-db initdb Job', 'Cluster/voting-db join Job'];
const pooler = 'Pooler/voting-db-pooler-rw';
const collector = 'otel-collector';

/** The flows that exist, as "from -> to:port" (every port of `to` with that number). */
const flowsOf = (ours: Endpoint[], tracing: boolean) => [
  // DNS for every pod of the namespace.
  ...ours.map((pod) => `${pod.name} -> kube-dns:53`),
  // The way in, and the demo load.
  ...['gateway proxy', 'loadgenerator'].flatMap((from) => [
    `${from} -> vote:8080`,
    `${from} -> result:8081`,
  ]),
  // Scrapes, on the metrics ports only.
  'prometheus -> vote:9080',
  'prometheus -> result:9081',
  'prometheus -> worker:9082',
  ...instances.map((i) => `prometheus -> ${i}:9187`),
  `prometheus -> ${pooler}:9127`,
  // The services through the pooler; the pooler, the migrations and the LISTEN connections to
  // the instances (a policy cannot tell the primary: the -rw Service does).
  ...['vote', 'result', 'worker'].map((from) => `${from} -> ${pooler}:5432`),
  ...['result', 'worker', 'migrate', pooler].flatMap((from) =>
    instances.map((i) => `${from} -> ${i}:5432`),
  ),
  // The operator drives the instances; the instances replicate; the Jobs copy the primary.
  ...instances.flatMap((i) => [`operator -> ${i}:8000`, `operator -> ${i}:5432`]),
  `${primary} -> ${replica}:5432`,
  `${primary} -> ${replica}:8000`,
  `${replica} -> ${primary}:5432`,
  `${replica} -> ${primary}:8000`,
  ...jobs.flatMap((job) => instances.map((i) => `${job} -> ${i}:5432`)),
  // The API server (and, on 443, the object store: no policy can tell them apart by address).
  ...[...instances, ...jobs, pooler].flatMap((from) => [
    `${from} -> api-server:443`,
    `${from} -> api-server:6443`,
    `${from} -> object-store:443`,
  ]),
  // Tracing: the services' spans to the collector (OTLP/HTTP), the collector's to the backend
  // (OTLP/HTTP), and the collector's own metrics to Prometheus. Not its OTLP/gRPC port, not its
  // health port (the kubelet's probes are not pod traffic), not the backend's query port.
  ...(tracing
    ? [
        ...['vote', 'result', 'worker'].map((from) => `${from} -> ${collector}:4318`),
        `${collector} -> tempo:4318`,
        `prometheus -> ${collector}:8888`,
      ]
    : []),
];

describe.each([
  ['production', false],
  ['production with the tracing component', true],
] as const)('%s: network policies against the real flows', (_, tracing) => {
  const objects = tracing
    ? renderWith('overlays/production', ['components/tracing'])
    : render('overlays/production');
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const ours = podsOf(objects);
  const endpoints = [...ours, ...outside];
  const realFlows = flowsOf(ours, tracing);

  test('the model has every pod the overlay runs and the operator creates', () => {
    expect(ours.map((pod) => pod.name).sort()).toEqual(
      [
        'loadgenerator',
        'migrate',
        'result',
        'vote',
        'worker',
        ...(tracing ? [collector] : []),
        primary,
        replica,
        ...jobs,
        pooler,
        'stranger in voting',
      ].sort(),
    );
  });

  test('each real flow is allowed', () => {
    const denied = realFlows.filter((flow) => {
      const [from, target] = flow.split(' -> ') as [string, string];
      const [to, port] = [
        target.slice(0, target.lastIndexOf(':')),
        Number(target.split(':').pop()),
      ];
      const source = endpoints.find((e) => e.name === from);
      const destination = endpoints.find((e) => e.name === to);
      if (!source || !destination) return true;
      const ports = destination.ports.filter((p) => p.port === port);
      return (
        ports.length === 0 ||
        ports.some((p) => !connectionAllowed(policies, source, destination, p))
      );
    });
    expect(denied).toEqual([]);
  });

  test('every other connection touching the namespace is denied', () => {
    const expected = new Set(realFlows);
    const wronglyAllowed: string[] = [];
    for (const from of endpoints) {
      for (const to of endpoints) {
        if (from === to || (from.namespace !== namespace && to.namespace !== namespace)) continue;
        for (const port of to.ports) {
          const flow = `${from.name} -> ${to.name}:${port.port}`;
          if (!expected.has(flow) && connectionAllowed(policies, from, to, port))
            wronglyAllowed.push(`${flow}/${port.protocol}`);
        }
      }
    }
    expect(wronglyAllowed).toEqual([]);
  });

  test('the evaluator itself: a policy selecting the pooler by the label the operator overwrites lets nothing in', () => {
    const stale = structuredClone(policies);
    const poolerPolicy = stale.find((p) => p.metadata.name === 'voting-db-pooler-rw');
    if (!poolerPolicy) throw new Error('no pooler policy');
    poolerPolicy.spec.podSelector = { matchLabels: { 'app.kubernetes.io/component': 'database' } };
    const vote = endpoints.find((e) => e.name === 'vote');
    const target = endpoints.find((e) => e.name === pooler);
    if (!vote || !target) throw new Error('no vote or pooler');
    expect(connectionAllowed(policies, vote, target, { port: 5432, protocol: 'TCP' })).toBe(true);
    expect(connectionAllowed(stale, vote, target, { port: 5432, protocol: 'TCP' })).toBe(false);
  });
});

test('the evaluator itself: with the collector’s policy but without the services’ egress rule, no span leaves a service', () => {
  const objects = renderWith('overlays/production', ['components/tracing']);
  const policies = objects.filter(
    (o) => o.kind === 'NetworkPolicy' && o.metadata.name !== 'trace-export-egress',
  );
  const [vote, otelCollector] = ['vote', collector].map((name) =>
    podsOf(objects).find((pod) => pod.name === name),
  );
  if (!vote || !otelCollector) throw new Error('no vote or collector');
  const otlpHttp = { port: 4318, protocol: 'TCP' } as const;
  expect(connectionAllowed(policies, vote, otelCollector, otlpHttp)).toBe(false);
  expect(
    connectionAllowed(
      objects.filter((o) => o.kind === 'NetworkPolicy'),
      vote,
      otelCollector,
      otlpHttp,
    ),
  ).toBe(true);
});
