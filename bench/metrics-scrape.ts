/**
 * The metrics scenario: the worst case of the vote service's `/metrics` that the API allows —
 * METRICS_MAX_ROUNDS (200) approval rounds of 100 options whose names and labels are 200
 * characters of 3-byte UTF-8, ballots approving up to every option — then scrapes of its metrics
 * port, each a fresh rendering (size, p50, p99), and votes while 4 clients loop on scrapes.
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { METRICS_RENDER_INTERVAL_MS } from '@voting/service';

export interface ScrapeResult {
  /** The page's size, and what went over the wire (gzipped, as Prometheus asks for it). */
  bytes: number;
  wireBytes: number;
  scrapes: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const longest = (i: number) => `${i} ${'€'.repeat(200)}`.slice(0, 200);

async function post(url: string, body: object): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** Creates the worst-case rounds on the vote service, each with one ballot. */
export async function fillWorstCaseRounds(voteUrl: string, rounds = 200): Promise<void> {
  const options = Array.from({ length: 100 }, (_, i) => longest(i + 1));
  const everyOption = Array.from({ length: 100 }, (_, i) => i + 1);
  for (let r = 0; r < rounds; r++) {
    const created = await post(`${voteUrl}/rounds`, {
      name: longest(r),
      method: 'approval',
      options,
    });
    if (created.status !== 201) throw new Error(`creating a round failed: ${created.status}`);
    const roundId = (created.json as { round_id: string }).round_id;
    // The newest round approves every option; the others counts of all sizes, so whole rounds
    // can fill voting_votes_total's byte bound.
    const approved = r === rounds - 1 ? 100 : 1 + ((r * 37) % 100);
    const voted = await post(`${voteUrl}/vote`, {
      round_id: roundId,
      option_ids: everyOption.slice(0, approved),
    });
    if (voted.status !== 200) throw new Error(`voting failed: ${voted.status}`);
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

interface Scrape {
  ok: boolean;
  /** The body as received (gzipped). */
  body: Buffer;
  ms: number;
}

/** One scrape over a keep-alive connection, asking for gzip as Prometheus does. */
function scrape(url: string): Promise<Scrape> {
  const started = performance.now();
  return new Promise((resolve) => {
    http
      .get(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            ok: response.statusCode === 200 && response.headers['content-encoding'] === 'gzip',
            body: Buffer.concat(chunks),
            ms: performance.now() - started,
          }),
        );
      })
      .on('error', () => resolve({ ok: false, body: Buffer.alloc(0), ms: 0 }));
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/**
 * `count` scrapes, each a fresh rendering: the listener serves a scrape within
 * METRICS_RENDER_INTERVAL_MS of the last rendering from it, so they are that far apart (as
 * Prometheus' are, 15 s). Size, p50 and p99.
 */
export async function measureScrapes(url: string, count: number): Promise<ScrapeResult> {
  const pause = () =>
    new Promise((resolve) => setTimeout(resolve, METRICS_RENDER_INTERVAL_MS + 50));
  for (let i = 0; i < 3; i++) {
    await scrape(url); // warm-up
    await pause();
  }
  const times: number[] = [];
  let bytes = 0;
  let wireBytes = 0;
  let errors = 0;
  for (let i = 0; i < count; i++) {
    await pause();
    const result = await scrape(url);
    if (!result.ok) errors++;
    else {
      bytes = Math.max(bytes, gunzipSync(result.body).length);
      wireBytes = Math.max(wireBytes, result.body.length);
    }
    times.push(result.ms);
  }
  times.sort((a, b) => a - b);
  return {
    bytes,
    wireBytes,
    scrapes: count,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    errors,
  };
}

/** `clients` loops of back-to-back scrapes until `stop` resolves; counts scrapes and errors. */
export async function loopScrapes(
  url: string,
  clients: number,
  stop: Promise<unknown>,
): Promise<{ scrapes: number; errors: number }> {
  let done = false;
  void stop.then(() => {
    done = true;
  });
  let scrapes = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!done) {
        const result = await scrape(url);
        scrapes++;
        if (!result.ok) errors++;
      }
    }),
  );
  return { scrapes, errors };
}
