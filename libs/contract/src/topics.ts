/**
 * MQTT topic layout of the telemetry contract v1. A hub may publish only under
 * its own `khub/{imei}/` prefix.
 *
 * - `khub/{imei}/telemetry`: uplink, a batch of tag readings (QoS 1).
 * - `khub/{imei}/status`: uplink, `online` | `offline`, retained; the hub's last
 *   will publishes `offline` there.
 * - `khub/{imei}/config`: downlink, JSON settings such as the sampling interval.
 */
export const TOPIC_ROOT = 'khub';

export type HubTopicKind = 'telemetry' | 'status' | 'config';

export const hubTopic = (imei: string, kind: HubTopicKind): string => `${TOPIC_ROOT}/${imei}/${kind}`;

/** Splits `khub/{imei}/{kind}`; undefined for any other topic. Does not check the IMEI. */
export function parseHubTopic(topic: string): { imei: string; kind: HubTopicKind } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== TOPIC_ROOT) return undefined;
  const kind = parts[2];
  if (kind !== 'telemetry' && kind !== 'status' && kind !== 'config') return undefined;
  return { imei: parts[1], kind };
}

/** Status payloads a hub publishes on `khub/{imei}/status`. */
export type HubStatus = 'online' | 'offline';

/** Downlink settings published on `khub/{imei}/config`. */
export interface HubConfigV1 {
  v: 1;
  /** How often the hub samples its tags, seconds. */
  samplingIntervalS?: number;
  /** How often the hub publishes, seconds. */
  publishIntervalS?: number;
}
