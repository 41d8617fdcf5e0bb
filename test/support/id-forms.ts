/** Upper case, lower case and a mix of one id: PostgreSQL reads all three as the same uuid. */
export const caseVariants = (id: string): string[] => [
  id,
  id.toUpperCase(),
  [...id].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join(''),
];

/** Forms of one id that PostgreSQL (or AJV's format: "uuid") would take, or nearly: all refused. */
export const refusedIdForms = (id: string): string[] => [
  `urn:uuid:${id}`,
  `URN:UUID:${id.toUpperCase()}`,
  `{${id}}`,
  id.replaceAll('-', ''),
  `${id.slice(0, 4)}-${id.slice(4).replaceAll('-', '')}`,
  id.slice(0, -1),
  `${id}0`,
  ` ${id}`,
  `${id} `,
  `${id}\u0000`,
  id.replace(/[0-9]/, '\u0661'), // an Arabic-Indic digit
  id.replace(/[0-9a-f]/, 'ｆ'), // a full-width letter
  id.replace(/[a-f]/, 'g'),
];
