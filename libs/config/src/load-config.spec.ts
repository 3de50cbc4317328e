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
      SEED_DEMO: true,
    });
    expect(config.SMTP_HOST).toBeUndefined();
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
        expect.stringMatching(/^ACK_LINK_SECRET="\*\*\*" \(expected at least 32 characters\)/),
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
