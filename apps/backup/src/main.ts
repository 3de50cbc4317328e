import { runBackupCommand } from '@coldchain/backup';
import { systemClock } from '@coldchain/domain';
import { configOrExit, runMain } from '@coldchain/runtime';

/**
 * `npm run backup` and `npm run restore` (package.json passes the command
 * first): backup, `--list`, `--verify <archive>`, restore `<archive> [--force]`.
 * Reads the same environment as the platform; see docs/operations.md.
 */
runMain(async () => {
  const [command, ...args] = process.argv.slice(2);
  if (command !== 'backup' && command !== 'restore') throw new Error(`unknown command ${command}`);
  const config = configOrExit();
  process.exitCode = await runBackupCommand(command, args, config, systemClock, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
});
