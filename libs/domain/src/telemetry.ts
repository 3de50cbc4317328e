import type { EpochMs } from './time.js';

/** Door contact state reported by a K-TAG. */
export type DoorState = 'open' | 'closed';

/**
 * What one K-TAG measured at one instant. Every metric is optional: a tag
 * reports what it has sensors for. Units: temperature °C, humidity %RH,
 * co2 ppm, battery %, rssi dBm (as heard by the hub).
 */
export interface Measurement {
  /** When the tag measured the values (not when the hub sent them), epoch ms UTC. */
  ts: EpochMs;
  /** Per-tag rolling counter, when the tag provides one; part of the de-duplication key. */
  seq?: number;
  temperature?: number;
  humidity?: number;
  co2?: number;
  door?: DoorState;
  battery?: number;
  rssi?: number;
}

/** A GPS fix reported by a K-HUB. Units: degrees, metres, km/h. */
export interface Position {
  lat: number;
  lon: number;
  alt?: number;
  speed?: number;
  hdop?: number;
  /** When the fix was taken, epoch ms UTC. */
  fixAt: EpochMs;
}

/**
 * One tag's accepted readings out of one hub message: the unit carried on
 * `coldchain.telemetry.v1`, keyed by tag MAC so that each tag's readings stay
 * in order within a partition. Produced by the edge after validation and
 * identity checks, consumed by ingest.
 */
export interface TelemetryRecord {
  v: 1;
  tenantId: string;
  /** K-HUB IMEI (15 digits). */
  hub: string;
  /** K-TAG MAC, normalised upper-case colon form. */
  tag: string;
  /** The hub message's sequence number (per hub). */
  hubSeq: number;
  /** Hub clock when it sent the message, epoch ms. */
  sentAt: EpochMs;
  /** Gateway clock when the message arrived, epoch ms. */
  receivedAt: EpochMs;
  gps?: Position;
  /** In the order the hub sent them; usually ascending `ts`. */
  readings: Measurement[];
}

/** One stored reading, the row/point the telemetry store keeps. */
export interface StoredReading extends Measurement {
  tenantId: string;
  tag: string;
  hub: string;
  profileId?: string;
  receivedAt: EpochMs;
}
