import { runService } from '@voting/service';
import { buildResultApp } from './app.ts';
import { resultConfig } from './config.ts';

await runService('result', resultConfig, buildResultApp);
