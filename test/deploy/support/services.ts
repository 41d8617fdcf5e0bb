import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger, type HttpApp } from '@voting/runtime';
import { closeMetrics, createMetricsServer, listenMetrics, registryOf } from '@voting/service';
import type { TProperties } from 'typebox';
import { Type } from 'typebox';
import { resultConfig } from '../../../services/result/src/config.ts';
import { voteConfig } from '../../../services/vote/src/config.ts';
import { workerConfig } from '../../../services/worker/src/config.ts';
import { testResultApp, testVoteApp, testWorkerApp } from '../../support/apps.ts';
import type { TestDatabase } from '../../support/database.ts';
import { environmentReferences } from './collector.ts';
import { repositoryRoot } from './tools.ts';

export const serviceNames = ['vote', 'result', 'worker'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** Each service's config parser, the one source of the variables it reads. */
export const serviceConfigs: Record<ServiceName, TProperties> = {
  vote: voteConfig,
  result: resultConfig,
  worker: workerConfig,
};

export interface VariableRules {
  known: Set<string>;
  /** Variables without which the process refuses to start. */
  required: Set<string>;
}

export function configRules(properties: TProperties): VariableRules {
  const schema = Type.Object(properties);
  const required = (schema.required ?? []).filter(
    (name) => !('default' in (properties[name] ?? {})),
  );
  return { known: new Set(Object.keys(properties)), required: new Set(required) };
}

/** Variables read as `process.env.NAME` in a source file (the migration runner reads one). */
function processEnvNames(file: string): Set<string> {
  const source = readFileSync(path.join(repositoryRoot, file), 'utf8');
  return new Set(
    [...source.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)/g)].map((match) => match[1] ?? ''),
  );
}

/** The load client's options: the second argument of its text()/number() readers. */
function loadClientNames(): Set<string> {
  const source = readFileSync(path.join(repositoryRoot, 'bench/load-client.ts'), 'utf8');
  return new Set(
    [...source.matchAll(/(?:text|number)\('[a-z-]+', '([A-Z_]+)'/g)].map((match) => match[1] ?? ''),
  );
}

/**
 * The standard OpenTelemetry variables the tracing component gives the services, read by their
 * OpenTelemetry SDK (packages/telemetry), not by their config parser: the exporter's endpoint, the
 * service's name and resource attributes, the sampler and its ratio (the specification's
 * "Environment Variable Specification"; docs/deploy.md, "Tracing").
 */
export const OTEL_SDK_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
] as const;

/** What each container (by name) may be given, read from the code that reads it. */
export function containerVariableRules(container: string): VariableRules {
  if (container === 'vote' || container === 'result' || container === 'worker') {
    const rules = configRules(serviceConfigs[container]);
    return { known: new Set([...rules.known, ...OTEL_SDK_VARIABLES]), required: rules.required };
  }
  // The tracing component's collector: what its configuration expands (`${env:…}`), and the Go
  // runtime's heap limit.
  if (container === 'otel-collector') {
    const text = readFileSync(
      path.join(repositoryRoot, 'deploy/k8s/components/tracing/collector.yaml'),
      'utf8',
    );
    const expanded = environmentReferences(text);
    return { known: new Set([...expanded, 'GOMEMLIMIT']), required: expanded };
  }
  if (container === 'migrate') {
    const known = processEnvNames('packages/db/src/migrate-cli.ts');
    return { known, required: known };
  }
  if (container === 'loadgenerator')
    return { known: loadClientNames(), required: new Set(['VOTE_URL']) };
  // The official postgres image's documented variables (the db image adds none).
  if (container === 'postgres') {
    return {
      known: new Set(['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'PGDATA']),
      required: new Set(['POSTGRES_PASSWORD']),
    };
  }
  throw new Error(`no variable rules for a container named ${container}`);
}

export interface RunningServices {
  apps: Record<ServiceName, HttpApp>;
  /** Each service's metrics listener, as `runService` starts it: `http://127.0.0.1:<port>`. */
  metricsUrls: Record<ServiceName, string>;
  close: () => Promise<void>;
}

/**
 * The three services built as `npm start` builds them, on a test database, listening on loopback
 * so that their background work (the worker's loop, the result's listener) runs as in a pod,
 * each with its metrics listener on a port of its own.
 */
export async function startServices(database: TestDatabase): Promise<RunningServices> {
  const vote = await testVoteApp(database.url, database.pool);
  const result = await testResultApp(database.url, database.pool);
  const worker = (await testWorkerApp(database.url, database.pool)).app;
  const apps = { vote, result, worker };
  for (const app of Object.values(apps)) await app.listen({ host: '127.0.0.1', port: 0 });
  const logger = createLogger('test', 'silent');
  const metricsServers = serviceNames.map((name) =>
    createMetricsServer(registryOf(apps[name]), logger),
  );
  const metricsUrls = {} as Record<ServiceName, string>;
  for (const [i, name] of serviceNames.entries()) {
    const server = metricsServers[i];
    if (server)
      metricsUrls[name] = `http://127.0.0.1:${await listenMetrics(server, 0, '127.0.0.1')}`;
  }
  return {
    apps,
    metricsUrls,
    close: async () => {
      await Promise.all(Object.values(apps).map((app) => app.close()));
      await Promise.all(metricsServers.map(closeMetrics));
    },
  };
}

/**
 * A service's metrics page, from its metrics listener, after some traffic, so that its labelled
 * series exist: a round and a vote on the vote service (voting_votes_total), health and unknown
 * routes on every service.
 */
export async function metricsAfterTraffic(
  services: RunningServices,
  name: ServiceName,
): Promise<string> {
  const app = services.apps[name];
  if (name === 'vote') {
    const round = await app.inject({
      method: 'POST',
      url: '/rounds',
      payload: { name: 'metrics', options: ['A', 'B'] },
    });
    const roundId = round.json().round_id;
    await app.inject({
      method: 'POST',
      url: '/vote',
      payload: { round_id: roundId, option_id: 1 },
      headers: { 'x-voter-id': 'm' },
    });
  }
  for (const url of ['/livez', '/readyz', '/no-such-route'])
    await app.inject({ method: 'GET', url });
  const response = await fetch(`${services.metricsUrls[name]}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}
