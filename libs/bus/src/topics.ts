import type { DeadLetter } from '@coldchain/contract';
import type { AlertEvent, TelemetryRecord } from '@coldchain/domain';
import type { TopicSpec } from './bus.port.js';
import { bundledJsonTopic, jsonTopic, packedJsonTopic } from './json-topic.js';
import { telemetryRecordEncoder } from './telemetry-record-json.js';

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
  status: 'online' | 'offline';
  /** Gateway clock, epoch ms. */
  at: number;
}
export const HUB_STATUS_TOPIC = jsonTopic<HubStatusEvent>('coldchain.hub-status.v1');
