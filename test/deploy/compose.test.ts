/**
 * Proof 5: `docker-compose config -q` accepts compose.yaml (Debian's docker-compose: fails, never
 * skips), and the file keeps its promises: start order by health, restart policies, variables the
 * services know, and no secret beyond a marked local default.
 */
import { expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { LOCAL_ONLY_MARKER } from './support/policy.ts';
import { containerVariableRules } from './support/services.ts';
import { dockerCompose, run } from './support/tools.ts';

// biome-ignore lint/suspicious/noExplicitAny: compose's resolved YAML
let resolved: any;
function composeConfig() {
  if (resolved) return resolved;
  const result = run(dockerCompose(), ['-f', 'compose.yaml', 'config']);
  expect(result.status, result.stderr).toBe(0);
  resolved = parseYaml(result.stdout);
  return resolved;
}

test('docker-compose config -q accepts compose.yaml', () => {
  const result = run(dockerCompose(), ['-f', 'compose.yaml', 'config', '-q']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test('services start in order: database healthy, then migrations applied, then the services', () => {
  const { services } = composeConfig();
  expect(services.db.healthcheck.test).toContain('pg_isready');
  expect(services.db.volumes[0]).toMatch(/^db-data:\/var\/lib\/postgresql\/data/);
  // The db image applies no migrations: `migrate` (the runner in the vote image) is the one step
  // that does, and every service waits for it to finish.
  expect(JSON.stringify(services.db)).not.toContain('docker-entrypoint-initdb.d');
  expect(services.migrate.image).toBe(services.vote.image);
  expect(services.migrate.command).toEqual(['node', 'dist/migrate.js']);
  expect(services.migrate.restart).toBe('no');
  expect(services.migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
  for (const name of ['vote', 'result', 'worker']) {
    expect(services[name].depends_on, name).toEqual({
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(services[name].restart, name).toBe('unless-stopped');
    expect(services[name].read_only, name).toBe(true);
    expect(services[name].cap_drop, name).toEqual(['ALL']);
  }
});

test('each service gets only variables its code reads, and all it requires', () => {
  const { services } = composeConfig();
  for (const name of ['vote', 'result', 'worker', 'migrate']) {
    const rules = containerVariableRules(name);
    const given = Object.keys(services[name].environment ?? {});
    expect(
      given.filter((variable) => !rules.known.has(variable)),
      name,
    ).toEqual([]);
    expect(
      [...rules.required].filter((variable) => !given.includes(variable)),
      name,
    ).toEqual([]);
  }
});

test('secrets are local defaults, marked as such, and overridable from the environment', () => {
  const { services } = composeConfig();
  expect(services.db.environment.POSTGRES_PASSWORD).toContain(LOCAL_ONLY_MARKER);
  expect(services.vote.environment.VOTER_KEY_SECRET).toContain(LOCAL_ONLY_MARKER);
  const overridden = run('sh', [
    '-c',
    `POSTGRES_PASSWORD=from-env VOTER_KEY_SECRET=from-env-0123456789 ${dockerCompose()} -f compose.yaml config`,
  ]);
  const withEnv = parseYaml(overridden.stdout).services;
  expect(withEnv.vote.environment).toMatchObject({
    VOTER_KEY_SECRET: 'from-env-0123456789',
    DATABASE_URL: 'postgres://voting:from-env@db:5432/voting',
  });
});
