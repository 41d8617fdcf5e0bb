import net from 'node:net';

/**
 * A loopback proxy to PostgreSQL that can hold back one commit message until a given time, then
 * deliver it — even when its client has given up and closed the connection meanwhile. That plays,
 * deterministically, a server that froze with the commit in its socket and thawed later.
 *
 * It reads the client's side of the protocol message by message. A commit is a simple-protocol
 * `COMMIT` (Query), or the Sync that follows a Flush: how `queryInOwnTransaction` commits.
 */
export class CommitHoldingProxy {
  #server: net.Server | null = null;
  readonly #sockets = new Set<net.Socket>();
  #hold: { until: number; delivered: () => void } | null = null;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = net.createServer((client) => this.#relay(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /**
   * Holds the next commit message of any connection until `until` (`Date.now()` time), with
   * everything its client sends after it. Resolves once it has been delivered to the server.
   */
  holdNextCommit(until: number): Promise<void> {
    return new Promise((delivered) => {
      this.#hold = { until, delivered };
    });
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve(),
    );
  }

  #relay(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    upstream.pipe(client);
    upstream.on('close', () => client.destroy());

    let pending = Buffer.alloc(0);
    let startedUp = false;
    let previousType = '';
    let held: Buffer[] | null = null;
    let clientGone = false;
    const forward = (message: Buffer) => (held ? held.push(message) : upstream.write(message));

    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        // Start-up messages (SSLRequest, StartupMessage) have no type byte; the rest have one.
        const lengthAt = startedUp ? 1 : 0;
        if (pending.length < lengthAt + 4) return;
        const size = lengthAt + pending.readInt32BE(lengthAt);
        if (pending.length < size) return;
        const message = pending.subarray(0, size);
        pending = pending.subarray(size);
        if (!startedUp) {
          startedUp = message.readInt32BE(4) === 196_608; // protocol 3.0: the real start-up
          upstream.write(message);
          continue;
        }
        const type = String.fromCharCode(message[0] as number);
        const commits =
          (type === 'S' && previousType === 'H') ||
          (type === 'Q' && /^\s*COMMIT\b/i.test(message.subarray(5).toString('utf8')));
        previousType = type;
        const hold = this.#hold;
        if (commits && hold && !held) {
          this.#hold = null;
          held = [];
          setTimeout(
            () => {
              for (const waiting of held ?? []) upstream.write(waiting);
              held = null;
              if (clientGone) upstream.end();
              hold.delivered();
            },
            Math.max(0, hold.until - Date.now()),
          );
        }
        forward(message);
      }
    });
    client.on('close', () => {
      clientGone = true;
      if (!held) upstream.end();
    });
  }
}
