import { randomBytes, randomUUID } from 'node:crypto';
import type { NewRound } from '@voting/db';

/**
 * A plurality round of two options, as `insertRound` stores it: for tests that write rounds
 * straight to the database (the queries under test, not the API).
 */
export function newRoundFields(fields: Partial<NewRound> = {}): NewRound {
  return {
    roundId: randomUUID(),
    name: 'direct',
    method: 'plurality',
    minChoices: null,
    maxChoices: null,
    allowRevote: false,
    resultsVisibility: 'live',
    publicBallots: false,
    voters: 'anyone',
    listed: false,
    adminTokenHash: randomBytes(32),
    closesAt: null,
    labels: ['A', 'B'],
    ...fields,
  };
}
