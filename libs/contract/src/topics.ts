import type { AlertEvent, TelemetryRecord } from '@coldchain/domain';
import type { DeadLetter } from './dead-letter.js';
import { bundledJsonTopic, jsonTopic, packedJsonTopic } from './json-topic.js';
import { telemetryRecordEncoder } from './telemetry-record-json.js';
import type { TopicSpec } from './topic-spec.js';

// --- MQTT: the hubs' side ------------------------------------------------------

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

/** A hub's connectivity: the payloads it publishes on `khub/{imei}/status`, and the status every service keeps. */
export type HubStatus = 'online' | 'offline';

/** Downlink settings published on `khub/{imei}/config`. */
export interface HubConfigV1 {
  v: 1;
  /** How often the hub samples its tags, seconds. */
  samplingIntervalS?: number;
  /** How often the hub publishes, seconds. */
  publishIntervalS?: number;
}

// --- Bus: between the services ---------------------------------------------------

/**
 * Accepted telemetry, one tag's readings per record, keyed by tag MAC. The
 * hot path's topic: on Kafka its records travel bundled per partition and
 * produce request (one Kafka record for many tags).
 */
export const TELEMETRY_TOPIC = bundledJsonTopic<TelemetryRecord>(
  'coldchain.telemetry.v1',
  telemetryRecordEncoder(),
);
/** Refused telemetry with its raw payload and reason, keyed by hub IMEI. */
export const TELEMETRY_DLQ_TOPIC = jsonTopic<DeadLetter>('coldchain.telemetry.dlq.v1');
/** Alarm transitions, keyed by tag MAC. */
export const ALERTS_TOPIC = jsonTopic<AlertEvent>('coldchain.alerts.v1');

/**
 * The alarm engine's per-tag state (changelog), keyed by tag MAC, compacted:
 * the latest snapshot per tag (null = the tag's state was dropped). Written by
 * ingest to the partition number of the telemetry it mirrors, read back with
 * `readToEnd` when a partition is assigned. Values are the engine's versioned
 * `TagSnapshot` (typed loosely here: the engine checks them on restore), its
 * numeric `slab` packed as float64 (see {@link packedJsonTopic}).
 */
export const ALARM_STATE_TOPIC: TopicSpec<{ slab: (number | string)[] | Float64Array }> = {
  ...packedJsonTopic<{ slab: (number | string)[] | Float64Array }>('coldchain.alarm-state.v1', 'slab'),
  compacted: true,
};

/** Hub connectivity as the edge sees it, keyed by hub IMEI. */
export interface HubStatusEvent {
  v: 1;
  hub: string;
  tenantId: string;
  status: HubStatus;
  /** Gateway clock, epoch ms. */
  at: number;
}
export const HUB_STATUS_TOPIC = jsonTopic<HubStatusEvent>('coldchain.hub-status.v1');
