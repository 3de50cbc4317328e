import type { Migration } from '../migrations.js';

/** Migration 7, tenant settings: time zone of reports, a shorter retention of positions. */
export const TENANT_SETTINGS_MIGRATION: Migration = {
  id: 7,
  name: 'tenant settings: time zone, positions retention',
  sql: `
      ALTER TABLE tenants ADD COLUMN time_zone TEXT;
      ALTER TABLE tenants ADD COLUMN positions_retention_days INTEGER;
  `,
};
