import { describe, expect, it } from 'vitest';
import { createLogger, loggableUrl } from './logger.ts';

describe('loggableUrl', () => {
  it('replaces a receipt in the path and keeps the rest', () => {
    expect(loggableUrl('/rounds/4d1c/receipts/9f2e-77?x=1')).toBe('/rounds/4d1c/receipts/…?x=1');
    expect(loggableUrl('/rounds/4d1c/results')).toBe('/rounds/4d1c/results');
  });
});

describe('createLogger', () => {
  it('logs a request by method, URL without secrets, host and address: no headers', () => {
    const lines: string[] = [];
    const logger = createLogger('test', 'info', { write: (line: string) => lines.push(line) });
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/rounds/1/receipts/secret-receipt',
          host: 'localhost',
          ip: '127.0.0.1',
          headers: { authorization: 'Bearer admin-token', 'x-voter-id': 'alice' },
        },
      },
      'incoming request',
    );
    const logged = JSON.parse(lines[0] ?? '{}');
    expect(logged.req).toEqual({
      method: 'GET',
      url: '/rounds/1/receipts/…',
      host: 'localhost',
      remoteAddress: '127.0.0.1',
    });
    expect(lines[0]).not.toMatch(/admin-token|alice|secret-receipt/);
  });

  it('logs an error by type, message, code and stack, never the objects hung on it', () => {
    const lines: string[] = [];
    const logger = createLogger('test', 'info', { write: (line: string) => lines.push(line) });
    const error = Object.assign(new Error('terminating connection', { cause: new Error('why') }), {
      code: '57P01',
      severity: 'FATAL',
      client: { connectionParameters: { password: 'database-password' }, queries: ['SQL'] },
    });
    logger.warn({ err: error }, 'idle database connection lost');
    const logged = JSON.parse(lines[0] ?? '{}');
    expect(logged.err).toMatchObject({
      type: 'Error',
      message: 'terminating connection',
      code: '57P01',
      severity: 'FATAL',
      cause: { type: 'Error', message: 'why' },
    });
    expect(logged.err.stack).toContain('terminating connection');
    expect(Object.keys(logged.err).sort()).toEqual(
      ['cause', 'code', 'message', 'severity', 'stack', 'type'].sort(),
    );
    expect(lines[0]).not.toMatch(/database-password|queries/);
  });
});
