export * from './run-service.ts';
export * from './service-app.ts';
