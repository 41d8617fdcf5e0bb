import { runService } from '@voting/service';
import { buildWorkerApp } from './app.ts';
import { workerConfig } from './config.ts';

await runService('worker', workerConfig, buildWorkerApp);
