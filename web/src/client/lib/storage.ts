import type { Voters } from './types.ts';

/**
 * What this browser remembers, in localStorage (or, where that is refused, for this page only):
 * its voter id, the admin tokens of the rounds it created, the receipts of its ballots (so the
 * rounds it voted in, and what it chose there) and the language chosen with the switch. Never an invitation code: the vote page keeps that in memory only.
 */
const memory = new Map<string, string>();

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

function readMap<T>(key: string): Record<string, T> {
  try {
    const parsed = JSON.parse(read(key) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, T>) : {};
  } catch {
    return {};
  }
}

const VOTER_ID = 'voting.voter-id';
const ADMIN = 'voting.admin';
const RECEIPTS = 'voting.receipts';
const LANGUAGE = 'voting.language';

export function preferredLanguage(): string | null {
  return read(LANGUAGE);
}

export function rememberLanguage(language: string): void {
  write(LANGUAGE, language);
}

/**
 * This browser's voter id, sent as X-Voter-Id: random, made once and kept. It names no person;
 * it only lets the server keep one ballot per browser. (getRandomValues, not randomUUID: the
 * latter needs a secure context, and a phone on the LAN loads the page over plain http.)
 */
export function voterId(): string {
  const existing = read(VOTER_ID);
  if (existing && /^[0-9a-f]{32}$/.test(existing)) return existing;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  write(VOTER_ID, id);
  return id;
}

export interface AdminEntry {
  token: string;
  name: string;
  /** Known from creation; older entries lack them. */
  voters?: Voters;
  listed?: boolean;
}

export function adminTokens(): Record<string, AdminEntry> {
  return readMap<AdminEntry>(ADMIN);
}

export function adminToken(roundId: string): string | null {
  return adminTokens()[roundId]?.token ?? null;
}

/** Adds to what is already remembered of the round (the manage page knows less than creation). */
export function rememberAdminToken(roundId: string, entry: AdminEntry): void {
  const all = adminTokens();
  write(ADMIN, JSON.stringify({ ...all, [roundId]: { ...all[roundId], ...entry } }));
}

export function forgetAdminToken(roundId: string): void {
  const { [roundId]: _gone, ...rest } = adminTokens();
  write(ADMIN, JSON.stringify(rest));
}

export interface ReceiptEntry {
  receipt: string;
  at: string;
  /** The round's name, for the home page's "Rounds you voted in" (older entries lack it). */
  name?: string;
  /**
   * What the ballot chose, as option ids in the order sent (a ranking, most preferred first):
   * shown to a voter who comes back, and restored for a revote. Older entries lack it.
   */
  choices?: number[];
}

export function receipt(roundId: string): ReceiptEntry | null {
  return readMap<ReceiptEntry>(RECEIPTS)[roundId] ?? null;
}

/** The rounds this browser voted in, by round id: how an unlisted round stays reachable. */
export function votedRounds(): Record<string, ReceiptEntry> {
  return readMap<ReceiptEntry>(RECEIPTS);
}

/** Forgets this browser's ballot in a round (a deleted one: "Rounds you voted in" drops it). */
export function forgetReceipt(roundId: string): void {
  const { [roundId]: _gone, ...rest } = readMap<ReceiptEntry>(RECEIPTS);
  write(RECEIPTS, JSON.stringify(rest));
}

export function rememberReceipt(
  roundId: string,
  value: string,
  name: string,
  choices: number[],
): void {
  const entry: ReceiptEntry = { receipt: value, at: new Date().toISOString(), name, choices };
  write(RECEIPTS, JSON.stringify({ ...readMap<ReceiptEntry>(RECEIPTS), [roundId]: entry }));
}
