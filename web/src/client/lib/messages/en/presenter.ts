/** The English words of the presenter view and the join code. */
export const presenter = {} as const;
