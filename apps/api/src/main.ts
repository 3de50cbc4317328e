import { bootstrapApp, runMain } from '@coldchain/runtime';
import { ApiModule } from './api.module.js';

/** The HTTP API as its own process (production stack). */
runMain(() => bootstrapApp('Api', [ApiModule]));
