/** `node --import ./scripts/lib/ts-register.mjs`: run the repository's TypeScript sources without a build (ts-hooks.mjs). */
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
