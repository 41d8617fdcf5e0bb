import { AppError } from '@voting/runtime';

export interface StreamLimits {
  /** Most open streams on this replica (STREAM_MAX_CLIENTS). */
  maxClients: number;
  /** Most open streams from one client address on this replica (STREAM_MAX_CLIENTS_PER_ADDRESS). */
  maxClientsPerAddress: number;
}

/** Seconds a refused client is asked to wait: a slot frees, or the balancer picks another replica. */
export const REPLICA_FULL_RETRY_SECONDS = 5;
/** Longer for one address over its share: its own streams must end first. */
export const ADDRESS_FULL_RETRY_SECONDS = 30;

/** A refused stream: the JSON error and how long to wait before trying again. */
export class StreamRefused extends AppError {
  constructor(
    statusCode: number,
    message: string,
    readonly retryAfterSeconds: number,
    readonly reason: 'replica_full' | 'address_full',
  ) {
    super(statusCode, 'too_many_streams', message);
  }
}

/**
 * Counts the open streams of a replica, in all and per client address, and refuses one past
 * either cap before it costs anything (no database read, no subscription): 503 when the replica
 * is full (another replica may have room), 429 when one address holds its share. Each admitted
 * stream holds a ticket until it ends; releasing twice is harmless.
 */
export class StreamAdmission {
  readonly #perAddress = new Map<string, number>();
  #open = 0;

  constructor(private readonly limits: StreamLimits) {}

  get open(): number {
    return this.#open;
  }

  /** Admits a stream from `address`, or throws StreamRefused. Returns its release. */
  admit(address: string): () => void {
    if (this.#open >= this.limits.maxClients)
      throw new StreamRefused(
        503,
        `this replica serves its most live streams (${this.limits.maxClients}); try again shortly`,
        REPLICA_FULL_RETRY_SECONDS,
        'replica_full',
      );
    const fromAddress = this.#perAddress.get(address) ?? 0;
    if (fromAddress >= this.limits.maxClientsPerAddress)
      throw new StreamRefused(
        429,
        `too many live streams from one address (${this.limits.maxClientsPerAddress}); close some first`,
        ADDRESS_FULL_RETRY_SECONDS,
        'address_full',
      );
    this.#open++;
    this.#perAddress.set(address, fromAddress + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    };
  }
}
