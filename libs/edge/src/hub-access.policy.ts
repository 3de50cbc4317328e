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
 * a hub: 2 = identifier rejected, 4 = bad user name or password, 5 = not authorized.
 */
export const CONNACK = { identifierRejected: 2, badUsernameOrPassword: 4, notAuthorized: 5 } as const;

export type AuthDecision = { ok: true; hub: HubRecord } | { ok: false; returnCode: 2 | 4 | 5 };

/** The parts of a PUBLISH (or of a will) the policy looks at. */
export interface PublishRequest {
  topic: string;
  qos: number;
  retain: boolean;
  payload: Buffer | string;
}

/**
 * Why a publish is refused: a contract reject reason (counted with the
 * readings' reasons), or a protocol use the contract does not allow.
 */
export type PublishRefusal =
  Extract<RejectReason, 'topic_not_allowed'> | 'retain_not_allowed' | 'qos_not_allowed';

/** The retained values of the status topic (docs/telemetry-contract.md, Topics). */
const RETAINED_STATUS_VALUES = new Set(['online', 'offline']);
/** QoS 1 is the contract's; QoS 0 is harmless. QoS 2 makes the broker store each message until PUBREL (§4.3.3). */
const MAX_PUBLISH_QOS = 1;

/**
 * Who may connect and where a hub may publish and subscribe. Username = IMEI,
 * password = hub secret, client id `khub-{imei}` (optionally followed by
 * `-{suffix}`, for several sessions of one hub); a hub publishes only under
 * its own `khub/{imei}/` (telemetry and status) at QoS 0 or 1, retains only
 * its status (`online`/`offline`), and subscribes only to its own downlink
 * `khub/{imei}/config`.
 */
export class HubAccessPolicy {
  constructor(private readonly directory: HubDirectory) {}

  /**
   * `clientId` is the CONNECT's client identifier. It must name the hub the
   * credentials authenticate: the broker closes the older session of a client
   * id that connects again (MQTT-3.1.4-2), so a client id of another hub
   * would end that hub's session.
   */
  authenticate(username: string | undefined, password: Buffer | undefined, clientId: string): AuthDecision {
    if (!username || !password) return { ok: false, returnCode: CONNACK.badUsernameOrPassword };
    const hub = this.directory.authenticateHub(username, password.toString('utf8'));
    if (!hub) return { ok: false, returnCode: CONNACK.badUsernameOrPassword };
    if (!HubAccessPolicy.clientIdBelongsTo(hub.imei, clientId))
      return { ok: false, returnCode: CONNACK.identifierRejected };
    return { ok: true, hub };
  }

  /** True for `khub-{imei}` and `khub-{imei}-{suffix}`, the client ids of the hub `imei`. */
  static clientIdBelongsTo(imei: string, clientId: string): boolean {
    const own = `khub-${imei}`;
    return clientId === own || (clientId.startsWith(`${own}-`) && clientId.length > own.length + 1);
  }

  /** Undefined when allowed; otherwise the reason the publish is refused. */
  authorizePublish(hub: HubRecord, packet: PublishRequest): PublishRefusal | undefined {
    const t = parseHubTopic(packet.topic);
    if (!t || t.imei !== hub.imei || t.kind === 'config') return 'topic_not_allowed';
    if (packet.qos > MAX_PUBLISH_QOS) return 'qos_not_allowed';
    if (packet.retain) {
      // An empty retained message clears the retained status (MQTT-3.3.1-10): allowed, it frees memory.
      const value = packet.payload.toString();
      if (t.kind !== 'status' || (value !== '' && !RETAINED_STATUS_VALUES.has(value)))
        return 'retain_not_allowed';
    }
    return undefined;
  }

  authorizeSubscribe(hub: HubRecord, topic: string): boolean {
    return topic === hubTopic(hub.imei, 'config');
  }
}
