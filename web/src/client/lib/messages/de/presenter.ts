/** The German words of the presenter view and the join code. */
import type { presenter as english } from '../en/presenter.ts';
import type { Translation } from '../translation.ts';

export const presenter: Translation<typeof english> = {};
