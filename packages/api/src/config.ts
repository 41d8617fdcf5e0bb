import { Type } from 'typebox';

/** The settings of a service that administers rounds (vote and result). */
export const adminConfig = {
  /**
   * The operator key. When set, creating rounds requires `Authorization: Bearer <ADMIN_API_KEY>`;
   * it also administers every round (closing, exports and hidden results, on both services).
   */
  ADMIN_API_KEY: Type.Optional(Type.String({ minLength: 16 })),
};
