/** One file of a backup as staged on disk: its name in the archive and its path. */
export interface StagedFile {
  /** `<engine>/<file>`, the manifest's part name. */
  name: string;
  path: string;
}

/**
 * One engine's share of a backup: how it is snapshotted while the platform
 * keeps writing, how an empty target is recognised, and how it is put back.
 * One adapter per engine (SQLite files, DATA_DIR's key files, PostgreSQL,
 * InfluxDB, the alarm-state changelog on Kafka).
 *
 * Contract:
 * - `snapshot` writes files under `stageDir/<engine>/` and returns them; it
 *   sees a consistent state of its engine as of some instant during the call.
 * - `isEmpty` is true when restoring cannot overwrite anything.
 * - `restore` puts back the staged files of its engine (`files`, names as
 *   returned by `snapshot`); with `force` it first clears what is there.
 *   It is called only after the whole archive was decrypted and checked.
 */
export interface BackupPart {
  /** Folder of its files in the archive, and the manifest's `sources` prefix. */
  readonly engine: string;
  /** Settings the parts came from (schema, database names, topic), for the manifest. */
  describe(): Record<string, string>;
  snapshot(stageDir: string): Promise<StagedFile[]>;
  isEmpty(): Promise<boolean>;
  restore(stageDir: string, files: readonly string[], options: { force: boolean }): Promise<void>;
}
