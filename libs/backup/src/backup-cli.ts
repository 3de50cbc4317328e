import type { ColdchainConfig } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { isRetriable } from '@coldchain/errors';
import { BackupError } from './backup.error.js';
import { backupDir, takeBackup } from './backup.usecase.js';
import { DirectoryArchiveCatalog } from './plan/archive-catalog.js';
import { planState } from './plan/retention-plan.js';
import { restoreArchive, verifyArchive } from './restore.usecase.js';

/** Where the commands write: stdout for results, stderr for errors. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const BACKUP_USAGE = [
  'usage: npm run backup                      take a backup now, then prune by the plan',
  '       npm run backup -- --list            the plan: archives, their tiers, what goes next',
  '       npm run backup -- --verify <file>   check the manifest, the hashes and that it decrypts',
  '       npm run restore -- <file> [--force] restore into empty targets (--force: overwrite)',
].join('\n');

const iso = (t: number): string => new Date(t).toISOString();

/**
 * The `backup` and `restore` commands (apps/backup's main hands over argv):
 * returns the exit code, 0 on success, 1 on a refusal or failure (its
 * message on stderr, naming what to change), 2 on a usage error.
 */
export async function runBackupCommand(
  command: 'backup' | 'restore',
  args: readonly string[],
  config: ColdchainConfig,
  clock: Clock,
  io: CliOutput,
): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const positional = args.filter((a) => !a.startsWith('--'));
  const known = command === 'backup' ? ['--list', '--verify'] : ['--force'];
  const unknown = [...flags].filter((f) => !known.includes(f));
  if (unknown.length > 0 || (command === 'restore' && positional.length !== 1)) {
    io.err(unknown.length > 0 ? `unknown option ${unknown.join(', ')}` : 'restore needs one archive path');
    io.err(BACKUP_USAGE);
    return 2;
  }
  try {
    if (command === 'restore') {
      const m = await restoreArchive(config, positional[0], { force: flags.has('--force') });
      io.out(
        `restored ${positional[0]}: ${m.mode}, schema ${m.schemaVersion}, ${m.parts.length} parts, data up to ${iso(m.cutoff.startedAt)}`,
      );
      return 0;
    }
    if (flags.has('--verify')) {
      if (positional.length !== 1) {
        io.err('--verify needs one archive path');
        return 2;
      }
      const m = await verifyArchive(config, positional[0]);
      io.out(`ok ${positional[0]}: ${m.mode}, schema ${m.schemaVersion}, platform ${m.platformVersion}`);
      io.out(`cut-off ${iso(m.cutoff.startedAt)} .. ${iso(m.cutoff.finishedAt)}`);
      for (const p of m.parts)
        io.out(`  ${p.sha256.slice(0, 16)}  ${String(p.size).padStart(12)}  ${p.name}`);
      return 0;
    }
    const catalog = new DirectoryArchiveCatalog(backupDir(config));
    if (flags.has('--list')) {
      const state = planState(catalog.list(), clock.now());
      io.out(`archives in ${catalog.dir}: ${state.archives.length}`);
      for (const a of state.archives)
        io.out(
          `  ${a.name}  ${a.tiers.join(',').padEnd(33)}  keep until ${iso(a.keepUntil)}${state.prune.includes(a.name) ? '  (prune)' : ''}`,
        );
      io.out(
        `next backup due ${iso(state.nextDueAt)}${state.overdue ? '  OVERDUE: a backup was missed' : ''}`,
      );
      return 0;
    }
    const started = clock.now();
    const result = await takeBackup(config, clock, started);
    io.out(
      `backup ${result.file}: ${result.bytes} bytes, ${result.manifest.parts.length} parts, ${clock.now() - started} ms`,
    );
    for (const name of planState(catalog.list(), clock.now()).prune) {
      catalog.remove(name);
      io.out(`pruned ${name}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof BackupError || !(err instanceof Error) || isRetriable(err)) {
      io.err(`${command}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    throw err;
  }
}
