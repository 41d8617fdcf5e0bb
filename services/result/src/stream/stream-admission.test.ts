import { describe, expect, it } from 'vitest';
import { StreamAdmission, StreamRefused } from './stream-admission.ts';

const refusal = (admit: () => unknown) => {
  try {
    admit();
  } catch (error) {
    if (error instanceof StreamRefused) return error;
    throw error;
  }
  throw new Error('admitted');
};

describe('StreamAdmission', () => {
  it('refuses past the per-address cap with 429, and admits again once one ends', () => {
    const admission = new StreamAdmission({ maxClients: 10, maxClientsPerAddress: 2 });
    const first = admission.admit('10.0.0.1');
    admission.admit('10.0.0.1');
    const refused = refusal(() => admission.admit('10.0.0.1'));
    expect(refused).toMatchObject({ statusCode: 429, code: 'too_many_streams' });
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // Another address is not held to the first one's count.
    admission.admit('10.0.0.2');
    first();
    first(); // releasing twice is harmless
    admission.admit('10.0.0.1');
    expect(admission.open).toBe(3);
  });

  it('refuses past the replica cap with 503, whoever asks', () => {
    const admission = new StreamAdmission({ maxClients: 2, maxClientsPerAddress: 2 });
    admission.admit('a');
    const release = admission.admit('b');
    expect(refusal(() => admission.admit('c'))).toMatchObject({
      statusCode: 503,
      code: 'too_many_streams',
      reason: 'replica_full',
    });
    release();
    admission.admit('c');
    expect(admission.open).toBe(2);
  });
});
