import type {
  FullResult,
  InvitationEntry,
  InvitationPage,
  IssuedInvitation,
  RoundView,
  Voters,
} from './types.ts';

export type { FullResult, InvitationEntry, InvitationPage, IssuedInvitation, RoundView, Voters };

export interface CreatedRound extends RoundView {
  admin_token: string;
}

export interface RoundList {
  rounds: RoundView[];
  next_cursor: string | null;
}

export interface VoteAccepted {
  ok: true;
  round_id: string;
  receipt: string;
  replaced: boolean;
}

/**
 * An answer that is not 2xx, or none at all: `status` 0 with `code` 'network' (nothing answered)
 * or 'origin_refused' (the server answered, but its CORS rules do not let this page's address
 * read the answer).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function request(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, cache: 'no-store' });
  } catch {
    throw new ApiError(0, await whyUnanswered(url), new URL(url).origin);
  }
  if (response.ok) return response;
  let code = 'http_error';
  let message = `The server answered ${response.status}.`;
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not our JSON error (a proxy's page, say): the status says enough.
  }
  throw new ApiError(response.status, code, message);
}

/**
 * A failed fetch looks the same whether nothing answered or CORS refused this page's origin.
 * A `no-cors` request tells them apart: it is not subject to CORS, so it succeeds (with an
 * answer the page may not read) exactly when the server is there.
 */
async function whyUnanswered(url: string): Promise<'network' | 'origin_refused'> {
  if (new URL(url).origin === window.location.origin) return 'network';
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store' });
    return 'origin_refused';
  } catch {
    return 'network';
  }
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  return (await request(url, { headers })).json() as Promise<T>;
}

export async function postJson<T>(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return response.json() as Promise<T>;
}

export async function deleteJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  return (await request(url, { method: 'DELETE', headers })).json() as Promise<T>;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
