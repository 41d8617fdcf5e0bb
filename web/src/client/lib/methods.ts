/**
 * The words for each voting method, in the chosen language. What a method *is* (its ballot
 * field, whether it ranks, whether it has choice limits) stays the domain's METHOD_TRAITS; only
 * how it is called and explained lives here.
 */
import type { Method } from '@voting/domain';
import { type MessageKey, t } from './i18n.ts';

const key = (method: Method, part: string) => `method.${method}.${part}` as MessageKey;

export const methodName = (method: Method) => t(key(method, 'name'));
export const methodSummary = (method: Method) => t(key(method, 'summary'));
/** The heading of the result bars: "Votes", "Approvals", "First choices". */
export const methodFigure = (method: Method) => t(key(method, 'figure'));
/** What the bars count, or '' when the heading says it all. */
export const methodFigureNote = (method: Method) => t(key(method, 'note'));
/** "3 votes", "1 approval": `count` of the method's unit. */
export const methodUnits = (method: Method, count: number) => t(key(method, 'units'), { count });
