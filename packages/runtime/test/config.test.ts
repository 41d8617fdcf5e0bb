import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { baseConfig, ConfigError, loadConfig } from '../src/config.ts';

const schema = { ...baseConfig, PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 8080 }) };

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
