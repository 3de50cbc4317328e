import type { TestBroker } from './aedes-test-broker.js';

/**
 * Resolves when `predicate` holds, checked now and after each message the
 * broker sees (event-driven, no polling sleeps). Rejects after `timeoutMs`
 * (a safety net for a broken build, not a timing assertion) with `what`.
 */
export function waitForBroker(
  broker: TestBroker,
  what: string,
  predicate: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const unsubscribe = broker.onChange(() => {
      if (!predicate()) return;
      cleanup();
      resolve();
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      unsubscribe();
    };
  });
}
