import type { AlertEvent } from '@coldchain/domain';
import type { AlertRenderContext } from '@coldchain/notifications';

/** 2025-03-04T13:05:00Z = 14:05 CET in Berlin. Fixed: tests never read the wall clock for content. */
export const STARTED_AT = Date.UTC(2025, 2, 4, 13, 5, 0);

export function criticalExcursion(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    v: 1,
    key: 'alert:AA:BB:CC:00:00:01:temperature.high:1741093500000:raised',
    tenantId: 'acme',
    tag: 'AA:BB:CC:00:00:01',
    hub: '356938035643809',
    profileId: 'vaccines',
    profileVersion: 3,
    rule: 'temperature.high',
    severity: 'critical',
    transition: 'raised',
    startedAt: STARTED_AT,
    value: 9.4,
    bound: 8,
    unit: '°C',
    position: { lat: 52.52, lon: 13.405, fixAt: STARTED_AT - 120_000 },
    late: false,
    emittedAt: STARTED_AT + 60_000,
    ...overrides,
  };
}

export function renderContext(overrides: Partial<AlertRenderContext> = {}): AlertRenderContext {
  return {
    tagName: 'Fridge A1',
    profileName: 'Vaccines 2–8 °C',
    tenantName: 'Acme Pharma',
    hubName: 'Truck 7',
    contact: { name: 'Dana Night', timeZone: 'Europe/Berlin' },
    ackUrl: 'https://coldchain.example/ack?t=signed-token',
    ackCode: '4821',
    ...overrides,
  };
}
