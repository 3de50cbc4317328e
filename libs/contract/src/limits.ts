/**
 * Numbers of the telemetry contract v1. Hubs must stay within them; the edge
 * rejects what exceeds them with the reason code named beside each.
 */
export const CONTRACT_LIMITS = {
  /** Largest telemetry payload accepted, bytes (`payload_too_large`). A hub splits a larger backlog. */
  maxPayloadBytes: 256 * 1024, // 256 KiB
  /** Most readings in one message (`too_many_readings`). */
  maxReadingsPerMessage: 1000,
  /** Plausible measured-time window (`invalid_time`): 2000-01-01 … 2100-01-01 UTC, epoch ms. */
  minTimeMs: Date.UTC(2000, 0, 1),
  maxTimeMs: Date.UTC(2100, 0, 1),
} as const;

/** Physical ranges (inclusive) a reading's values must fall in (`out_of_range`). */
export const PHYSICAL_RANGES = {
  temperature: { min: -100, max: 100 }, // °C
  humidity: { min: 0, max: 100 }, // %RH
  co2: { min: 0, max: 100_000 }, // ppm (10 %, well past any cold-room sensor)
  battery: { min: 0, max: 100 }, // %
  rssi: { min: -150, max: 20 }, // dBm
} as const;

/** GPS ranges (inclusive). */
export const GPS_RANGES = {
  lat: { min: -90, max: 90 }, // degrees
  lon: { min: -180, max: 180 }, // degrees
  alt: { min: -1000, max: 20_000 }, // metres
  speed: { min: 0, max: 1500 }, // km/h
  hdop: { min: 0, max: 100 },
} as const;
