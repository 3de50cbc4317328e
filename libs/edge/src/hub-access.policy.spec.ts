import { describe, expect, it } from '@jest/globals';
import type { HubRecord } from '@coldchain/metadata-store';
import { CONNACK, HubAccessPolicy, type HubDirectory } from './hub-access.policy.js';

const A: HubRecord = { imei: '490154203237518', tenantId: 'a', name: 'A', secretHash: 'x' };
const B: HubRecord = { imei: '356938035643809', tenantId: 'b', name: 'B', secretHash: 'y' };
const secrets = new Map([
  [A.imei, { hub: A, secret: 'secret-a' }],
  [B.imei, { hub: B, secret: 'secret-b' }],
]);
const directory: HubDirectory = {
  authenticateHub: (imei, secret) =>
    secrets.get(imei)?.secret === secret ? secrets.get(imei)?.hub : undefined,
  hub: (imei) => secrets.get(imei)?.hub,
  tag: () => undefined,
};
const policy = new HubAccessPolicy(directory);
const pass = (s: string) => Buffer.from(s);

describe('HubAccessPolicy.authenticate', () => {
  it("accepts the hub's own client id, with or without a suffix", () => {
    expect(policy.authenticate(A.imei, pass('secret-a'), `khub-${A.imei}`)).toEqual({ ok: true, hub: A });
    expect(policy.authenticate(A.imei, pass('secret-a'), `khub-${A.imei}-2`)).toEqual({ ok: true, hub: A });
  });

  it("refuses another hub's client id with CONNACK 2, so that hub's session is not taken over", () => {
    for (const id of [
      `khub-${A.imei}`,
      `khub-${A.imei}-x`,
      `khub-${A.imei}0`,
      `khub-${B.imei}-`,
      '',
      'witness',
    ])
      expect(policy.authenticate(B.imei, pass('secret-b'), id)).toEqual({
        ok: false,
        returnCode: CONNACK.identifierRejected,
      });
  });

  it('refuses wrong credentials with CONNACK 4 whatever the client id', () => {
    expect(policy.authenticate(A.imei, pass('nope'), `khub-${A.imei}`)).toEqual({ ok: false, returnCode: 4 });
    expect(policy.authenticate(undefined, undefined, `khub-${A.imei}`)).toEqual({ ok: false, returnCode: 4 });
  });
});

describe('HubAccessPolicy.authorizePublish', () => {
  const publish = (topic: string, over: Partial<{ qos: number; retain: boolean; payload: string }> = {}) =>
    policy.authorizePublish(A, { topic, qos: 1, retain: false, payload: 'x', ...over });

  it('allows its own telemetry and status at QoS 0 and 1', () => {
    expect(publish(`khub/${A.imei}/telemetry`)).toBeUndefined();
    expect(publish(`khub/${A.imei}/status`, { qos: 0, payload: 'online' })).toBeUndefined();
  });

  it("refuses other hubs' topics, its downlink, and QoS 2", () => {
    expect(publish(`khub/${B.imei}/telemetry`)).toBe('topic_not_allowed');
    expect(publish(`khub/${A.imei}/config`)).toBe('topic_not_allowed');
    expect(publish(`khub/${A.imei}/telemetry`, { qos: 2 })).toBe('qos_not_allowed');
  });

  it('retains only online/offline (or an empty clear) on its own status topic', () => {
    const status = `khub/${A.imei}/status`;
    expect(publish(status, { retain: true, payload: 'online' })).toBeUndefined();
    expect(publish(status, { retain: true, payload: 'offline' })).toBeUndefined();
    expect(publish(status, { retain: true, payload: '' })).toBeUndefined();
    expect(publish(status, { retain: true, payload: 'x'.repeat(1000) })).toBe('retain_not_allowed');
    expect(publish(`khub/${A.imei}/telemetry`, { retain: true, payload: '{}' })).toBe('retain_not_allowed');
  });
});
