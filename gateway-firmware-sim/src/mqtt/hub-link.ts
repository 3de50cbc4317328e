import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { hubTopic, type HubConfigV1 } from '@coldchain/contract';
import { DEFAULTS } from '../defaults.js';
import type { SeededRandom } from '../random/seeded-random.js';

/** Where a hub's MQTT session stands. */
export type LinkState =
  | 'idle' // not started
  | 'connecting'
  | 'online' // CONNACK 0 received
  | 'backoff' // lost or failed; waiting before the next attempt
  | 'network-down' // simulated cellular outage: no attempts until it comes back
  | 'refused' // CONNACK refused (bad credentials): firmware keeps retrying at the slowest pace
  | 'stopped';

export interface TlsOptions {
  /** PEM of the CA that signed the broker's certificate. */
  ca?: string | Buffer;
  /** Default true; false only for a local self-signed test broker. */
  rejectUnauthorized?: boolean;
}

export interface HubLinkOptions {
  brokerUrl: string;
  imei: string;
  secret: string;
  tls?: TlsOptions;
  random: SeededRandom;
  keepaliveS?: number;
  connectTimeoutMs?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
}

export interface HubLinkEvents {
  /** CONNACK 0. `sessionPresent` is the broker's session-present flag (MQTT 3.1.1 §3.2.2.2). */
  online(sessionPresent: boolean): void;
  /** The session ended (lost, refused, or network taken down). In-flight publishes of that session are void. */
  offline(reason: string): void;
  /** CONNACK with a non-zero return code (MQTT 3.1.1 §3.2.2.3). */
  refused(returnCode: number): void;
  /** A connection attempt failed before CONNACK (TCP refused, timeout, TLS). */
  unreachable(error: Error): void;
  /** A valid downlink configuration arrived on `khub/{imei}/config`. */
  config(config: HubConfigV1): void;
  /** A downlink that is not a valid config v1 (ignored, like firmware would). */
  badConfig(detail: string): void;
}

type Listener<K extends keyof HubLinkEvents> = HubLinkEvents[K];

/**
 * A K-HUB's MQTT session, as the firmware runs it:
 *
 * - clientId `khub-<imei>`, username = IMEI, password = hub secret, optional TLS;
 * - clean session false (persistent: the broker keeps the config subscription and queued downlinks);
 * - last will `offline`, retained, QoS 1, on `khub/{imei}/status`; `online` retained on every connect;
 * - subscribes `khub/{imei}/config` (QoS 1) whenever the broker has no session for it;
 * - reconnects with exponential backoff and seeded jitter (never in lockstep across a fleet).
 *
 * Each connection attempt uses a fresh mqtt.js client (reconnectPeriod 0):
 * the hub's own queue, not mqtt.js's in-memory store, is the source of truth
 * for what is unacknowledged, so when a session ends its in-flight messages
 * are simply published again on the next one (QoS 1 is at-least-once either
 * way: a retransmission with DUP and a republish are both delivered again
 * when only the PUBACK was lost). Callbacks of an ended session are ignored.
 */
export class HubLink {
  private client: MqttClient | undefined;
  private generation = 0;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private networkUp = true;
  private _state: LinkState = 'idle';
  private readonly listeners: { [K in keyof HubLinkEvents]?: Array<Listener<K>> } = {};
  /** Connections that reached CONNACK 0 after the first one. */
  reconnects = 0;
  private everOnline = false;

  constructor(private readonly opts: HubLinkOptions) {}

  get state(): LinkState {
    return this._state;
  }

  get imei(): string {
    return this.opts.imei;
  }

  on<K extends keyof HubLinkEvents>(event: K, fn: HubLinkEvents[K]): this {
    ((this.listeners[event] ??= []) as Array<HubLinkEvents[K]>).push(fn);
    return this;
  }

  private emit<K extends keyof HubLinkEvents>(event: K, ...args: Parameters<HubLinkEvents[K]>): void {
    for (const fn of (this.listeners[event] ?? []) as Array<(...a: Parameters<HubLinkEvents[K]>) => void>)
      fn(...args);
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this._state !== 'idle') return;
    this.open();
  }

  /**
   * Simulates the cellular link going down or up. Down: the TCP session is
   * dropped without DISCONNECT, so the broker publishes the last will; no
   * attempt is made until it is up again. Up: connects at once.
   */
  setNetwork(up: boolean): void {
    if (this._state === 'stopped' || up === this.networkUp) return;
    this.networkUp = up;
    if (!up) {
      this.clearRetry();
      this.dropSession('network down');
      this._state = 'network-down';
    } else if (this._state === 'network-down') {
      this.attempt = 0;
      this.open();
    }
  }

  /**
   * Publishes at QoS 1 on the current session. Returns false (and does not
   * call `done`) when offline. `done(err)` runs on PUBACK, or never if the
   * session ends first (the caller learns that from `offline`).
   */
  publish(topic: string, payload: string | Buffer, done: (err?: Error) => void, retain = false): boolean {
    const client = this.client;
    if (this._state !== 'online' || !client) return false;
    const gen = this.generation;
    client.publish(topic, payload, { qos: 1, retain }, (err) => {
      if (gen !== this.generation) return; // void: that session ended, the message will be sent again
      done(err ?? undefined);
    });
    return true;
  }

  /**
   * Ends the session cleanly. The firmware's shutdown publishes `offline`
   * (retained, QoS 1) itself and waits for its PUBACK (bounded), then sends
   * DISCONNECT, which per MQTT 3.1.1 §3.14.4 discards the will: the status
   * topic says `offline` either way, and a planned stop is told apart from a
   * crash in the broker log. Resolves once the socket is closed, at the
   * latest after `stopCloseTimeoutMs`: mqtt.js's clean end waits for every
   * in-flight PUBACK, so past that bound the socket is dropped (the
   * unacknowledged messages are still in the hub's queue).
   */
  async stop(): Promise<void> {
    if (this._state === 'stopped') return;
    const wasOnline = this._state === 'online';
    this._state = 'stopped';
    this.clearRetry();
    const client = this.client;
    this.client = undefined;
    this.generation++;
    if (!client) return;
    if (wasOnline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DEFAULTS.stopStatusAckTimeoutMs);
        client.publish(hubTopic(this.opts.imei, 'status'), 'offline', { qos: 1, retain: true }, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await new Promise<void>((resolve) => {
      // Past the bound the socket itself goes: a second end(true) would be ignored, since mqtt.js's
      // end() returns at once while a clean end is in progress. The close then ends the client.
      const timer = setTimeout(() => {
        client.once('close', () => resolve());
        client.stream.destroy();
      }, DEFAULTS.stopCloseTimeoutMs);
      client.end(!wasOnline, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private open(): void {
    if (!this.networkUp || this._state === 'stopped') return;
    this._state = 'connecting';
    const gen = ++this.generation;
    const { imei, secret, tls } = this.opts;
    const options: IClientOptions = {
      clientId: `khub-${imei}`,
      username: imei,
      password: secret,
      clean: false,
      protocolVersion: 4,
      keepalive: this.opts.keepaliveS ?? DEFAULTS.keepaliveS,
      connectTimeout: this.opts.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      reconnectPeriod: 0, // backoff is ours (see class comment)
      will: { topic: hubTopic(imei, 'status'), payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(tls ? { ca: tls.ca, rejectUnauthorized: tls.rejectUnauthorized ?? true } : {}),
    };
    const client = connect(this.opts.brokerUrl, options);
    this.client = client;
    const current = () => gen === this.generation;
    let reported = false; // whether this attempt's failure was already reported

    client.on('connect', (connack) => {
      if (!current()) return;
      this._state = 'online';
      this.attempt = 0;
      if (this.everOnline) this.reconnects++;
      this.everOnline = true;
      client.publish(hubTopic(imei, 'status'), 'online', { qos: 1, retain: true });
      if (!connack.sessionPresent) {
        client.subscribe(hubTopic(imei, 'config'), { qos: 1 }, () => undefined);
      }
      this.emit('online', connack.sessionPresent);
    });
    client.on('message', (topic, payload) => {
      if (!current() || topic !== hubTopic(imei, 'config')) return;
      const parsed = parseConfig(payload);
      if (typeof parsed === 'string') this.emit('badConfig', parsed);
      else this.emit('config', parsed);
    });
    client.on('error', (err: Error & { code?: unknown }) => {
      if (!current()) return;
      if (typeof err.code === 'number' && err.code > 0) {
        this._state = 'refused';
        reported = true;
        this.emit('refused', err.code);
      } else if (this._state === 'connecting' && !reported) {
        reported = true;
        this.emit('unreachable', err);
      }
    });
    client.on('close', () => {
      if (!current()) return;
      const wasOnline = this._state === 'online';
      const refused = this._state === 'refused';
      this.client = undefined;
      client.removeAllListeners('connect');
      client.end(true);
      if (wasOnline) this.emit('offline', 'connection lost');
      else if (this._state === 'connecting' && !reported)
        this.emit('unreachable', new Error('connection closed before CONNACK'));
      this.scheduleRetry(refused);
    });
  }

  private dropSession(reason: string): void {
    const client = this.client;
    this.client = undefined;
    const wasOnline = this._state === 'online';
    this.generation++;
    if (client) client.end(true); // no DISCONNECT: the broker fires the will
    if (wasOnline) this.emit('offline', reason);
  }

  private scheduleRetry(refused: boolean): void {
    if (this._state === 'stopped' || !this.networkUp) return;
    if (!refused) this._state = 'backoff';
    const base = refused
      ? (this.opts.reconnectMaxDelayMs ?? DEFAULTS.reconnectMaxDelayMs)
      : Math.min(
          this.opts.reconnectMaxDelayMs ?? DEFAULTS.reconnectMaxDelayMs,
          (this.opts.reconnectInitialDelayMs ?? DEFAULTS.reconnectInitialDelayMs) *
            DEFAULTS.reconnectBackoffFactor ** this.attempt,
        );
    this.attempt++;
    const j = DEFAULTS.reconnectJitterRatio;
    const delay = Math.round(base * this.opts.random.uniform(1 - j, 1 + j));
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

/** Parses a downlink `{ "v": 1, "samplingIntervalS"?, "publishIntervalS"? }`; a string says why it was refused. */
export function parseConfig(payload: Buffer | string): HubConfigV1 | string {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString());
  } catch {
    return 'config is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'config must be a JSON object';
  const c = doc as Record<string, unknown>;
  if (c.v !== 1) return `config v must be 1, got ${JSON.stringify(c.v)}`;
  const out: HubConfigV1 = { v: 1 };
  for (const key of ['samplingIntervalS', 'publishIntervalS'] as const) {
    const v = c[key];
    if (v === undefined) continue;
    // 1 s … 1 day: below a second a cellular hub would drain its data plan; above a day it is a typo.
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > 86_400)
      return `config ${key} must be a number of seconds in 1…86400`;
    out[key] = v;
  }
  return out;
}
