import net from 'node:net';
import closeWithGrace from 'close-with-grace';
import { AppError, sendError } from './errors.ts';
import type { HttpApp } from './http-types.ts';
import type { Logger } from './logger.ts';

export interface RunningService {
  /** Stops taking new work, finishes what is in flight, releases connections. */
  close: () => Promise<void>;
}

/**
 * Runs a started service until SIGTERM or SIGINT, then closes it gracefully within `timeoutMs`.
 * A second signal, or the timeout, exits at once.
 */
export function closeOnSignal(service: RunningService, logger: Logger, timeoutMs: number): void {
  closeWithGrace(
    { delay: timeoutMs, logger: { error: (message: string) => logger.error(message) } },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'closing after an unexpected error');
      else logger.info({ signal }, 'shutting down');
      await service.close();
      logger.info('stopped');
      logger.flush();
    },
  );
}

/**
 * How long a closing server keeps its open keep-alive connections before it closes the idle
 * ones. A busy client's connection closes by itself within it (its next answer says
 * `Connection: close`); what is left is idle. Closing an "idle" connection at once races a
 * request already on its way in it (written by the client, not yet read by the server: under
 * load that is common), which the client then sees reset.
 */
export const DRAIN_LINGER_MS = 1000;

/**
 * The shutdown of an HTTP server that answers every request it received. Install it before the
 * app listens; the returned function closes the app:
 *
 * 1. the listening socket closes at once: new connections are refused;
 * 2. requests on connections already open are still served, each answer with
 *    `Connection: close`, so every connection a client keeps using closes after its next answer;
 * 3. when no connection is left, or after `lingerMs`, the app closes (`app.close()`): idle
 *    connections are closed, requests in flight are answered, background work stops (preClose
 *    hooks). A request that arrives from then on is answered 503 `shutting_down`, never cut.
 */
export function gracefulHttpClose(
  app: HttpApp,
  { lingerMs = DRAIN_LINGER_MS }: { lingerMs?: number } = {},
): () => Promise<void> {
  let draining = false;
  let closing = false;
  const connections = new Set<net.Socket>();
  let allClosed: (() => void) | null = null;
  app.server.on('connection', (socket: net.Socket) => {
    connections.add(socket);
    socket.once('close', () => {
      connections.delete(socket);
      if (connections.size === 0) allClosed?.();
    });
  });
  // Callback style: an async hook costs a promise per request on the vote path.
  app.addHook('onRequest', (_request, reply, done) => {
    if (!draining) {
      done();
      return;
    }
    reply.header('connection', 'close');
    if (closing) {
      sendError(
        reply,
        new AppError(503, 'shutting_down', 'this server is shutting down; try again'),
      );
      return;
    }
    done();
  });

  return async () => {
    draining = true;
    // net.Server's close, not http.Server's: the latter would also close every connection that
    // looks idle right now, including those with a request already on its way in.
    if (app.server.listening) net.Server.prototype.close.call(app.server);
    if (connections.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, lingerMs);
        allClosed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    closing = true;
    await app.close();
  };
}
