import { bootstrapApp, runMain } from '@coldchain/runtime';
import { ApiModule } from '@coldchain/http-api';

/** The HTTP API as its own process (production stack). */
runMain(() => bootstrapApp('Api', [ApiModule]));
