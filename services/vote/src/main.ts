import { runService } from '@voting/service';
import { buildVoteApp } from './app.ts';
import { voteConfig } from './config.ts';

await runService('vote', voteConfig, buildVoteApp);
