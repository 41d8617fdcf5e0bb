import { ConfigError, loadConfig } from '@voting/runtime';
import { describe, expect, it } from 'vitest';
import {
  budgetLimits,
  budgetOf,
  clientAddress,
  parseBudget,
  rateLimitConfig,
} from './rate-limits.ts';

describe('which budget a request spends (method and route pattern)', () => {
  it.each([
    ['POST', '/rounds', 'rounds'],
    ['POST', '/rounds/:id/invitations', 'invitations'],
    ['POST', '/vote', 'ballots'],
    ['GET', '/join/:code', 'joins'],
    ['HEAD', '/join/:code', 'joins'],
    ['GET', '/j/:code', 'joins'],
    ['HEAD', '/j/:code', 'joins'],
    // Every other request of the API and the pages reads.
    ['GET', '/rounds', 'reads'],
    ['GET', '/rounds/:id', 'reads'],
    ['GET', '/rounds/:id/results', 'reads'],
    ['GET', '/rounds/:id/results/stream', 'reads'],
    ['GET', '/rounds/:id/ballots', 'reads'],
    ['GET', '/rounds/:id/receipts/:receipt', 'reads'],
    ['GET', '/rounds/:id/definition', 'reads'],
    ['HEAD', '/rounds/:id/results', 'reads'],
    ['GET', '/', 'reads'],
    ['GET', '/r/:id', 'reads'],
    ['GET', '/assets/*', 'reads'],
    ['GET', '/web-config.json', 'reads'],
    ['GET', '/rounds/:id/invitations', 'reads'],
    ['POST', '/rounds/:id/close', 'reads'],
    ['OPTIONS', '*', 'reads'],
    // No route: a 404 costs a client what a read does.
    ['GET', undefined, 'reads'],
    ['POST', undefined, 'reads'],
  ] as const)('%s %s → %s', (method, route, budget) => {
    expect(budgetOf(method, route)).toBe(budget);
  });

  it.each(['/health', '/livez', '/readyz', '/openapi.json'])('%s is never limited', (route) => {
    expect(budgetOf('GET', route)).toBeNull();
    expect(budgetOf('HEAD', route)).toBeNull();
  });

  it('goes by the method and the pattern, not by a URL', () => {
    expect(budgetOf('GET', '/vote')).toBe('reads');
    expect(budgetOf('POST', '/rounds/abc/invitations')).toBe('reads');
  });
});

describe('the budgets’ settings', () => {
  const load = (env: Record<string, string>) => loadConfig(rateLimitConfig, env);

  it('are on by default, with the documented defaults', () => {
    const config = load({});
    expect(config).toEqual({
      RATE_LIMITS: 'on',
      RATE_LIMIT_ROUNDS: '60/60s',
      RATE_LIMIT_INVITATIONS: '30/60s',
      RATE_LIMIT_BALLOTS: '3000/60s',
      RATE_LIMIT_JOINS: '600/60s',
      RATE_LIMIT_READS: '12000/60s',
    });
    expect(Object.fromEntries(budgetLimits(config))).toEqual({
      rounds: { max: 60, windowMs: 60_000 },
      invitations: { max: 30, windowMs: 60_000 },
      ballots: { max: 3000, windowMs: 60_000 },
      joins: { max: 600, windowMs: 60_000 },
      reads: { max: 12_000, windowMs: 60_000 },
    });
  });

  it('take <max>/<window> in seconds, minutes or hours', () => {
    expect(parseBudget('10/1s')).toEqual({ max: 10, windowMs: 1000 });
    expect(parseBudget('600/10m')).toEqual({ max: 600, windowMs: 600_000 });
    expect(parseBudget('5000/24h')).toEqual({ max: 5000, windowMs: 86_400_000 });
    expect(parseBudget('off')).toBeNull();
  });

  it('switch one budget off with `off`, and all of them with RATE_LIMITS=off', () => {
    const some = budgetLimits(load({ RATE_LIMIT_BALLOTS: 'off', RATE_LIMIT_READS: '5/1m' }));
    expect([...some.keys()]).toEqual(['rounds', 'invitations', 'joins', 'reads']);
    expect(some.get('reads')).toEqual({ max: 5, windowMs: 60_000 });
    expect(budgetLimits(load({ RATE_LIMITS: 'off', RATE_LIMIT_BALLOTS: '1/1s' })).size).toBe(0);
  });

  it.each([
    ['RATE_LIMIT_BALLOTS', '0/60s'],
    ['RATE_LIMIT_BALLOTS', '3000'],
    ['RATE_LIMIT_BALLOTS', '3000/60'],
    ['RATE_LIMIT_BALLOTS', '3000/0s'],
    ['RATE_LIMIT_BALLOTS', '3000/60d'],
    ['RATE_LIMIT_READS', ' 10/60s'],
    ['RATE_LIMIT_READS', 'ten/60s'],
    ['RATE_LIMIT_READS', '10/100h'],
    ['RATE_LIMIT_ROUNDS', 'OFF'],
    ['RATE_LIMIT_INVITATIONS', '-1/60s'],
    ['RATE_LIMITS', 'no'],
  ])('refuses %s=%j, naming the variable', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(name);
  });
});

describe('the client address the limits count', () => {
  it('is request.ip, an IPv6 client by its /64, an IPv4-mapped one as IPv4', () => {
    expect(clientAddress({ ip: '203.0.113.7' })).toBe('203.0.113.7');
    expect(clientAddress({ ip: '2001:db8:1:2:aaaa::1' })).toBe(
      clientAddress({ ip: '2001:db8:1:2:bbbb::2' }),
    );
    expect(clientAddress({ ip: '2001:db8:1:2::1' })).not.toBe(
      clientAddress({ ip: '2001:db8:1:3::1' }),
    );
    expect(clientAddress({ ip: '::ffff:203.0.113.7' })).toBe('203.0.113.7');
  });
});
