export {
  closeMetrics,
  createMetricsServer,
  listenMetrics,
  METRICS_MIN_ANSWER_INTERVAL_MS,
  METRICS_PORT_OFFSET,
  METRICS_RENDER_INTERVAL_MS,
  metricsPort,
  registryOf,
  scrapeMetrics,
} from './metrics-server.ts';
export {
  BUDGETS,
  type Budget,
  type BudgetLimit,
  budgetLimits,
  budgetOf,
  clientAddress,
  parseBudget,
  type RateLimitConfig,
  rateLimitConfig,
  registerRateLimits,
} from './rate-limits.ts';
export * from './run-service.ts';
export * from './service-app.ts';
