/**
 * Rounds and ballots made straight through the API, for the end-to-end files that need a page
 * to show something (e2e.test.ts calls these files; they are no test files of their own).
 */
import { expect } from 'vitest';

export interface Round {
  round_id: string;
  admin_token: string;
  options: { option_id: number; label: string }[];
}

export async function createRound(voteUrl: string, body: object): Promise<Round> {
  const response = await fetch(`${voteUrl}/rounds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Round;
}

export async function castByApi(
  voteUrl: string,
  roundId: string,
  voter: string,
  ballot: object,
): Promise<void> {
  const response = await fetch(`${voteUrl}/vote`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-voter-id': voter },
    body: JSON.stringify({ round_id: roundId, ...ballot }),
  });
  expect(response.status).toBe(200);
}

export async function closeByApi(voteUrl: string, round: Round): Promise<void> {
  const response = await fetch(`${voteUrl}/rounds/${round.round_id}/close`, {
    method: 'POST',
    headers: { authorization: `Bearer ${round.admin_token}` },
  });
  expect(response.status).toBe(200);
}

/**
 * Labels that break naive layouts and naive text handling: a 150-letter word, a long URL,
 * emoji (a family is one grapheme of seven code points), Arabic and Hebrew mixed with Latin and
 * digits, and an ordinary one to compare with.
 */
export const HOSTILE_LABELS = [
  `Pneumonoultramicroscopicsilicovolcanoconiosis${'x'.repeat(105)}`,
  `https://example.org/a/very/long/path/that/never/breaks/${'segment'.repeat(14)}`,
  '🎉🎉🎉 Fête 👩‍👩‍👧‍👦 🇩🇪🇫🇷 ✨ '.repeat(3).trim(),
  'مرحبا بالعالم 2025 שלום עולם (A/B)',
  'Tea',
];

export const HOSTILE_NAME = `Which of these ${'Donaudampfschifffahrtsgesellschaftskapitän'.repeat(2)} options, https://example.org/${'q'.repeat(50)} — مرحبا שלום?`;
