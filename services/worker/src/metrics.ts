import { Counter, Gauge, type Registry } from 'prom-client';

export function createWorkerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    heartbeat: new Gauge({
      name: 'worker_heartbeat',
      help: 'Unix time of the last successful work loop (not of the scrape): stale means stuck',
      labelNames: ['service'],
      registers,
    }),
    backlog: new Gauge({
      name: 'worker_pending_changes',
      help: 'Ballot changes not yet aggregated',
      registers,
    }),
    lag: new Gauge({
      name: 'worker_oldest_pending_change_age_seconds',
      help: 'Age of the oldest ballot change not yet aggregated',
      registers,
    }),
    batches: new Counter({
      name: 'worker_batches_total',
      help: 'Aggregation batches committed',
      registers,
    }),
    changes: new Counter({
      name: 'worker_ballot_changes_aggregated_total',
      help: 'Ballot changes aggregated',
      registers,
    }),
    roundsClosed: new Counter({
      name: 'worker_rounds_closed_total',
      help: 'Rounds closed on their deadline',
      registers,
    }),
    roundsFinalized: new Counter({
      name: 'worker_rounds_finalized_total',
      help: 'Final results stored',
      registers,
    }),
    tabulations: new Counter({
      name: 'worker_tabulations_total',
      help: 'Ranked results re-tabulated while open',
      registers,
    }),
    loopErrors: new Counter({
      name: 'worker_loop_errors_total',
      help: 'Work loops that failed and were retried',
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
