import { bootstrapApp, runMain } from '@coldchain/runtime';
import { NotifierModule } from './notifier.module.js';

/** Alert fan-out as its own process (production stack). */
runMain(() => bootstrapApp('Notifier', [NotifierModule]));
