import type { Logger } from '@voting/runtime';
import type pg from 'pg';
import { createClient } from './pool.ts';

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];

/**
 * One dedicated connection (not from the query pool: a pooled connection would be handed back
 * and lose its LISTEN) that hears the notifications of one channel. After the connection is
 * lost — a database restart, say — it reconnects by itself with backoff and calls
 * `onReconnect`, since notifications sent meanwhile are gone.
 */
export class ChannelListener {
  #client: pg.Client | null = null;
  #closed = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly onNotification: (payload: string) => void,
    private readonly onReconnect: () => void,
  ) {}

  get connected(): boolean {
    return this.#client !== null;
  }

  async start(): Promise<void> {
    await this.#connect().catch(() => this.#scheduleReconnect());
  }

  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = createClient(this.databaseUrl);
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.onNotification(message.payload ?? '');
    });
    client.on('error', (err) =>
      this.logger.warn({ err, channel: this.channel }, 'listener connection failed'),
    );
    client.on('end', () => {
      if (this.#client === client) this.#client = null;
      if (!this.#closed) this.#scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end();
      return;
    }
    const wasReconnect = this.#attempt > 0;
    this.#client = client;
    this.#attempt = 0;
    if (wasReconnect) {
      this.logger.info({ channel: this.channel }, 'listener reconnected');
      this.onReconnect();
    }
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#timer) return;
    const delay =
      RECONNECT_DELAYS_MS[Math.min(this.#attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 5000;
    this.#attempt++;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect().catch(() => this.#scheduleReconnect());
    }, delay);
  }
}
