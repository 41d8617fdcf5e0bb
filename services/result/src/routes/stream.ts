import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { holdsRoundAdmin, type ResultReader, RoundIdParams } from '@voting/api';
import { ErrorSchema, type HttpApp, sendError } from '@voting/runtime';
import { clientAddress } from '@voting/service';
import { StreamAdmission, type StreamLimits, StreamRefused } from '../stream/stream-admission.ts';
import type { StreamEvent, StreamHub } from '../stream/stream-hub.ts';

const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/**
 * `GET /rounds/:id/results/stream`: Server-Sent Events. The first event is the current result,
 * then one event per change (and at close), with a heartbeat comment in between so proxies keep
 * the connection. Open streams end when the service shuts down; browsers then reconnect with
 * Last-Event-ID to another replica. Streams are capped per replica and per client address
 * (`limits`): past a cap the answer is `too_many_streams` with Retry-After, before the round is
 * read. The address is the client's as the rate limits see it (`clientAddress`: the socket's, or
 * the one a trusted proxy names, TRUSTED_PROXIES; an IPv6 client by its /64).
 */
export function registerStreamRoute(
  app: HttpApp,
  deps: {
    hub: StreamHub;
    reader: ResultReader;
    limits: StreamLimits;
    heartbeatSeconds: number;
    adminApiKey: string | undefined;
  },
): void {
  const open = new Map<() => void, ServerResponse>();
  const admission = new StreamAdmission(deps.limits);
  // One timer for every open stream's heartbeat rather than one per stream.
  const heartbeat = setInterval(() => {
    for (const raw of open.values()) raw.write(HEARTBEAT);
  }, deps.heartbeatSeconds * 1000);
  heartbeat.unref();
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const end of open.keys()) end();
  });

  app.get(
    '/rounds/:id/results/stream',
    {
      schema: {
        summary:
          'Live results (Server-Sent Events: `results`, or `hidden` while hidden until close)',
        tags: ['results'],
        params: RoundIdParams,
        produces: ['text/event-stream'],
        response: { 400: ErrorSchema, 404: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (request, reply) => {
      let release: () => void;
      try {
        release = admission.admit(clientAddress(request));
      } catch (error) {
        if (!(error instanceof StreamRefused)) throw error;
        deps.hub.metrics.refused.inc({ reason: error.reason });
        reply.header('retry-after', String(error.retryAfterSeconds));
        return sendError(reply, error);
      }
      let round: Awaited<ReturnType<ResultReader['round']>>;
      try {
        round = await deps.reader.round(request.params.id);
      } catch (error) {
        release();
        throw error;
      }
      const isAdmin = holdsRoundAdmin(round, request.headers.authorization, deps.adminApiKey);
      const lastEventId = request.headers['last-event-id'];

      reply.hijack();
      const raw = reply.raw;
      // No chunked transfer encoding: the stream ends only when the connection does, so its body
      // needs no framing, and each event is one plain write of its shared buffer to the socket
      // instead of a chunk-size line, the event and a CRLF per client (Connection: close).
      raw.useChunkedEncodingByDefault = false;
      raw.writeHead(200, {
        // What hooks set on the reply (request id, CORS headers) is dropped by hijack() otherwise.
        ...(reply.getHeaders() as OutgoingHttpHeaders),
        'content-type': 'text/event-stream; charset=utf-8',
        // no-transform: compressing proxies must not buffer the stream; X-Accel-Buffering: nginx.
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      const send = (event: StreamEvent) => raw.write(event.frame);

      let unsubscribe = () => {};
      const end = () => {
        unsubscribe();
        release();
        open.delete(end);
        raw.end();
      };
      open.set(end, raw);
      raw.on('close', end);
      unsubscribe = await deps.hub.subscribe(
        round.roundId,
        { isAdmin, send },
        typeof lastEventId === 'string' ? lastEventId : undefined,
      );
      if (raw.destroyed) end();
    },
  );
}
