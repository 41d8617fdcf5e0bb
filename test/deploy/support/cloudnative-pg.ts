/**
 * The CloudNativePG (postgresql.cnpg.io/v1) fields this project uses, typed after the operator's
 * API reference. No npm package carries CloudNativePG's schema, so the manifests are checked
 * against this subset instead: a field missing here is either a typo or a new use to add here
 * (after checking the API reference), never silently accepted.
 */
interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Resources {
  requests?: Record<string, string | number>;
  limits?: Record<string, string | number>;
}

export interface CnpgCluster {
  apiVersion: 'postgresql.cnpg.io/v1';
  kind: 'Cluster';
  metadata: ObjectMeta;
  spec: {
    instances: number;
    imageName?: string;
    /** Labels and annotations the operator puts on every object it creates for the cluster. */
    inheritedMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    bootstrap?: {
      initdb?: { database?: string; owner?: string; secret?: { name: string } };
    };
    postgresql?: { parameters?: Record<string, string> };
    storage: { size: string; storageClass?: string };
    resources?: Resources;
    affinity?: {
      enablePodAntiAffinity?: boolean;
      topologyKey?: string;
      podAntiAffinityType?: 'preferred' | 'required';
    };
    monitoring?: { enablePodMonitor?: boolean };
  };
}

export interface CnpgPooler {
  apiVersion: 'postgresql.cnpg.io/v1';
  kind: 'Pooler';
  metadata: ObjectMeta;
  spec: {
    cluster: { name: string };
    instances?: number;
    type: 'rw' | 'ro' | 'r';
    pgbouncer: {
      poolMode: 'session' | 'transaction';
      parameters?: Record<string, string>;
    };
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: { containers: unknown[] };
    };
    monitoring?: { enablePodMonitor?: boolean };
  };
}

/** PgBouncer settings the operator lets a Pooler set (others are refused by its webhook). */
export const cnpgPgbouncerParameters = new Set([
  'default_pool_size',
  'max_client_conn',
  'max_db_connections',
  'max_prepared_statements',
  'max_user_connections',
  'min_pool_size',
  'reserve_pool_size',
  'reserve_pool_timeout',
  'server_idle_timeout',
  'server_lifetime',
  'query_wait_timeout',
  'idle_transaction_timeout',
  'log_connections',
  'log_disconnections',
  'log_pooler_errors',
  'log_stats',
  'stats_period',
]);
