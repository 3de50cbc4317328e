import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@coldchain/domain';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('allows N attempts per address and window, then says how long to wait', () => {
    const clock = new ManualClock(1_000_000);
    const throttle = new LoginThrottle(3, 60_000, clock);
    expect([1, 2, 3].map(() => throttle.take('a'))).toEqual([0, 0, 0]);
    clock.advance(20_000);
    expect(throttle.take('a')).toBe(40_000);
    expect(throttle.take('b')).toBe(0);
    clock.advance(40_000);
    expect(throttle.take('a')).toBe(0);
  });

  it('stays within its address bound, dropping expired windows first', () => {
    const clock = new ManualClock(0);
    const throttle = new LoginThrottle(1, 60_000, clock, 2);
    throttle.take('old');
    clock.advance(60_000);
    throttle.take('kept');
    throttle.take('new'); // full: 'old' has expired and goes
    expect(throttle.take('kept')).toBeGreaterThan(0); // still counted: its window survived
  });
});
