export * from './admin-auth.ts';
export * from './results.ts';
export * from './round-view.ts';
export * from './routes.ts';
export * from './schemas.ts';
