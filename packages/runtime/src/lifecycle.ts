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
