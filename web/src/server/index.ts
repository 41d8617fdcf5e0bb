export { pagesConfig } from './config.ts';
export * from './routes/pages.ts';
