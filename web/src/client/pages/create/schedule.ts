import type { Problem } from '../../lib/form-problems.ts';
import { t } from '../../lib/i18n.ts';
import { dateTimeField, futureInstant } from '../../lib/local-time.ts';

export interface ScheduleFields {
  /** "Opens at" and "Close by itself at", for the "More settings" fieldset. */
  fields: HTMLElement[];
  /** What is wrong with the times as typed, each on its field. */
  problems(): Problem[];
  /** `opens_at` and `closes_at` for the request, each only when given. */
  value(): { opens_at?: string; closes_at?: string };
}

/**
 * A new round's optional start (ballots before it are refused) and deadline, in this browser's
 * local time: each in the future, and the start before the deadline, as the API requires.
 */
export function scheduleFields(): ScheduleFields {
  const opens = dateTimeField('opens-at', t('schedule.createLabel'), t('schedule.createHint'));
  const closes = dateTimeField('closes-at', t('create.closesAt'), t('create.closesAtHint'));

  const read = () => ({
    opensAt: futureInstant(opens.input.value),
    closesAt: futureInstant(closes.input.value),
  });

  return {
    fields: [opens.field, closes.field],
    problems: () => {
      const { opensAt, closesAt } = read();
      const problems: Problem[] = [];
      if (opensAt === 'unreadable' || opensAt === 'past')
        problems.push({ message: t('schedule.future'), control: opens.input });
      if (closesAt === 'unreadable' || closesAt === 'past')
        problems.push({ message: t('create.closesFuture'), control: closes.input });
      if (opensAt instanceof Date && closesAt instanceof Date && opensAt >= closesAt)
        problems.push({ message: t('schedule.beforeDeadline'), control: opens.input });
      return problems;
    },
    value: () => {
      const { opensAt, closesAt } = read();
      return {
        ...(opensAt instanceof Date ? { opens_at: opensAt.toISOString() } : {}),
        ...(closesAt instanceof Date ? { closes_at: closesAt.toISOString() } : {}),
      };
    },
  };
}
