import { Logger } from '@nestjs/common';
import { createBus, type BusPort } from '@coldchain/bus';
import type { ColdchainConfig } from '@coldchain/config';
import type { BackupMode } from './archive/manifest.js';
import type { BackupPart } from './parts/backup-part.port.js';
import { AlarmChangelogPart } from './parts/alarm-changelog.part.js';
import { DataDirFilesPart } from './parts/data-dir-files.part.js';
import { InfluxPortablePart } from './parts/influx-portable.part.js';
import { PostgresDumpPart } from './parts/postgres-dump.part.js';
import { SqliteFilesPart } from './parts/sqlite-files.part.js';

/** The mode of the engines `config` names: all embedded, all production, or a mix. */
export function backupMode(
  config: Pick<ColdchainConfig, 'METADATA_STORE' | 'TELEMETRY_STORE' | 'BUS'>,
): BackupMode {
  const embedded = [
    config.METADATA_STORE === 'sqlite',
    config.TELEMETRY_STORE === 'sqlite',
    config.BUS === 'inprocess',
  ];
  if (embedded.every(Boolean)) return 'embedded';
  return embedded.some(Boolean) ? 'mixed' : 'production';
}

/** The parts and a way to close what they opened (the Kafka client). */
export interface BackupParts {
  parts: BackupPart[];
  close(): Promise<void>;
}

/**
 * One part per engine the configuration uses, in restore order: DATA_DIR's
 * files, the SQLite databases, PostgreSQL, InfluxDB, the Kafka changelog.
 * Not backed up, on purpose: the Kafka telemetry, alert and dead-letter
 * topics (buffers: what they hold is either already in the stores or is
 * re-sent by hubs that have not had their PUBACK), consumer offsets, and
 * the in-process bus's queues (in memory).
 */
export function backupParts(config: ColdchainConfig): BackupParts {
  const files = [
    ...(config.METADATA_STORE === 'sqlite' ? ['metadata.db'] : []),
    ...(config.TELEMETRY_STORE === 'sqlite' ? ['telemetry.db'] : []),
    ...(config.BUS === 'inprocess' ? ['bus-tables.db'] : []),
  ];
  const parts: BackupPart[] = [new DataDirFilesPart(config.DATA_DIR)];
  if (files.length > 0) parts.push(new SqliteFilesPart(config.DATA_DIR, files));
  if (config.METADATA_STORE === 'postgres') {
    if (!config.DATABASE_URL) throw new Error('METADATA_STORE=postgres needs DATABASE_URL');
    parts.push(new PostgresDumpPart(config.DATABASE_URL, config.DATABASE_SCHEMA, config.BACKUP_PG_BIN_DIR));
  }
  if (config.TELEMETRY_STORE === 'influxdb')
    parts.push(
      new InfluxPortablePart({
        url: config.INFLUX_URL,
        token: config.INFLUX_TOKEN,
        rpcAddress: config.INFLUX_RPC_ADDRESS,
        databases: [
          ...new Set([config.INFLUX_BUCKET, config.INFLUX_POSITIONS_BUCKET].map((b) => b.split('/')[0])),
        ],
      }),
    );
  let bus: Promise<BusPort> | undefined;
  if (config.BUS === 'kafka') {
    const open = async (): Promise<BusPort> => {
      const b = createBus(config, new Logger('BackupBus'));
      await b.start();
      return b;
    };
    parts.push(
      new AlarmChangelogPart(() => (bus ??= open()), config.KAFKA_PARTITIONS, config.KAFKA_NAMESPACE),
    );
  }
  return {
    parts,
    close: async () => {
      if (bus) await (await bus).close();
    },
  };
}
