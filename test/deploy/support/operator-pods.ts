import type { K8sObject } from './manifests.ts';

/**
 * The pods CloudNativePG creates for a Cluster and a Pooler, with the labels the operator sets
 * and the ports it opens, modelled on CloudNativePG 1.30.0: instances from pkg/specs/pods.go
 * (buildInstance), the initdb / join / full-recovery Jobs' pods from pkg/specs/jobs.go
 * (CreatePrimaryJob: no cnpg.io/podRole, but cnpg.io/jobRole), PgBouncer pods from
 * pkg/specs/pgbouncer/deployments.go (the operator's labels win over the template's, so
 * app.kubernetes.io/component is `pooler` whatever we write, since 1.28), ports from the
 * "Security" page's table (5432 PostgreSQL, 8000 status, 9187 and 9127 metrics).
 * The project's tests used to model these pods from our own manifests, and so let policies pass
 * that selected labels the operator never sets.
 */
export interface ModelledPod {
  /** What the pod is, for messages: `Cluster/voting-db primary`. */
  source: string;
  labels: Record<string, string>;
  /** Named container ports (TCP). */
  ports: Record<string, number>;
}

const common = (cluster: K8sObject) => ({
  ...cluster.spec.inheritedMetadata?.labels,
  'cnpg.io/cluster': cluster.metadata.name,
  'app.kubernetes.io/name': 'postgresql',
  'app.kubernetes.io/instance': cluster.metadata.name,
  'app.kubernetes.io/managed-by': 'cloudnative-pg',
  'app.kubernetes.io/component': 'database',
});

function clusterPods(cluster: K8sObject): ModelledPod[] {
  const name = cluster.metadata.name;
  const instance = (serial: number, role: 'primary' | 'replica'): ModelledPod => ({
    source: `Cluster/${name} ${role}`,
    labels: {
      ...common(cluster),
      'cnpg.io/instanceName': `${name}-${serial}`,
      'cnpg.io/podRole': 'instance',
      'cnpg.io/instanceRole': role,
      role,
    },
    ports: { postgresql: 5432, status: 8000, metrics: 9187 },
  });
  const job = (role: string): ModelledPod => ({
    source: `Cluster/${name} ${role} Job`,
    labels: { ...common(cluster), 'cnpg.io/instanceName': `${name}-1`, 'cnpg.io/jobRole': role },
    ports: {},
  });
  const bootstrap = cluster.spec.bootstrap?.recovery ? 'full-recovery' : 'initdb';
  const pods = [instance(1, 'primary'), job(bootstrap)];
  if (cluster.spec.instances > 1) pods.push(instance(2, 'replica'), job('join'));
  return pods;
}

function poolerPod(pooler: K8sObject): ModelledPod {
  const cluster = pooler.spec.cluster.name;
  return {
    source: `Pooler/${pooler.metadata.name}`,
    labels: {
      ...pooler.spec.template?.metadata?.labels,
      'cnpg.io/poolerName': pooler.metadata.name,
      'cnpg.io/cluster': cluster,
      'cnpg.io/podRole': 'pooler',
      'app.kubernetes.io/name': 'postgresql',
      'app.kubernetes.io/instance': cluster,
      'app.kubernetes.io/component': 'pooler',
      'app.kubernetes.io/managed-by': 'cloudnative-pg',
    },
    ports: { pgbouncer: 5432, metrics: 9127 },
  };
}

/** Every pod the operator would create for the rendered Clusters and Poolers. */
export function operatorPods(objects: K8sObject[]): ModelledPod[] {
  return objects.flatMap((object) => {
    if (!object.apiVersion.startsWith('postgresql.cnpg.io/')) return [];
    if (object.kind === 'Cluster') return clusterPods(object);
    if (object.kind === 'Pooler') return [poolerPod(object)];
    return [];
  });
}
