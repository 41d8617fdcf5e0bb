import closeWithGrace from 'close-with-grace';
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

export interface HttpServiceStart {
  app: {
    listen: (options: { port: number; host: string }) => Promise<string>;
    close: () => Promise<unknown>;
  };
  port: number;
  host: string;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Runs after the HTTP server has drained: stop loops, end pools. */
  onClose?: () => Promise<void>;
}

/** Listens, then on SIGTERM/SIGINT stops accepting, drains in-flight requests and releases resources. */
export async function startHttpService(start: HttpServiceStart): Promise<void> {
  await start.app.listen({ port: start.port, host: start.host });
  closeOnSignal(
    {
      close: async () => {
        await start.app.close();
        await start.onClose?.();
      },
    },
    start.logger,
    start.shutdownTimeoutMs,
  );
}
