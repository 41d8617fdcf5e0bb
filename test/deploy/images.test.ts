/**
 * The Dockerfiles' promises, read statically (scripts/container-test.sh proves them by building
 * and running the images): pinned bases, multi-stage, non-root, node as PID 1, a HEALTHCHECK on
 * the service's own port, the migrations beside the bundle, a database image that applies none
 * (the runner does), and a context without local state. test/repository/versions.test.ts holds the Node.js
 * image to the project's one Node.js line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { serviceConfigs, serviceNames } from './support/services.ts';
import { repositoryRoot } from './support/tools.ts';

/** The Dockerfiles' own `${NODE_IMAGE}` reference, spelled out (not a template literal). */
const FROM_NODE = ['FROM $', '{NODE_IMAGE}'].join('');
const read = (file: string) => readFileSync(path.join(repositoryRoot, file), 'utf8');
const instructions = (dockerfile: string) =>
  dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));

describe.each(serviceNames)('services/%s/Dockerfile', (name) => {
  const lines = instructions(read(`services/${name}/Dockerfile`));
  const port = (serviceConfigs[name].PORT as { default: number }).default;

  test('builds from an exactly pinned Node.js image, in two stages', () => {
    expect(lines.find((line) => line.startsWith('ARG NODE_IMAGE='))).toMatch(
      /^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-bookworm-slim$/,
    );
    expect(lines.filter((line) => line.startsWith('FROM '))).toEqual([
      `${FROM_NODE} AS build`,
      FROM_NODE,
    ]);
    expect(lines).toContain('RUN npm run build');
  });

  test('copies every workspace manifest before npm ci, so the lockfile matches', () => {
    const workspaces = (
      JSON.parse(read('package.json')) as { workspaces: string[] }
    ).workspaces.flatMap((entry) =>
      entry.endsWith('/*')
        ? readdirSync(path.join(repositoryRoot, entry.slice(0, -2)))
            .map((name) => `${entry.slice(0, -2)}/${name}`)
            .filter((folder) => existsSync(path.join(repositoryRoot, folder, 'package.json')))
        : [entry],
    );
    const beforeInstall = lines.slice(
      0,
      lines.findIndex((line) => line.includes('npm ci')),
    );
    for (const workspace of workspaces)
      expect(beforeInstall).toContain(`COPY ${workspace}/package.json ${workspace}/`);
  });

  test('the runtime stage holds the bundle and migrations only, runs as uid 1000, node as PID 1', () => {
    const runtime = lines.slice(lines.lastIndexOf(FROM_NODE));
    expect(runtime.filter((line) => line.startsWith('COPY'))).toEqual([
      `COPY --from=build /src/services/${name}/dist/ dist/`,
      ...(name === 'worker' ? [] : ['COPY --from=build /src/web/dist/ dist/web/']),
      ...(name === 'vote'
        ? ['COPY --from=build /src/dist/migrate.js /src/dist/load-client.js dist/']
        : []),
      'COPY packages/db/migrations/ migrations/',
    ]);
    expect(runtime.some((line) => line.startsWith('RUN'))).toBe(false);
    expect(runtime).toContain('USER 1000:1000');
    expect(runtime).toContain('ENTRYPOINT []');
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/main.js"]');
    // The HTTP services cap their heap well inside the pod's memory limit (256Mi).
    if (name !== 'worker') expect(runtime).toContain('ENV NODE_OPTIONS=--max-old-space-size=96');
    expect(runtime).toContain(`EXPOSE ${port}`);
    const healthcheck = runtime.find((line) => line.startsWith('HEALTHCHECK')) ?? '';
    expect(healthcheck).toContain(`process.env.PORT||${port}`);
    expect(healthcheck).toContain('/livez');
  });
});

test('the db image is the pinned postgres image and runs no migrations', () => {
  const lines = instructions(read('deploy/db/Dockerfile'));
  expect(lines.find((line) => line.startsWith('ARG POSTGRES_IMAGE='))).toMatch(
    /^ARG POSTGRES_IMAGE=postgres:\d+\.\d+-bookworm$/,
  );
  // Migrations run once, from the services' runner (the compose `migrate` step, the Kubernetes
  // Job): no migration files and no init scripts in the image, so there is no second runner.
  expect(lines.filter((line) => /^(COPY|ADD|RUN)\b/.test(line))).toEqual([]);
  expect(existsSync(path.join(repositoryRoot, 'deploy/db/initdb'))).toBe(false);
  expect(lines.find((line) => line.startsWith('HEALTHCHECK'))).toContain('--host 127.0.0.1');
});

test('.dockerignore keeps local state and dependencies out of the build context', () => {
  const ignored = read('.dockerignore')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'));
  for (const entry of ['.git', '.data', '**/node_modules', '**/dist', '**/.env*'])
    expect(ignored).toContain(entry);
  // What the builds COPY must stay in.
  for (const needed of ['packages', 'services', 'scripts', 'bench', 'web'])
    expect(ignored).not.toContain(needed);
});
