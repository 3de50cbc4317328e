import { hubTopic, parseHubTopic, type RejectReason } from '@coldchain/contract';
import type { HubRecord } from '@coldchain/metadata-store';

/** The part of the metadata cache the edge needs. */
export interface HubDirectory {
  authenticateHub(imei: string, secret: string): HubRecord | undefined;
  hub(imei: string): HubRecord | undefined;
  tag(tenantId: string, mac: string): { tenantId: string } | undefined;
}

/**
 * CONNACK return codes of MQTT 3.1.1 (§3.2.2.3, Table 3.1) used when refusing
 * a hub: 4 = bad user name or password, 5 = not authorized.
 */
export const CONNACK = { badUsernameOrPassword: 4, notAuthorized: 5 } as const;

export type AuthDecision = { ok: true; hub: HubRecord } | { ok: false; returnCode: 4 | 5 };

/**
 * Who may connect and where a hub may publish and subscribe. Username = IMEI,
 * password = hub secret; a hub publishes only under its own `khub/{imei}/`
 * (telemetry and status) and subscribes only to its own downlink
 * `khub/{imei}/config`.
 */
export class HubAccessPolicy {
  constructor(private readonly directory: HubDirectory) {}

  authenticate(username: string | undefined, password: Buffer | undefined): AuthDecision {
    if (!username || !password) return { ok: false, returnCode: CONNACK.badUsernameOrPassword };
    const hub = this.directory.authenticateHub(username, password.toString('utf8'));
    return hub ? { ok: true, hub } : { ok: false, returnCode: CONNACK.badUsernameOrPassword };
  }

  /** Undefined when allowed; otherwise the reason the publish is refused. */
  authorizePublish(hub: HubRecord, topic: string): RejectReason | undefined {
    const t = parseHubTopic(topic);
    if (!t || t.imei !== hub.imei || t.kind === 'config') return 'topic_not_allowed';
    return undefined;
  }

  authorizeSubscribe(hub: HubRecord, topic: string): boolean {
    return topic === hubTopic(hub.imei, 'config');
  }
}
