import { describe, expect, it } from '@jest/globals';
import { ConnectionsPerAddressLimiter } from './connections-per-address.limiter.js';

describe('ConnectionsPerAddressLimiter', () => {
  it('refuses the connection over the cap from one address, not from others, and frees a slot on close', () => {
    const limiter = new ConnectionsPerAddressLimiter(2);
    expect(limiter.tryOpen('10.0.0.1')).toBe(true);
    expect(limiter.tryOpen('10.0.0.1')).toBe(true);
    expect(limiter.tryOpen('10.0.0.1')).toBe(false);
    expect(limiter.tryOpen('10.0.0.2')).toBe(true);
    expect(limiter.count('10.0.0.1')).toBe(2);
    limiter.close('10.0.0.1');
    expect(limiter.tryOpen('10.0.0.1')).toBe(true);
    limiter.close('10.0.0.1');
    limiter.close('10.0.0.1');
    expect(limiter.count('10.0.0.1')).toBe(0);
  });

  it('has no cap at 0', () => {
    const limiter = new ConnectionsPerAddressLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.tryOpen('::1')).toBe(true);
  });
});
