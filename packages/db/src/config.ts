import { Type } from 'typebox';

/** The settings of a service that runs on the database (every one of them). */
export const databaseConfig = {
  DATABASE_URL: Type.String({ minLength: 1, description: 'PostgreSQL connection string' }),
  DATABASE_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
};
