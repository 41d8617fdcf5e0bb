import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { AppError, ErrorSchema, type HttpApp } from '@voting/runtime';
import { Counter, type Registry } from 'prom-client';
import { type Static, type TObject, Type } from 'typebox';

/**
 * Per-client abuse limits: each client address gets a budget of requests per window for each kind
 * of request, per replica; past it, 429 `rate_limited` with Retry-After. The rule — which route
 * spends which budget, and what each budget is by default — lives here and nowhere else; every
 * service built with `createServiceApp({ rateLimits })` applies it. Why these numbers:
 * docs/abuse-limits.md.
 */
export const BUDGETS = ['rounds', 'invitations', 'ballots', 'joins', 'reads'] as const;
export type Budget = (typeof BUDGETS)[number];

/**
 * Routes with a budget of their own, by method and route pattern (Fastify's
 * `request.routeOptions.url`). Every other request — reads (rounds, results, streams, exports,
 * receipts, definitions, pages, assets), a round's close, CORS preflights, 404s — spends `reads`.
 */
const ROUTE_BUDGETS: Readonly<Record<string, Budget>> = {
  'POST /rounds': 'rounds',
  // A copy is a new round: it spends what creating one does.
  'POST /rounds/:id/duplicate': 'rounds',
  'POST /rounds/:id/invitations': 'invitations',
  'POST /vote': 'ballots',
  // Looking up a join code, by the API or the page URL a person types; HEAD too, since its status
  // alone tells a guessed code from a wrong one.
  'GET /join/:code': 'joins',
  'HEAD /join/:code': 'joins',
  'GET /j/:code': 'joins',
  'HEAD /j/:code': 'joins',
};

/**
 * Never limited: probes must answer whatever clients do (a refused /readyz would take a healthy
 * pod out of its Service), and the API's own description. The metrics listener is another server
 * and has no limiter at all (it paces its answers itself).
 */
const UNLIMITED_ROUTES = new Set(['/health', '/livez', '/readyz', '/openapi.json']);

/** The budget a request spends, from its method and route pattern; null: never limited. */
export function budgetOf(method: string, route: string | undefined): Budget | null {
  if (route !== undefined && UNLIMITED_ROUTES.has(route)) return null;
  return ROUTE_BUDGETS[`${method} ${route}`] ?? 'reads';
}

/**
 * `<max>/<window>`: at most `max` requests per window of seconds (`s`), minutes (`m`) or hours
 * (`h`), e.g. `3000/60s`; or `off`. Windows are fixed, starting at a client's first request.
 */
const BUDGET_PATTERN = '^(off|[1-9][0-9]{0,6}/([1-9][0-9]{0,4}s|[1-9][0-9]{0,3}m|[1-9][0-9]?h))$';
const budget = (fallback: string) => Type.String({ pattern: BUDGET_PATTERN, default: fallback });

/**
 * The settings of a service that takes requests from the public (vote and result). Defaults, per
 * client address and per replica (docs/abuse-limits.md has the arithmetic):
 * - ballots 3000/60s: 300 voters behind one NAT voting within 10 s spend a tenth of it, and a hall
 *   of 3,000 voting in the same minute still passes; an address's sustained 50 votes/s is under
 *   1% of a replica (~7,000 votes/s on its one CPU: 130 µs of CPU a vote, docs/performance.md).
 * - reads 12000/60s: those 300 voters opening the vote page and then the results page make ~12
 *   requests each (page, 3 assets, web-config, definition, …): 3,600, under a third; sustained
 *   200/s from one address is ~2% of a replica's ~10,000 reads/s.
 * - rounds 60/60s: a workshop of 60 behind one NAT creating a round each in the same minute;
 *   a script gets one a second. Where anyone may not create rounds, set ADMIN_API_KEY.
 * - invitations 30/60s: a request issues up to 10,000 codes (each a row and two HMACs), a round
 *   holds at most 100,000, so a whole roll takes 10 requests; 30 leave room for three such rolls,
 *   or a registration script adding people one by one every 2 s.
 * - joins 600/60s: a hall of 300 behind one NAT typing a presenter's join code in the same
 *   minute, each with one typo, passes; a script guessing codes gets 600 a minute of 30^6 ≈ 729
 *   million, so with 1,000 rounds open it finds one (any one) every ~20 hours, and a given round's
 *   code in ~1.2 years on average, per address and replica.
 */
export const rateLimitConfig = {
  /** Master switch: `off` registers no limiter at all (the benchmark, the tests). */
  RATE_LIMITS: Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'on' }),
  RATE_LIMIT_ROUNDS: budget('60/60s'),
  RATE_LIMIT_INVITATIONS: budget('30/60s'),
  RATE_LIMIT_BALLOTS: budget('3000/60s'),
  RATE_LIMIT_JOINS: budget('600/60s'),
  RATE_LIMIT_READS: budget('12000/60s'),
};
export type RateLimitConfig = Static<TObject<typeof rateLimitConfig>>;

const VARIABLES: Record<Budget, Exclude<keyof RateLimitConfig, 'RATE_LIMITS'>> = {
  rounds: 'RATE_LIMIT_ROUNDS',
  invitations: 'RATE_LIMIT_INVITATIONS',
  ballots: 'RATE_LIMIT_BALLOTS',
  joins: 'RATE_LIMIT_JOINS',
  reads: 'RATE_LIMIT_READS',
};

export interface BudgetLimit {
  max: number;
  windowMs: number;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A budget setting (already validated by its pattern) as numbers; null when `off`. */
export function parseBudget(value: string): BudgetLimit | null {
  if (value === 'off') return null;
  const match = /^(\d+)\/(\d+)([smh])$/.exec(value);
  if (!match) throw new Error(`not a rate limit budget: ${value} (expected <max>/<window> or off)`);
  const unit = match[3] as keyof typeof UNIT_MS;
  return { max: Number(match[1]), windowMs: Number(match[2]) * UNIT_MS[unit] };
}

/** The budgets that are on, with their limits: none when RATE_LIMITS is off. */
export function budgetLimits(config: RateLimitConfig): Map<Budget, BudgetLimit> {
  const limits = new Map<Budget, BudgetLimit>();
  if (config.RATE_LIMITS === 'off') return limits;
  for (const name of BUDGETS) {
    const limit = parseBudget(config[VARIABLES[name]]);
    if (limit) limits.set(name, limit);
  }
  return limits;
}

/**
 * The client as every per-client limit counts it: `request.ip` (the socket's address, or the
 * client a trusted proxy names: TRUSTED_PROXIES), an IPv6 client by its /64, which is what one
 * home or office gets. The stream cap per address uses it too.
 */
export const clientAddress = (request: { ip: string }): string => normalizeIP(request.ip);

/**
 * Clients remembered per budget (least recently seen forgotten first). An entry costs ~240 bytes
 * (measured, IPv6 keys), so a full budget holds ~1.2 MB of the replica's 96 MB heap. Forgetting
 * only ever lets a client through: it takes 5,000 other addresses between two of its requests.
 */
const CLIENTS_PER_BUDGET = 5000;

/** What a refusal says, per budget. */
const REFUSED: Record<Budget, string> = {
  rounds: 'rounds created',
  invitations: 'invitation requests',
  ballots: 'ballots',
  joins: 'join code lookups',
  reads: 'requests',
};

/**
 * Limits the app's requests by the budgets of `config` (@fastify/rate-limit, its in-memory store:
 * per replica), counting refusals in `http_requests_rate_limited_total{budget}` on `registry`.
 * Requests are checked before their body is read, after the onRequest hooks, so a refusal still
 * carries the CORS headers a page needs to read it. Routes that can be refused document 429.
 */
export async function registerRateLimits(
  app: HttpApp,
  config: RateLimitConfig,
  registry: Registry,
): Promise<void> {
  const limits = budgetLimits(config);
  if (limits.size === 0) return;
  const refused = new Counter({
    name: 'http_requests_rate_limited_total',
    help: 'Requests refused with 429 rate_limited: their client address had spent its budget on this replica',
    labelNames: ['budget'],
    registers: [registry],
  });
  await app.register(rateLimit, { global: false });

  const limiters = new Map<Budget, ReturnType<HttpApp['rateLimit']>>();
  const limiterOf = (method: string, route: string | undefined) => {
    const name = budgetOf(method, route);
    return name === null ? undefined : limiters.get(name);
  };
  for (const [name, { max, windowMs }] of limits) {
    refused.inc({ budget: name }, 0);
    const limiter = app.rateLimit({
      max,
      timeWindow: windowMs,
      cache: CLIENTS_PER_BUDGET,
      keyGenerator: clientAddress,
      onExceeded: () => refused.inc({ budget: name }),
      errorResponseBuilder: (_request, context) =>
        new AppError(
          429,
          'rate_limited',
          `too many ${REFUSED[name]} from your address: at most ${max} in ${windowMs / 1000} s ` +
            `on this server; try again in ${Math.ceil(context.ttl / 1000)} s`,
        ),
    });
    limiters.set(name, limiter);
  }

  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; response?: object } | undefined;
    if (!schema?.response || schema.hide) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((method) => limiterOf(method, route.url))) return;
    route.schema = { ...schema, response: { 429: ErrorSchema, ...schema.response } };
  });

  app.addHook('preParsing', (request, reply, payload, done) => {
    const limiter = limiterOf(request.method, request.routeOptions.url);
    if (!limiter) {
      done(null, payload);
      return;
    }
    limiter.call(app, request, reply).then(
      () => done(null, payload),
      (error: Error) => done(error),
    );
  });
}
