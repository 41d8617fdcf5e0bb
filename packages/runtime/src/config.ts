import envSchema from 'env-schema';
import { type Static, type TObject, type TProperties, Type } from 'typebox';

/** Empty, a path from the root (`/live`), or an http(s) URL without query or fragment. */
const PUBLIC_URL_PATTERN = '^(|/[^?#]*|https?://[^/?#]+(/[^?#]*)?)$';

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
  /**
   * Where the pages send their vote API calls (rounds, ballots, close, exports): an absolute
   * URL (`http://localhost:8080`, when vote and result listen on different ports) or a path on
   * the pages' own host (`/`). Empty = the same origin as the page. Absolute origins are also
   * the ones CORS lets call this service, and the pages' Content-Security-Policy allows.
   */
  PUBLIC_VOTE_URL: Type.String({ default: '', pattern: PUBLIC_URL_PATTERN }),
  /**
   * Where the pages read results and the live stream: as PUBLIC_VOTE_URL; `/live` behind one
   * host that routes `/live/` to the result service.
   */
  PUBLIC_RESULT_URL: Type.String({ default: '', pattern: PUBLIC_URL_PATTERN }),
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

/** For a service's main: parse the environment, or print what is wrong and exit with status 1. */
export function loadConfigOrExit<P extends TProperties>(properties: P): Static<TObject<P>> {
  try {
    return loadConfig(properties);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
