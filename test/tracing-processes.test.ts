/**
 * Tracing in the two other ways the services run (docs/observability.md, "How it is wired"): from
 * source as `npm start` runs them (`node --import tsx services/<name>/src/main.ts`), and as the
 * esbuild bundles of the container images (`npm run build`, `node dist/main.js` with no
 * node_modules beside it). Each way, the three services, configured only by OTEL_* variables with
 * the default sampler, send a vote's trace to an OTLP receiver: the request continues the sampled
 * `traceparent` it came with, and the worker's and the result's spans link to it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isRunning,
  repositoryRoot,
  type ServiceName,
  spawnNode,
  waitUntilReady,
} from '../scripts/service-processes.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { type OtlpReceiver, SPAN_KIND, startOtlpReceiver } from './support/otlp-receiver.ts';
import {
  freePort,
  type ServiceProcess,
  startServiceProcess,
  stopServices,
} from './support/processes.ts';
import { connectSse } from './support/sse-client.ts';

const SERVICES: ServiceName[] = ['vote', 'worker', 'result'];

let receiver: OtlpReceiver;
let database: TestDatabase;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  database = await createTestDatabase();
});
afterAll(async () => {
  await receiver?.close();
  await database?.drop();
});

const tracingEnv = (service: ServiceName) => ({
  DATABASE_URL: database.url,
  VOTER_KEY_SECRET: 'tracing-test-voter-key-secret-0123',
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_RESOURCE_ATTRIBUTES: `k8s.pod.name=${service}-0,k8s.namespace.name=voting`,
  OTEL_BSP_SCHEDULE_DELAY: '100',
});

/** The three bundles of `npm run build`, laid out alone as in their images. */
function layOutBundles(): string {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`scripts/build.ts failed: ${build.stderr}`);
  const folder = mkdtempSync(path.join(tmpdir(), 'voting-traced-bundles-'));
  for (const service of SERVICES) {
    mkdirSync(path.join(folder, service));
    cpSync(
      path.join(repositoryRoot, `services/${service}/dist`),
      path.join(folder, service, 'dist'),
      {
        recursive: true,
      },
    );
    cpSync(
      path.join(repositoryRoot, 'packages/db/migrations'),
      path.join(folder, service, 'migrations'),
      {
        recursive: true,
      },
    );
  }
  return folder;
}

async function startBundle(folder: string, service: ServiceName): Promise<ServiceProcess> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawnNode(
    service,
    [path.join(folder, service, 'dist/main.js')],
    {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
      ...tracingEnv(service),
      PORT: String(port),
    },
    (line) => output.push(line),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilReady(port, 30_000, () => isRunning(child)).catch((error: Error) => {
    throw new Error(`${error.message}\n${output.join('\n')}`);
  });
  return { name: service, port, child, output, exited };
}

describe.each([
  ['from source (npm start)', 'source'],
  ['as the image bundles (npm run build)', 'bundle'],
] as const)('%s', (_label, mode) => {
  const running: ServiceProcess[] = [];
  let bundles: string | undefined;

  afterAll(async () => {
    await stopServices(running);
    if (bundles) rmSync(bundles, { recursive: true, force: true });
  });

  it('traces a vote to the worker and the stream', async () => {
    if (mode === 'bundle') bundles = layOutBundles();
    for (const service of SERVICES)
      running.push(
        bundles
          ? await startBundle(bundles, service)
          : await startServiceProcess(service, tracingEnv(service)),
      );
    const [vote, , result] = running as [ServiceProcess, ServiceProcess, ServiceProcess];
    const created = await fetch(`http://127.0.0.1:${vote.port}/rounds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `traced ${mode}` }),
    });
    const roundId = ((await created.json()) as { round_id: string }).round_id;
    const stream = await connectSse(
      `http://127.0.0.1:${result.port}/rounds/${roundId}/results/stream`,
    );
    await stream.waitForEvent(() => true);

    const traceId = randomBytes(16).toString('hex');
    const voted = await fetch(`http://127.0.0.1:${vote.port}/vote`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-voter-id': randomUUID(),
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ round_id: roundId, option_id: 1 }),
    });
    expect(voted.status).toBe(200);
    await stream.waitForEvent((event) => event.json.results?.[0]?.votes === 1, 15_000);
    stream.close();

    const handler = () =>
      receiver.spans.find((span) => span.traceId === traceId && span.name === 'handler /vote');
    const linked = (name: string) =>
      receiver.spans.find(
        (span) =>
          span.name === name && span.links.some((link) => link.spanId === handler()?.spanId),
      );
    await receiver.waitFor(
      () =>
        handler() !== undefined && !!linked('aggregate ballot_changes') && !!linked('stream event'),
      15_000,
    );
    const server = receiver.spans.find(
      (span) => span.traceId === traceId && span.name === 'POST /vote',
    );
    expect(server?.kind).toBe(SPAN_KIND.server);
    expect(server?.resource).toMatchObject({ 'service.name': 'vote', 'k8s.pod.name': 'vote-0' });
    expect(
      receiver.spans.some(
        (span) => span.traceId === traceId && span.name === 'cast_ballots_traced',
      ),
    ).toBe(true);
    expect(linked('aggregate ballot_changes')?.resource).toMatchObject({
      'service.name': 'worker',
      'k8s.pod.name': 'worker-0',
    });
    expect(linked('stream event')?.resource).toMatchObject({
      'service.name': 'result',
      'k8s.pod.name': 'result-0',
    });
    expect(linked('stream event')?.attributes['voting.round_id']).toBe(roundId);
  }, 120_000);
});
