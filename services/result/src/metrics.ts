import { Counter, Gauge, type Registry } from 'prom-client';

export function createStreamMetrics(registry: Registry) {
  return {
    clients: new Gauge({
      name: 'result_stream_clients',
      help: 'Connected result stream clients',
      registers: [registry],
    }),
    events: new Counter({
      name: 'result_stream_events_total',
      help: 'Result events sent to stream clients',
      registers: [registry],
    }),
    refused: new Counter({
      name: 'result_stream_refused_total',
      help: 'Streams refused with too_many_streams: the replica was full (503) or one address held its share (429)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    reads: new Counter({
      name: 'result_stream_reads_total',
      help: 'Database reads made to feed streams (one per change per round, whatever the client count)',
      registers: [registry],
    }),
  };
}

export type StreamMetrics = ReturnType<typeof createStreamMetrics>;
