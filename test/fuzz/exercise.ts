import type { Pool } from '@voting/db';
import type { HttpApp } from '@voting/runtime';
import type { FuzzRequest } from './arbitraries.ts';
import { storedFingerprint } from './fingerprint.ts';

/** The longest any answer may take (invariant 10: never a hang). */
export const MAX_ANSWER_MS = 2_000;

export interface Answer {
  /** A HEAD answer has headers only. */
  head: boolean;
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

/** Per route: requests sent and the statuses they got. */
export class Tally {
  readonly #byRoute = new Map<string, Map<number, number>>();

  count(route: string, status: number): void {
    let statuses = this.#byRoute.get(route);
    if (!statuses) {
      statuses = new Map();
      this.#byRoute.set(route, statuses);
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }

  get total(): number {
    let total = 0;
    for (const statuses of this.#byRoute.values()) for (const n of statuses.values()) total += n;
    return total;
  }

  sent(route: string): number {
    let total = 0;
    for (const n of this.#byRoute.get(route)?.values() ?? []) total += n;
    return total;
  }

  /** One line per route: how many requests, and how many got each status. */
  report(): string {
    const lines: string[] = [];
    for (const [route, statuses] of this.#byRoute) {
      const shown = [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
      lines.push(`${String(this.sent(route)).padStart(5)}  ${route.padEnd(48)} ${shown}`);
    }
    return lines.join('\n');
  }
}

/**
 * Sends one request through `inject` and reads its answer. A stream (`streams`) is read up to its
 * first bytes and then hung up on, as a client going away would.
 */
export async function send(app: HttpApp, request: FuzzRequest, streams: boolean): Promise<Answer> {
  const started = performance.now();
  const response = await app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.payload === undefined ? {} : { payload: request.payload }),
    ...(streams ? { payloadAsStream: true } : {}),
  });
  let body = '';
  if (streams) {
    const stream = response.stream();
    if (response.statusCode === 200) {
      // Headers came: the answer did not hang. Hang up, which ends the stream on the server.
      (response.raw.res as unknown as { destroy: () => void }).destroy();
      stream.destroy();
    } else {
      for await (const chunk of stream) body += chunk;
    }
  } else {
    body = response.body;
  }
  return {
    head: request.method === 'HEAD',
    status: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    body,
    ms: performance.now() - started,
  };
}

/**
 * What every answer must be (invariant 7): no 5xx, a JSON `{error, message}` of strings for every
 * 4xx, within {@link MAX_ANSWER_MS}. Returns the problem, or null. `allowed` lists 5xx codes that
 * say something about the deployment, not the input (pages not built).
 */
export function problemWith(answer: Answer, allowed: readonly string[] = []): string | null {
  if (answer.ms > MAX_ANSWER_MS) return `took ${Math.round(answer.ms)} ms`;
  if (answer.status < 400) return null;
  if (!/^application\/json/.test(answer.contentType))
    return `${answer.status} with content-type "${answer.contentType}": ${answer.body.slice(0, 200)}`;
  if (answer.head) return answer.status >= 500 ? `${answer.status} to a HEAD` : null;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return `${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  const { error, message, ...rest } = (body ?? {}) as Record<string, unknown>;
  if (typeof error !== 'string' || typeof message !== 'string' || Object.keys(rest).length > 0)
    return `${answer.status} with a body that is not {error, message}: ${answer.body.slice(0, 200)}`;
  if (answer.status >= 500 && !allowed.includes(error))
    return `${answer.status} ${error}: ${message}`;
  return null;
}

/**
 * Sends a request that may write, and checks that a refusal (4xx) stored nothing: the database's
 * fingerprint is the same before and after it.
 */
export async function sendAndCompare(
  app: HttpApp,
  pool: Pool,
  request: FuzzRequest,
  streams: boolean,
): Promise<{ answer: Answer; changedByRefusal: string | null }> {
  const before = await storedFingerprint(pool);
  const answer = await send(app, request, streams);
  if (answer.status < 400) return { answer, changedByRefusal: null };
  const after = await storedFingerprint(pool);
  return { answer, changedByRefusal: after === before ? null : `${before} → ${after}` };
}
