import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, portConfig, processConfig, trustedProxyList } from './config.ts';

const schema = {
  ...processConfig,
  ...portConfig(8080),
  DATABASE_URL: Type.String({ minLength: 1 }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, default: 10 }),
};

describe('loadConfig', () => {
  it('fills defaults and converts numbers', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgres://x', PORT: '9000' });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://x',
      PORT: 9000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: 10,
    });
  });

  it.each([
    [{}, /DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://x', PORT: 'eighty' }, /PORT/],
    [{ DATABASE_URL: 'postgres://x', PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses %j with a message naming the variable', (env, name) => {
    expect(() => loadConfig(schema, env)).toThrow(ConfigError);
    expect(() => loadConfig(schema, env)).toThrow(name);
  });
});

describe('TRUSTED_PROXIES', () => {
  const proxies = (value: string) =>
    trustedProxyList(
      loadConfig(schema, { DATABASE_URL: 'postgres://x', TRUSTED_PROXIES: value }).TRUSTED_PROXIES,
    );

  it('is empty by default: no proxy is believed', () => {
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://x' }).TRUSTED_PROXIES).toBe('');
    expect(trustedProxyList('')).toEqual([]);
  });

  it('takes comma-separated addresses, CIDRs of either family and proxy-addr’s named ranges', () => {
    expect(proxies('10.0.0.0/8, 192.168.1.10,fd00::/8 , ::1,loopback,uniquelocal')).toEqual([
      '10.0.0.0/8',
      '192.168.1.10',
      'fd00::/8',
      '::1',
      'loopback',
      'uniquelocal',
    ]);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.300',
    '::1/129',
    '10.0.0.0/8/1',
    '10.0.0.0/',
    'ingress-nginx',
    '10.0.0.0/8;192.168.0.0/16',
  ])('refuses %j, naming the variable', (value) => {
    const env = { DATABASE_URL: 'postgres://x', TRUSTED_PROXIES: value };
    expect(() => loadConfig(schema, env)).toThrow(ConfigError);
    expect(() => loadConfig(schema, env)).toThrow(/TRUSTED_PROXIES/);
  });
});
