import http from 'node:http';

export interface FanoutResult {
  clients: number;
  votes: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

interface Client {
  /** For each total_ballots value seen, when it arrived. */
  seen: Map<number, number>;
  request: http.ClientRequest;
}

/**
 * Connects `clients` SSE clients to one round, then casts `votes` votes one after another and
 * measures, for every client and vote, the time from the vote's acknowledgement to the client
 * receiving a result that includes it.
 */
export async function measureStreamFanout(options: {
  voteUrl: string;
  resultUrl: string;
  roundId: string;
  clients: number;
  votes: number;
  pauseMs: number;
}): Promise<FanoutResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.clients + 10 });
  const clients = await Promise.all(
    Array.from({ length: options.clients }, () =>
      connect(`${options.resultUrl}/rounds/${options.roundId}/results/stream`, agent),
    ),
  );

  const acknowledged: number[] = [];
  let errors = 0;
  for (let n = 1; n <= options.votes; n++) {
    const response = await fetch(`${options.voteUrl}/vote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ round_id: options.roundId, option_id: (n % 2) + 1 }),
    });
    acknowledged.push(performance.now());
    if (!response.ok) errors++;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));

  const latencies: number[] = [];
  for (const client of clients) {
    acknowledged.forEach((ackAt, index) => {
      const arrival = firstArrivalIncluding(client.seen, index + 1);
      if (arrival === undefined) errors++;
      else latencies.push(Math.max(0, arrival - ackAt));
    });
    client.request.destroy();
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    clients: options.clients,
    votes: options.votes,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
  };
}

function firstArrivalIncluding(seen: Map<number, number>, total: number): number | undefined {
  let first: number | undefined;
  for (const [ballots, at] of seen)
    if (ballots >= total && (first === undefined || at < first)) first = at;
  return first;
}

function connect(url: string, agent: http.Agent): Promise<Client> {
  return new Promise((resolve, reject) => {
    const seen = new Map<number, number>();
    const request = http.get(url, { agent }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`${url} answered ${response.statusCode}`));
        return;
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((line) => line.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) {
            const total = (JSON.parse(data.slice(6)) as { total_ballots: number }).total_ballots;
            if (!seen.has(total)) seen.set(total, performance.now());
            if (seen.size === 1) resolve({ seen, request });
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
    request.on('error', reject);
  });
}
