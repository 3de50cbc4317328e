import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusPort } from '@coldchain/bus';
import { ALARM_STATE_TOPIC } from '@coldchain/contract';
import type { BackupPart, StagedFile } from './backup-part.port.js';

/** One line of the staged changelog: partition, key, encoded value (base64). */
interface ChangelogLine {
  p: number;
  k: string;
  v: string;
}

/** Records published per call when restoring. */
const RESTORE_BATCH_RECORDS = 500;

/**
 * The alarm engine's per-tag state, the compacted changelog topic on Kafka:
 * read to its end (the latest value per key, tombstoned keys left out) and
 * written back to the same partitions, which keeps it co-partitioned with the
 * telemetry it mirrors. Restore publishes over what the topic holds (Kafka
 * cannot empty a topic from a client): with `force`, keys the topic has and
 * the backup does not stay. The in-process bus's changelog is a SQLite file
 * (bus-tables.db, see SqliteFilesPart).
 */
export class AlarmChangelogPart implements BackupPart {
  readonly engine = 'kafka';

  constructor(
    private readonly bus: () => Promise<BusPort>,
    private readonly partitions: number,
    private readonly namespace: string,
  ) {}

  describe(): Record<string, string> {
    return {
      'kafka.topic': `${this.namespace}${ALARM_STATE_TOPIC.name}`,
      'kafka.partitions': String(this.partitions),
    };
  }

  private async read(): Promise<ChangelogLine[]> {
    const latest = new Map<string, ChangelogLine | null>();
    const bus = await this.bus();
    await bus.readToEnd(
      ALARM_STATE_TOPIC,
      Array.from({ length: this.partitions }, (_, p) => p),
      (batch) =>
        batch.values.forEach((value, i) => {
          const k = batch.keys[i];
          latest.set(
            `${batch.partition}\u0000${k}`,
            value === null
              ? null
              : { p: batch.partition, k, v: ALARM_STATE_TOPIC.encode(value).toString('base64') },
          );
        }),
    );
    return [...latest.values()].filter((l): l is ChangelogLine => l !== null);
  }

  async snapshot(stageDir: string): Promise<StagedFile[]> {
    mkdirSync(join(stageDir, this.engine), { recursive: true, mode: 0o700 });
    const path = join(stageDir, this.engine, 'alarm-state.jsonl');
    const lines = await this.read();
    writeFileSync(path, lines.map((l) => JSON.stringify(l) + '\n').join(''), { mode: 0o600 });
    return [{ name: `${this.engine}/alarm-state.jsonl`, path }];
  }

  async isEmpty(): Promise<boolean> {
    return (await this.read()).length === 0;
  }

  async restore(stageDir: string, files: readonly string[]): Promise<void> {
    const bus = await this.bus();
    for (const name of files) {
      const lines = readFileSync(join(stageDir, name), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as ChangelogLine);
      for (let i = 0; i < lines.length; i += RESTORE_BATCH_RECORDS)
        await bus.publish(
          ALARM_STATE_TOPIC,
          lines.slice(i, i + RESTORE_BATCH_RECORDS).map((l) => ({
            key: l.k,
            partition: l.p,
            value: ALARM_STATE_TOPIC.decode(Buffer.from(l.v, 'base64')),
          })),
        );
    }
  }
}
