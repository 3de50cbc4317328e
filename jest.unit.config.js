import { base } from './jest.base.config.js';

/** Unit tier: `*.spec.ts` beside the code, fakes for ports, no I/O beyond temp dirs. */
export default {
  ...base,
  displayName: 'unit',
  // test/boundaries: the module boundary check (.dependency-cruiser.cjs) against fixtures and this tree.
  testMatch: [
    '<rootDir>/{apps,libs,gateway-firmware-sim}/**/*.spec.ts',
    '<rootDir>/test/boundaries/**/*.spec.ts',
  ],
};
