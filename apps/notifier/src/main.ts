import { bootstrapApp, runMain } from '@coldchain/runtime';
import { NotifierModule } from '@coldchain/notifications';

/** Alert fan-out as its own process (production stack). */
runMain(() => bootstrapApp('Notifier', [NotifierModule]));
