import { describe, expect, it } from '@jest/globals';
import { ShutdownBudget, settlesWithin } from './shutdown-budget.js';

describe('ShutdownBudget', () => {
  it('has no deadline before a signal: every step runs to its end', () => {
    const budget = new ShutdownBudget();
    expect(budget.busMs()).toBeUndefined();
    expect(budget.stepMs()).toBeUndefined();
  });

  it('gives the bus the budget minus the stores share and margin, a later step all but the margin', () => {
    const budget = new ShutdownBudget();
    budget.start(10_000, 1_000);
    expect(budget.busMs(1_000)).toBe(6_000);
    expect(budget.stepMs(1_000)).toBe(9_000);
    expect(budget.busMs(8_000)).toBe(0);
    expect(budget.stepMs(8_000)).toBe(2_000);
    expect(budget.stepMs(20_000)).toBe(0);
  });

  it('keeps the first deadline when a second signal starts it again', () => {
    const budget = new ShutdownBudget();
    budget.start(10_000, 0);
    budget.start(10_000, 5_000);
    expect(budget.stepMs(0)).toBe(9_000);
  });

  it('records what was cut short', () => {
    const budget = new ShutdownBudget();
    budget.cut('bus: last checkpoints not done');
    expect(budget.cutShort).toEqual(['bus: last checkpoints not done']);
  });
});

describe('settlesWithin', () => {
  it('says whether the promise settled in time, and rethrows its failure', async () => {
    expect(await settlesWithin(Promise.resolve(), 50)).toBe(true);
    expect(await settlesWithin(new Promise(() => undefined), 10)).toBe(false);
    expect(await settlesWithin(Promise.resolve(), undefined)).toBe(true);
    await expect(settlesWithin(Promise.reject(new Error('close failed')), 50)).rejects.toThrow(
      'close failed',
    );
  });
});
