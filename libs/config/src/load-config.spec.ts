import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { envSchema } from './env.schema.js';
import { ConfigError } from './config.error.js';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives the embedded defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      MQTT_PORT: 1883,
      DATA_DIR: './var',
      BUS: 'inprocess',
      TELEMETRY_STORE: 'sqlite',
      METADATA_STORE: 'sqlite',
      SIM_HUBS: 3,
      SEED_DEMO: false,
    });
    expect(config.SMTP_HOST).toBeUndefined();
    expect(config.INFLUX_TOKEN).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('takes app defaults for keys left unset, never over a value set', () => {
    expect(loadConfig({}, { SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }, { SEED_DEMO: 'true' }).SEED_DEMO).toBe(false);
  });

  it('refuses an engine selected without its credentials, naming each missing key in one error', () => {
    expect(() => loadConfig({ TELEMETRY_STORE: 'influxdb' })).toThrow(
      'Invalid environment variables: INFLUX_TOKEN="" (required when TELEMETRY_STORE=influxdb)',
    );
    expect(() => loadConfig({ METADATA_STORE: 'postgres' })).toThrow(
      'Invalid environment variables: DATABASE_URL="" (required when METADATA_STORE=postgres)',
    );
    const error = (() => {
      try {
        loadConfig({ TELEMETRY_STORE: 'influxdb', METADATA_STORE: 'postgres', INFLUX_TOKEN: ' ' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      'INFLUX_TOKEN="" (required when TELEMETRY_STORE=influxdb)',
      'DATABASE_URL="" (required when METADATA_STORE=postgres)',
    ]);
    const url = 'postgres://cc:pw@127.0.0.1:5432/cc';
    expect(
      loadConfig({
        TELEMETRY_STORE: 'influxdb',
        INFLUX_TOKEN: 't0k',
        METADATA_STORE: 'postgres',
        DATABASE_URL: url,
      }),
    ).toMatchObject({ INFLUX_TOKEN: 't0k', DATABASE_URL: url });
  });

  it('refuses secrets under 32 bytes from the environment, without echoing them', () => {
    const error = (() => {
      try {
        loadConfig({ ACK_LINK_SECRET: 'a'.repeat(31), JWT_SECRET: 'j'.repeat(31) });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'JWT_SECRET="***" (expected at least 32 bytes)',
        'ACK_LINK_SECRET="***" (expected at least 32 bytes)',
      ]),
    );
    expect(error.message).not.toContain('a'.repeat(31));
    expect(error.message).not.toContain('j'.repeat(31));
    // Bytes, not characters: 16 two-byte characters are 32 bytes.
    expect(loadConfig({ ACK_LINK_SECRET: 'é'.repeat(16) }).ACK_LINK_SECRET).toBe('é'.repeat(16));
    expect(loadConfig({ ACK_LINK_SECRET: 'a'.repeat(32), JWT_SECRET: 'j'.repeat(32) })).toMatchObject({
      ACK_LINK_SECRET: 'a'.repeat(32),
    });
  });

  it('refuses a short webhook secret and a Twilio token shorter than Twilio issues', () => {
    const error = (() => {
      try {
        loadConfig({
          WEBHOOK_URL: 'https://hooks.x.test/cc',
          WEBHOOK_SECRET: 'w',
          TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
          TWILIO_AUTH_TOKEN: 't',
          TWILIO_FROM: '+15005550006',
          PUBLIC_BASE_URL: 'https://cc.x',
        });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error.problems).toEqual([
      'TWILIO_AUTH_TOKEN="***" (expected at least 32 bytes)',
      'WEBHOOK_SECRET="***" (expected at least 32 bytes)',
    ]);
  });

  it('coerces numbers and booleans from strings', () => {
    const config = loadConfig({ PORT: '8080', SMTP_SECURE: 'true', SIM_HUBS: '0', SEED_DEMO: 'no' });
    expect(config.PORT).toBe(8080);
    expect(config.SMTP_SECURE).toBe(true);
    expect(config.SIM_HUBS).toBe(0);
    expect(config.SEED_DEMO).toBe(false);
  });

  it('takes a platform admin email and the read-only days of a closed tenant, refusing bad ones by name', () => {
    const defaults = loadConfig({});
    expect(defaults.PLATFORM_ADMIN_EMAIL).toBeUndefined();
    expect(defaults.TENANT_CLOSED_READ_ONLY_DAYS).toBe(30);
    expect(
      loadConfig({ PLATFORM_ADMIN_EMAIL: 'ops@example.com', TENANT_CLOSED_READ_ONLY_DAYS: '0' }),
    ).toMatchObject({ PLATFORM_ADMIN_EMAIL: 'ops@example.com', TENANT_CLOSED_READ_ONLY_DAYS: 0 });
    expect(() => loadConfig({ PLATFORM_ADMIN_EMAIL: 'ops', TENANT_CLOSED_READ_ONLY_DAYS: '400' })).toThrow(
      'Invalid environment variables: PLATFORM_ADMIN_EMAIL="ops" (expected an email address); ' +
        'TENANT_CLOSED_READ_ONLY_DAYS="400" (expected ≤ 365)',
    );
  });

  it('names every bad key with its value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ MQTT_PORT: 'abc', BUS: 'rabbitmq', PORT: '70000', DEMO_ONCALL_EMAIL: 'not-an-email' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^Invalid environment variables: /);
    expect(message).toContain('MQTT_PORT="abc"');
    expect(message).toContain('BUS="rabbitmq"');
    expect(message).toContain('PORT="70000"');
    expect(message).toContain('DEMO_ONCALL_EMAIL="not-an-email"');
    expect((error as ConfigError).problems).toHaveLength(4);
    expect((error as ConfigError).retriable).toBe(false);
  });

  it('refuses notification settings that only make sense together (checked at boot)', () => {
    const error = (() => {
      try {
        loadConfig({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, ACK_LINK_SECRET: 'short' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^TWILIO_AUTH_TOKEN=.*required when TWILIO_ACCOUNT_SID set/),
        expect.stringMatching(/^TWILIO_FROM=/),
        expect.stringMatching(/^ACK_LINK_SECRET="\*\*\*" \(expected at least 32 bytes\)/),
      ]),
    );
    expect(loadConfig({ DEMO_ONCALL_PHONE: '+4915112345678' }).DEMO_ONCALL_PHONE).toBe('+4915112345678');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it('.env.example lists exactly the keys the schema reads', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(envSchema.shape).sort());
  });
});
