import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.ts';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpAppOptions {
  service: string;
  version?: string;
  logger: Logger;
  registry: Registry;
  /** Resolves to null when the service can take traffic, else to the reason it cannot. */
  readiness: () => Promise<string | null>;
  /**
   * TRUSTED_PROXIES, parsed (`trustedProxyList`): the peers whose X-Forwarded-For names the
   * client. None (the default): `request.ip` is the socket's address.
   */
  trustedProxies?: readonly string[];
  /**
   * Request tracing (@voting/telemetry, when an OTLP endpoint is set): registered first, so every
   * route is traced; the duration histogram then carries exemplars and request logs the trace ids.
   */
  tracing?: HttpTracing;
}

export interface HttpTracing {
  /** Registers the tracing plugin on the app, before anything else is. */
  register: (app: HttpApp) => Promise<void>;
}
