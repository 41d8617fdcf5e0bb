/** Another language's catalog: exactly the English keys, with a plural where English has one. */
export type Translation<English> = {
  [K in keyof English]: English[K] extends string ? string : { one: string; other: string };
};
