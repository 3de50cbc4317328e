/**
 * The notify benchmark on the embedded platform, in this process: aedes
 * gateway → in-process bus → ingest (alarm engine) → SQLite →
 * coldchain.alerts.v1 → notifier (routing, durable SQLite delivery log) →
 * SMTP sink / Twilio stand-in, with the background load generator, the
 * providers and the probes on the same event loop. Kept to compare with the
 * production stack (bench/notify/production.ts); under load it measures its
 * own event loop as much as the platform.
 *
 * Each probe is one excursion on a tag of its own (two readings above the
 * profile's maximum, measured far enough apart that the alarm engine's
 * reorder window releases the first at once: without that, a live reading
 * is judged up to REORDER_TOLERANCE_MS later, which is the engine's design,
 * not notification latency), published on a hub of its own and waited for
 * (closed loop: one probe at a time, `gapMs` apart); latency from just
 * before the publish to the provider's acceptance. The storm window is set
 * to 1 ms so each alert is texted on its own (a storm summary waits for its
 * window by design), and the per-tenant budgets are raised for the run.
 * Background load: each level (readings/s) runs on a fresh platform:
 * in-range readings from LOAD_HUBS hubs that carry no probes, one message
 * per hub every 100 ms with several readings per tag (up to 1000 per message).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { BusModule } from '@coldchain/bus';
import { ConfigModule, loadConfig } from '@coldchain/config';
import { GatewayModule, MqttBrokerService } from '@coldchain/edge';
import { IngestModule } from '@coldchain/ingestion';
import { MetadataStoreModule } from '@coldchain/metadata-store';
import { readDemoCredentials } from '../../apps/platform/src/demo-tenant.js';
import { NotifierModule } from '@coldchain/notifications';
import { ObservabilityModule } from '@coldchain/observability';
import { bootstrapApp } from '@coldchain/runtime';
import { TelemetryStoreModule } from '@coldchain/telemetry-store';
import { demoRouting, demoSeeding } from '../../apps/platform/src/demo-seed.js';
import { SmtpSink } from '../../test/support/smtp-sink.js';
import { TwilioStandIn } from '../../test/support/twilio-standin.js';
import { latencyRow, type LatencyRow } from './stats.js';

export interface EmbeddedOptions {
  loads: number[];
  probes: number;
  warmup: number;
  /** Pause between one probe's notifications and the next probe, ms. */
  gapMs: number;
}

export interface EmbeddedLevel {
  targetLoadReadingsPerS: number;
  publishedLoadReadingsPerS: number;
  ingestedReadingsPerS: number;
  results: LatencyRow[];
}

/** Small on purpose: the demo seed draws tag MACs from 2^24 values, and thousands of tags would collide. */
const TAGS_PER_HUB = 10;
/** Hubs (of TAGS_PER_HUB tags) publishing the background load; each tag gets several readings per message. */
const LOAD_HUBS = 20;
const LOAD_TICK_MS = 100;
const REORDER_TOLERANCE_MS = 2 * 60_000;
const PHONE = '+4915112345678';

/** A plain header's value (mailparser types headers as strings or structured objects). */
const headerText = (v: unknown): string => (typeof v === 'string' ? v : '');

export async function runEmbedded(opts: EmbeddedOptions): Promise<EmbeddedLevel[]> {
  const levels: EmbeddedLevel[] = [];
  for (const load of opts.loads) levels.push(await runLevel(load, opts));
  return levels;
}

async function runLevel(
  LOAD_PER_S: number,
  { probes: PROBES, warmup: WARMUP, gapMs: GAP_MS }: EmbeddedOptions,
): Promise<EmbeddedLevel> {
  const sink = await SmtpSink.start();
  const standIn = await TwilioStandIn.start();
  const acceptedAt = new Map<string, { email?: number; sms?: number }>();
  const mark = (mac: string, kind: 'email' | 'sms'): void => {
    const e = acceptedAt.get(mac) ?? {};
    e[kind] ??= performance.now();
    acceptedAt.set(mac, e);
  };
  // Provider acceptance instants: the sink records a mail right before it answers 250, the
  // stand-in a message right before its 201.
  const macIn = (s: string): string | undefined => /([0-9A-F]{2}(?::[0-9A-F]{2}){5})/.exec(s)?.[1];
  const pushMail = sink.messages.push.bind(sink.messages);
  sink.messages.push = (...mails) => {
    for (const m of mails) {
      const mac = macIn(headerText(m.parsed.headers.get('x-coldchain-alert-key')));
      if (mac) mark(mac, 'email');
    }
    return pushMail(...mails);
  };
  const pushSms = standIn.messages.push.bind(standIn.messages);
  standIn.messages.push = (...msgs) => {
    for (const m of msgs) {
      const mac = macIn(decodeURIComponent(m.statusCallback ?? ''));
      if (mac) mark(mac, 'sms');
    }
    return pushSms(...msgs);
  };

  const probeHubs = PROBES + WARMUP;
  const loadHubs = LOAD_PER_S > 0 ? LOAD_HUBS : 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-notify-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    MQTT_PORT: '0',
    LOG_LEVEL: 'warn',
    // The demo tenant's hubs are the bench's (the embedded platform's default, not the apps').
    SEED_DEMO: 'true',
    SIM_HUBS: String(probeHubs + loadHubs),
    SIM_TAGS_PER_HUB: String(TAGS_PER_HUB),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    TWILIO_ACCOUNT_SID: standIn.accountSid,
    TWILIO_AUTH_TOKEN: standIn.authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_BASE_URL: standIn.baseUrl,
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    DEMO_ONCALL_PHONE: PHONE,
    NOTIFY_STORM_WINDOW_MS: '1',
    NOTIFY_EMAIL_PER_HOUR: '100000',
    NOTIFY_SMS_PER_HOUR: '100000',
  });
  const app = await bootstrapApp(
    'Bench',
    // The embedded platform's pipeline without the API, and its demo: the tenant and its on-call routing.
    [
      ConfigModule.forRoot(config),
      ObservabilityModule,
      BusModule.forRoot(config),
      TelemetryStoreModule.forRoot(config),
      MetadataStoreModule.forRoot(config, demoSeeding(config)),
      IngestModule,
      NotifierModule.forRoot({ defaultRouting: demoRouting }),
      GatewayModule.forConfig(config),
    ],
    config,
    { handleSignals: false },
  );
  const mqttUrl = `mqtt://127.0.0.1:${app.get(MqttBrokerService).ports.mqtt}`;
  const creds = readDemoCredentials(dataDir)!;
  const connect = (imei: string): Promise<MqttClient> =>
    connectAsync(mqttUrl, {
      clientId: `khub-${imei}`,
      username: imei,
      password: creds.hubs.find((h) => h.imei === imei)!.secret,
      reconnectPeriod: 0,
    });
  const tagsOf = (imei: string) => creds.tags.filter((t) => t.hub === imei);

  // Background load: in-range readings from hubs that carry no probe.
  const loadClients = await Promise.all(creds.hubs.slice(probeHubs).map((h) => connect(h.imei)));
  let loadSent = 0;
  let seq = 0;
  const perTick = Math.round((LOAD_PER_S * LOAD_TICK_MS) / 1000);
  const perTagPerTick = Math.max(1, Math.ceil(perTick / (LOAD_HUBS * TAGS_PER_HUB)));
  const loadTimer =
    LOAD_PER_S > 0
      ? setInterval(() => {
          const now = Date.now();
          let left = perTick;
          for (const [i, c] of loadClients.entries()) {
            if (left <= 0) break;
            const imei = creds.hubs[probeHubs + i].imei;
            const readings = tagsOf(imei)
              .flatMap((t) =>
                Array.from({ length: perTagPerTick }, (_, k) => ({
                  tag: t.mac.toLowerCase().replace(/:/g, '-'),
                  // Spread over the tick, oldest first, so each tag's measured times keep increasing.
                  ts: now - LOAD_TICK_MS + Math.floor(((k + 1) * LOAD_TICK_MS) / perTagPerTick),
                  temperature: (t.profile.temperature.min + t.profile.temperature.max) / 2,
                })),
              )
              .slice(0, left);
            left -= readings.length;
            loadSent += readings.length;
            const payload = { v: 1, hub: imei, seq: ++seq, sentAt: new Date(now).toISOString(), readings };
            void c.publishAsync(`khub/${imei}/telemetry`, JSON.stringify(payload), { qos: 1 });
          }
        }, LOAD_TICK_MS)
      : undefined;

  const metricsBefore = await readingsIngested(app);
  const started = performance.now();
  const results: Array<{ email: number; sms: number }> = [];
  for (let i = 0; i < probeHubs; i++) {
    const hub = creds.hubs[i];
    const tag = tagsOf(hub.imei)[0];
    const client = await connect(hub.imei);
    const now = Date.now();
    const hot = tag.profile.temperature.max + 5;
    const payload = {
      v: 1,
      hub: hub.imei,
      seq: 1,
      sentAt: new Date(now).toISOString(),
      readings: [now - REORDER_TOLERANCE_MS - 20_000, now - 1000].map((ts) => ({
        tag: tag.mac.toLowerCase().replace(/:/g, '-'),
        ts,
        temperature: hot,
      })),
    };
    const t0 = performance.now();
    await client.publishAsync(`khub/${hub.imei}/telemetry`, JSON.stringify(payload), { qos: 1 });
    const deadline = t0 + 30_000;
    while (performance.now() < deadline) {
      const got = acceptedAt.get(tag.mac);
      if (got?.email !== undefined && got.sms !== undefined) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    await client.endAsync();
    const got = acceptedAt.get(tag.mac);
    if (got?.email === undefined || got.sms === undefined)
      throw new Error(`probe ${i}: no ${got?.email === undefined ? 'email' : 'SMS'} within 30 s`);
    if (i >= WARMUP) results.push({ email: got.email - t0, sms: got.sms - t0 });
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  const elapsedS = (performance.now() - started) / 1000;
  const ingested = (await readingsIngested(app)) - metricsBefore;
  if (loadTimer) clearInterval(loadTimer);
  await Promise.all(loadClients.map((c) => c.endAsync()));
  await app.close();
  await standIn.close();
  await sink.close();
  rmSync(dataDir, { recursive: true, force: true });

  const table = [
    latencyRow(
      'publish → SMTP 250 (email)',
      results.map((r) => r.email),
    ),
    latencyRow(
      'publish → Twilio 201 (SMS)',
      results.map((r) => r.sms),
    ),
  ];
  const level: EmbeddedLevel = {
    targetLoadReadingsPerS: LOAD_PER_S,
    publishedLoadReadingsPerS: Math.round(loadSent / elapsedS),
    ingestedReadingsPerS: Math.round(ingested / elapsedS),
    results: table,
  };
  console.log(
    `background load: target ${LOAD_PER_S}/s, published ${level.publishedLoadReadingsPerS}/s, ingested ${level.ingestedReadingsPerS}/s`,
  );
  console.table(table);
  return level;
}

/** coldchain_readings_ingested_total from the platform's own registry. */
async function readingsIngested(app: {
  getHttpServer(): unknown;
  getUrl(): Promise<string>;
}): Promise<number> {
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^coldchain_readings_ingested_total (\d+)/m.exec(text)?.[1] ?? 0);
}
