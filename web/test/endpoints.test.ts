/**
 * Where the pages send requests and which links they share (web/src/client/lib/endpoints.ts):
 * a loopback public URL (what `npm start` configures) never reaches a page opened by another
 * address, and never ends up in a link or QR code shown there.
 */
import { describe, expect, it } from 'vitest';
import { endpointsFor, reachable } from '../src/client/lib/endpoints.ts';

const npmStart = { voteUrl: 'http://localhost:8080', resultUrl: 'http://localhost:8081' };

describe('the endpoints of a page', () => {
  it('use the configured URLs on the machine itself', () => {
    const page = 'http://localhost:8080/new';
    const endpoints = endpointsFor(npmStart, page, new URL('http://localhost:8080/'));
    expect(endpoints.vote('/rounds')).toBe('http://localhost:8080/rounds');
    expect(endpoints.result('/rounds/x')).toBe('http://localhost:8081/rounds/x');
    expect(endpoints.page('r/x')).toBe('http://localhost:8080/r/x');
  });

  it('take the LAN address a page was opened by instead of localhost, ports kept', () => {
    const page = 'http://192.168.1.20:8080/new';
    const endpoints = endpointsFor(npmStart, page, new URL('http://192.168.1.20:8080/'));
    expect(endpoints.page('r/x')).toBe('http://192.168.1.20:8080/r/x');
    expect(endpoints.vote('/vote')).toBe('http://192.168.1.20:8080/vote');
    expect(endpoints.result('/rounds/x')).toBe('http://192.168.1.20:8081/rounds/x');
  });

  it('keep a public URL that is not loopback, and same-origin paths, as configured', () => {
    expect(reachable('https://vote.example.org', new URL('http://192.168.1.20:8080/'))).toBe(
      'https://vote.example.org',
    );
    expect(reachable('/live', new URL('http://192.168.1.20/'))).toBe('/live');
    expect(reachable('', new URL('http://192.168.1.20/'))).toBe('');
    const behindIngress = endpointsFor(
      { voteUrl: '', resultUrl: '/live' },
      'https://vote.example.org/r/x',
      new URL('https://vote.example.org/'),
    );
    expect(behindIngress.result('/rounds/x')).toBe('https://vote.example.org/live/rounds/x');
    expect(behindIngress.page('r/x')).toBe('https://vote.example.org/r/x');
  });

  it('leave a page opened by another loopback name alone (CORS says why it fails)', () => {
    expect(reachable('http://127.0.0.1:8080', new URL('http://localhost:8080/'))).toBe(
      'http://127.0.0.1:8080',
    );
  });
});
