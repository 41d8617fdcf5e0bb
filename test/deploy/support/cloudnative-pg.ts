/**
 * CloudNativePG as this project uses it, modelled on CloudNativePG 1.30.0 (api/v1, pkg/specs) and
 * plugin-barman-cloud 0.14.0 (api/v1). No npm package carries their schemas, so the manifests are
 * checked against these typed subsets instead: a field missing here is either a typo or a new use
 * to add here (after checking the API reference), never silently accepted.
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

interface SecretKey {
  name: string;
  key: string;
}

/** A plugin reference: `barman-cloud.cloudnative-pg.io` with its ObjectStore and folder. */
interface PluginConfiguration {
  name: string;
  isWALArchiver?: boolean;
  enabled?: boolean;
  parameters?: Record<string, string>;
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
      recovery?: {
        source?: string;
        database?: string;
        owner?: string;
        secret?: { name: string };
        recoveryTarget?: {
          targetTime?: string;
          targetLSN?: string;
          targetName?: string;
          targetXID?: string;
          targetImmediate?: boolean;
          backupID?: string;
          exclusive?: boolean;
        };
      };
    };
    externalClusters?: { name: string; plugin?: PluginConfiguration }[];
    plugins?: PluginConfiguration[];
    postgresql?: {
      parameters?: Record<string, string>;
      synchronous?: {
        method: 'any' | 'first';
        number: number;
        dataDurability?: 'required' | 'preferred';
        failoverQuorum?: boolean;
        maxStandbyNamesFromCluster?: number;
      };
    };
    storage: { size: string; storageClass?: string };
    resources?: Resources;
    affinity?: {
      enablePodAntiAffinity?: boolean;
      topologyKey?: string;
      podAntiAffinityType?: 'preferred' | 'required';
    };
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
      spec?: {
        containers: { name: string; resources?: Resources }[];
        topologySpreadConstraints?: {
          maxSkew: number;
          topologyKey: string;
          whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
          labelSelector?: { matchLabels?: Record<string, string> };
        }[];
      };
    };
  };
}

export interface CnpgScheduledBackup {
  apiVersion: 'postgresql.cnpg.io/v1';
  kind: 'ScheduledBackup';
  metadata: ObjectMeta;
  spec: {
    /** Six fields: seconds first. */
    schedule: string;
    immediate?: boolean;
    suspend?: boolean;
    backupOwnerReference?: 'none' | 'self' | 'cluster';
    cluster: { name: string };
    method?: 'barmanObjectStore' | 'volumeSnapshot' | 'plugin';
    pluginConfiguration?: { name: string; parameters?: Record<string, string> };
    target?: 'primary' | 'prefer-standby';
  };
}

export interface BarmanObjectStore {
  apiVersion: 'barmancloud.cnpg.io/v1';
  kind: 'ObjectStore';
  metadata: ObjectMeta;
  spec: {
    retentionPolicy?: string;
    configuration: {
      destinationPath: string;
      endpointURL?: string;
      s3Credentials?: {
        accessKeyId?: SecretKey;
        secretAccessKey?: SecretKey;
        region?: SecretKey;
        sessionToken?: SecretKey;
        inheritFromIAMRole?: boolean;
      };
      wal?: { compression?: 'gzip' | 'bzip2' | 'snappy'; maxParallel?: number };
      data?: { compression?: 'gzip' | 'bzip2' | 'snappy'; jobs?: number };
    };
    instanceSidecarConfiguration?: {
      resources?: Resources;
      retentionPolicyIntervalSeconds?: number;
    };
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

/** The Barman Cloud plugin's name, as the Cluster, the ScheduledBackup and recovery name it. */
export const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';
