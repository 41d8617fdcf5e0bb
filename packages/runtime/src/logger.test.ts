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
});
