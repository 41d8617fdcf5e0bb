import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, portConfig, processConfig } from './config.ts';

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
