import { isIP } from 'node:net';
import envSchema from 'env-schema';
import { type Static, type TObject, type TProperties, Type } from 'typebox';

/**
 * Settings every service process reads, whatever it does. Each service's config is made of the
 * fragments of what it uses — these, `databaseConfig` (@voting/db), `pagesConfig` (@voting/web),
 * `adminConfig` (@voting/api) — plus its own settings, so it declares exactly what it reads. The
 * environment is parsed once, at start; a bad value stops the process naming the variable.
 */
export const processConfig = {
  HOST: Type.String({ default: '0.0.0.0' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) =>
      Type.Literal(level),
    ),
    { default: 'info' },
  ),
  /** Longest time a shutdown waits for in-flight work before it gives up and exits. */
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  /**
   * The proxies whose `X-Forwarded-For` is believed: comma-separated addresses and CIDRs (or
   * `loopback`, `linklocal`, `uniquelocal`). A request whose peer is one of them gets, as its
   * client address, the last address of X-Forwarded-For that is not itself a trusted proxy; from
   * any other peer the header is ignored, so a client cannot choose its own address. Empty (the
   * default): the socket's address, always. The client address is what the rate limits and the
   * stream cap per address count, and what request logs show (docs/abuse-limits.md).
   */
  TRUSTED_PROXIES: Type.String({ default: '', format: 'trusted-proxies' }),
};

/** The entries of TRUSTED_PROXIES, as Fastify's `trustProxy` takes them. */
export function trustedProxyList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** proxy-addr's (so Fastify's) names for the private ranges. */
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, an address/prefix (IPv4 ≤ 32, IPv6 ≤ 128), or one of the named ranges. */
function isTrustedProxy(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return (
    prefix === undefined ||
    (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  );
}

/**
 * The HTTP port, with the service's own default, and the port of the metrics listener: a second,
 * minimal server that answers only `GET /metrics`, so the metrics never share a port (or a
 * Kubernetes Service, or an Ingress) with the public API. METRICS_PORT unset is PORT + 1000
 * (9080, 9081, 9082 with the default ports), so that several processes started with only a PORT
 * each (the launcher, the tests, the benchmark) get distinct metrics ports too.
 */
export const portConfig = (defaultPort: number) => ({
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: defaultPort }),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
});

/** What `runService` reads of any service's config. */
export type ProcessConfig = Static<TObject<typeof processConfig>> & {
  PORT: number;
  METRICS_PORT?: number;
};

export class ConfigError extends Error {}

export function loadConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const schema = Type.Object(properties);
  try {
    return envSchema<Static<TObject<P>>>({
      schema,
      data: { ...env },
      env: false,
      dotenv: false,
      ajv: {
        customOptions: (ajv) =>
          ajv.addFormat('trusted-proxies', {
            type: 'string',
            validate: (value: string) => trustedProxyList(value).every(isTrustedProxy),
          }),
      },
    });
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
