import { bootstrapApp, configOrExit, runMain } from '@coldchain/runtime';
import { notifierModules } from './notifier.composition.js';

/** Alert fan-out as its own process (production stack). */
runMain(() => {
  const config = configOrExit();
  return bootstrapApp('Notifier', notifierModules(config), config);
});
