/**
 * The project's load client: creates a round on the vote service, then casts plurality votes at a
 * constant rate (each with a voter id of its own, so each is a new ballot) and reads the results
 * from the result service once a second. Prints a JSON summary line every 10 s and a final one.
 *
 * Options, as `--name=value` or environment variables (the flag wins):
 *   --vote-url     VOTE_URL       vote service base URL (default http://127.0.0.1:8080)
 *   --result-url   RESULT_URL     result service base URL (default: the vote URL, which also serves results)
 *   --rate         RATE           votes per second (default 20)
 *   --duration     DURATION       seconds to run; 0 runs until SIGTERM/SIGINT (default 60)
 *   --concurrency  CONCURRENCY    most votes in flight; a vote due while all are busy is skipped
 *                                 and counted, so the rate stays honest (default 32)
 *   --admin-api-key ADMIN_API_KEY  sent when creating the round, if the vote service wants one
 *   --summary-seconds SUMMARY_SECONDS  seconds between summary lines (default 10)
 *
 * It only talks to the two URLs it is given, and stops by itself after DURATION.
 */
import { randomUUID } from 'node:crypto';

type Options = Record<'voteUrl' | 'resultUrl' | 'adminApiKey', string> &
  Record<'rate' | 'duration' | 'concurrency' | 'summarySeconds', number>;

function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!match?.[1] || match[2] === undefined)
      throw new Error(`unknown argument ${arg}: use --name=value`);
    flags.set(match[1], match[2]);
  }
  const text = (flag: string, variable: string, fallback: string) =>
    flags.get(flag) ?? env[variable] ?? fallback;
  const number = (flag: string, variable: string, fallback: number, min: number) => {
    const value = Number(text(flag, variable, String(fallback)));
    if (!Number.isFinite(value) || value < min)
      throw new Error(`--${flag} (${variable}) must be a number >= ${min}`);
    return value;
  };
  const voteUrl = text('vote-url', 'VOTE_URL', 'http://127.0.0.1:8080').replace(/\/$/, '');
  return {
    voteUrl,
    resultUrl: text('result-url', 'RESULT_URL', voteUrl).replace(/\/$/, ''),
    adminApiKey: text('admin-api-key', 'ADMIN_API_KEY', ''),
    rate: number('rate', 'RATE', 20, 0.1),
    duration: number('duration', 'DURATION', 60, 0),
    concurrency: number('concurrency', 'CONCURRENCY', 32, 1),
    summarySeconds: number('summary-seconds', 'SUMMARY_SECONDS', 10, 1),
  };
}

class Tally {
  sent = 0;
  ok = 0;
  skipped = 0;
  errors: Record<string, number> = {};
  resultReads = 0;
  resultErrors: Record<string, number> = {};
  #latenciesMs: number[] = [];

  vote(status: string, ms: number): void {
    if (status === '200') this.ok += 1;
    else this.errors[status] = (this.errors[status] ?? 0) + 1;
    this.#latenciesMs.push(ms);
  }

  /** Cumulative counts, plus latency percentiles of the votes answered since the last line. */
  line(startedAt: number, extra: Record<string, unknown> = {}): string {
    const sorted = this.#latenciesMs.sort((a, b) => a - b);
    const percentile = (p: number) =>
      sorted.length ? Number(sorted[Math.floor((sorted.length - 1) * p)]?.toFixed(1)) : null;
    const summary = {
      elapsed_s: Math.round((Date.now() - startedAt) / 1000),
      sent: this.sent,
      ok: this.ok,
      errors: this.errors,
      skipped: this.skipped,
      latency_ms: { p50: percentile(0.5), p99: percentile(0.99) },
      result_reads: this.resultReads,
      result_errors: this.resultErrors,
      ...extra,
    };
    this.#latenciesMs = [];
    return JSON.stringify(summary);
  }
}

/** A failed request counts under its HTTP status, or under the network error's code. */
function failure(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).name ?? 'error';
}

async function createRound(options: Options): Promise<{ roundId: string; optionIds: number[] }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.adminApiKey) headers.authorization = `Bearer ${options.adminApiKey}`;
  const response = await fetch(`${options.voteUrl}/rounds`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: `load ${new Date().toISOString()}`,
      options: ['Red', 'Green', 'Blue'],
    }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    round_id?: string;
    options?: { option_id: number }[];
  };
  if (response.status !== 201 || !body.round_id || !body.options) {
    throw new Error(`creating the round failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return { roundId: body.round_id, optionIds: body.options.map((option) => option.option_id) };
}

async function run(options: Options): Promise<void> {
  const round = await createRound(options);
  const tally = new Tally();
  const runId = randomUUID().slice(0, 8);
  const startedAt = Date.now();
  const endsAt =
    options.duration > 0 ? startedAt + options.duration * 1000 : Number.POSITIVE_INFINITY;
  let inFlight = 0;
  let stopping = false;
  process.stdout.write(
    `${JSON.stringify({ msg: 'load started', round_id: round.roundId, ...options, adminApiKey: undefined })}\n`,
  );

  const vote = async () => {
    const optionId = round.optionIds[tally.sent % round.optionIds.length];
    const voterId = `${runId}-${tally.sent}`;
    tally.sent += 1;
    inFlight += 1;
    const started = performance.now();
    try {
      const response = await fetch(`${options.voteUrl}/vote`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-voter-id': voterId },
        body: JSON.stringify({ round_id: round.roundId, option_id: optionId }),
      });
      await response.arrayBuffer();
      tally.vote(String(response.status), performance.now() - started);
    } catch (error) {
      tally.vote(failure(error), performance.now() - started);
    } finally {
      inFlight -= 1;
    }
  };

  const readResults = async () => {
    try {
      const response = await fetch(`${options.resultUrl}/rounds/${round.roundId}/results`);
      await response.arrayBuffer();
      if (response.ok) tally.resultReads += 1;
      else tally.resultErrors[response.status] = (tally.resultErrors[response.status] ?? 0) + 1;
    } catch (error) {
      tally.resultErrors[failure(error)] = (tally.resultErrors[failure(error)] ?? 0) + 1;
    }
  };

  // Open loop: every 10 ms, send what the schedule says is due by now, so a slow answer delays
  // nothing else (a closed loop would hide latency by sending less).
  const scheduled = () =>
    Math.floor(((Math.min(Date.now(), endsAt) - startedAt) / 1000) * options.rate);
  let due = 0;
  const pacer = setInterval(() => {
    for (const target = scheduled(); due < target; due += 1) {
      if (inFlight >= options.concurrency) tally.skipped += 1;
      else void vote();
    }
    if (Date.now() >= endsAt) void stop();
  }, 10);
  const reader = setInterval(() => void readResults(), 1000);
  const reporter = setInterval(
    () => process.stdout.write(`${tally.line(startedAt)}\n`),
    options.summarySeconds * 1000,
  );

  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    for (const timer of [pacer, reader, reporter]) clearInterval(timer);
    const drainUntil = Date.now() + 10_000;
    while (inFlight > 0 && Date.now() < drainUntil)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await readResults();
    process.stdout.write(`${tally.line(startedAt, { final: true, round_id: round.roundId })}\n`);
    process.exit(0);
  }
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

try {
  await run(readOptions(process.argv.slice(2), process.env));
} catch (error) {
  process.stderr.write(`load-client: ${(error as Error).message}\n`);
  process.exit(1);
}
