/**
 * Tunables of @coldchain/backup, units in the names. The plan's figures are
 * the seed contract's (GTCS art. 21.2): a backup every 6 hours; daily and
 * weekly ones kept 7 days; monthly ones kept 1 year. The contract names no
 * keep time for the 6-hourly ones: they are kept one day (the last four).
 */
export const BACKUP_DEFAULTS = {
  /** Archive framing version written into the header and the manifest. */
  formatVersion: 1,
  /** A backup is due this long after the last successful one, ms (6 hours). */
  intervalMs: 6 * 60 * 60 * 1000,
  /** Keep times per tier, ms. */
  keepMs: {
    /** Every backup (the 6-hourly tier): 1 day. */
    sixHourly: 24 * 60 * 60 * 1000,
    /** The first backup of each UTC day: 7 days. */
    daily: 7 * 24 * 60 * 60 * 1000,
    /** The first backup of each ISO week (Monday, UTC): 7 days. */
    weekly: 7 * 24 * 60 * 60 * 1000,
    /** The first backup of each UTC month: 1 year (365 days). */
    monthly: 365 * 24 * 60 * 60 * 1000,
  },
  /** Overdue (missed) when no success for the interval plus this grace, ms (1 hour). */
  overdueGraceMs: 60 * 60 * 1000,
  /** How often the embedded scheduler checks the plan, ms (1 minute). */
  tickMs: 60 * 1000,
  /** First check after the platform started, ms (1 minute: the boot settles first). */
  firstTickDelayMs: 60 * 1000,
  /** File name of the generated archive key in DATA_DIR (embedded quick start only). */
  keyFileName: 'backup-key',
  /**
   * gzip level of the archive body (1 fastest … 9 smallest): level 1 already shrinks the
   * SQLite databases about six-fold (bench/backup.bench.ts); higher levels cost more CPU for little.
   */
  gzipLevel: 1,
  /** Archive file extension. */
  archiveExtension: '.ccbk',
  /** Pages SQLite copies per backup step: all at once, so a concurrent write cannot restart the copy. */
  sqliteBackupPagesPerStep: 0x7fffffff,
  /** Longest a pg_dump, pg_restore or influxd run may take, ms (1 hour). */
  engineToolTimeoutMs: 60 * 60 * 1000,
  /** Largest tool output kept for an error message, bytes. */
  toolOutputBytes: 64 * 1024,
} as const;
