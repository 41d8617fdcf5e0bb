import type { Logger } from '@voting/runtime';

// How soon the gate asks again while the schema is not current. During an upgrade the pods start
// with the migrations Job, which usually needs seconds: the first re-checks come quickly, and a
// Job stuck behind a lock (its lock_timeout is 5 s, then it retries) costs one query per 5 s.
export const SCHEMA_RECHECK_FIRST_MS = 500;
export const SCHEMA_RECHECK_MAX_MS = 5000;

interface SchemaState {
  current: boolean;
  /** What is wrong, to log once per state seen. */
  text: string;
  log: () => void;
}

/**
 * Holds a service's background work until the database's schema is what its code needs (the
 * check `/readyz` uses): before that the worker's loop would only log failures, and the result's
 * listener would refresh streams from tables that may not exist yet. One gate per app, shared by
 * all its background work, so one line is logged per state it sees (no schema, a migration
 * missing, the database unreachable, current), never one per attempt. Once current it stays open:
 * migrations are forward only.
 */
export class SchemaGate {
  #opened: Promise<boolean> | undefined;
  #firstLook: Promise<boolean> | undefined;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly problem: () => Promise<string | null>,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves true once the schema is current, false if the gate is closed first. The first call
   * starts the checking; later calls share it.
   */
  open(): Promise<boolean> {
    if (!this.#opened) {
      const first = this.#state();
      this.#firstLook = first.then((state) => state.current);
      this.#opened = this.#waitUntilCurrent(first);
    }
    return this.#opened;
  }

  /** Whether the first check found the schema current (a normal start, not an upgrade). */
  firstCheck(): Promise<boolean> {
    this.open();
    return this.#firstLook as Promise<boolean>;
  }

  /** Stops checking; `open()` then resolves false unless the schema was already current. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#wakeSleeper?.();
  }

  async #waitUntilCurrent(first: Promise<SchemaState>): Promise<boolean> {
    let delay = SCHEMA_RECHECK_FIRST_MS;
    let lastState: string | undefined;
    let state = await first;
    while (!state.current) {
      if (state.text !== lastState) {
        state.log();
        lastState = state.text;
        // A new state is progress (the migrations Job got further): look again soon.
        delay = SCHEMA_RECHECK_FIRST_MS;
      }
      if (this.#closed) return false;
      await this.#sleep(delay);
      if (this.#closed) return false;
      delay = Math.min(delay * 2, SCHEMA_RECHECK_MAX_MS);
      state = await this.#state();
    }
    this.logger.info('schema current: background work starts');
    return true;
  }

  async #state(): Promise<SchemaState> {
    try {
      const problem = await this.problem();
      if (problem === null) return { current: true, text: '', log: () => undefined };
      return {
        current: false,
        text: problem,
        log: () => this.logger.info({ problem }, 'background work waits for the schema'),
      };
    } catch (err) {
      const text = (err as Error).message;
      return {
        current: false,
        text,
        log: () => this.logger.warn({ err }, 'background work waits for the database'),
      };
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wakeSleeper = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }
}
