import envSchema from 'env-schema';
import { type Static, type TObject, type TProperties, Type } from 'typebox';

/**
 * Settings every service shares. Each service extends these with its own and parses the
 * environment once, at start; a bad value stops the process with a message naming the variable.
 */
export const baseConfig = {
  DATABASE_URL: Type.String({ minLength: 1, description: 'PostgreSQL connection string' }),
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) =>
      Type.Literal(level),
    ),
    { default: 'info' },
  ),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  /** Longest time a shutdown waits for in-flight work before it gives up and exits. */
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  /** How long a closed round's metric series are kept before they are dropped. */
  METRICS_CLOSED_ROUND_TTL_SECONDS: Type.Integer({ minimum: 0, default: 3600 }),
  /** Most rounds with metric series at once; the least recently active are dropped first. */
  METRICS_MAX_ROUNDS: Type.Integer({ minimum: 1, maximum: 10_000, default: 200 }),
};

export class ConfigError extends Error {}

export function loadConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const schema = Type.Object(properties);
  try {
    return envSchema<Static<TObject<P>>>({ schema, data: { ...env }, env: false, dotenv: false });
  } catch (error) {
    const detail = (error as Error).message.replaceAll('env/', '').replace(/^env /, '');
    throw new ConfigError(`invalid configuration: ${detail}`);
  }
}

/** The names a service's config parser knows; the Kubernetes manifests are checked against it. */
export function configVariableNames(properties: TProperties): string[] {
  return Object.keys(properties);
}

/** For a service's main: parse the environment, or print what is wrong and exit with status 1. */
export function loadConfigOrExit<P extends TProperties>(properties: P): Static<TObject<P>> {
  try {
    return loadConfig(properties);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
