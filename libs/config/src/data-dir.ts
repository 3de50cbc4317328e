import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * DATA_DIR holds password and refresh-token hashes, hub secret HMACs, the JWT
 * and ack-link keys and the demo credentials: only the platform's own user
 * may enter the folder or read a file in it. Every opener of a file in DATA_DIR
 * goes through {@link preparePrivateFile} or {@link writePrivateFile}, and
 * the boot tightens what an older version left readable ({@link tightenDataDir}).
 */
export const DATA_DIR_MODE = 0o700;
/** Mode of every file in DATA_DIR (see {@link DATA_DIR_MODE}). */
export const DATA_FILE_MODE = 0o600;

/** Files SQLite keeps beside a database: write-ahead log, its shared-memory index, rollback journal. */
const SQLITE_SIDE_SUFFIXES = ['-wal', '-shm', '-journal'];

/** Sets `mode` on `path` when it is a file or folder (per `kind`) with another mode; true when changed. */
function tighten(path: string, mode: number, kind: 'file' | 'dir'): boolean {
  let stat;
  try {
    stat = lstatSync(path); // never follows a symlink
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (kind === 'file' ? !stat.isFile() : !stat.isDirectory()) return false;
  if ((stat.mode & 0o777) === mode) return false;
  chmodSync(path, mode);
  return true;
}

/**
 * Makes `file` ready to be opened by an engine (SQLite): its folder created
 * 0700 when missing, the file created empty 0600 when missing, and the file
 * and its SQLite side files set to 0600 when present. SQLite creates the side
 * files later with the database file's mode, so they stay 0600. `:memory:`
 * is left alone. A folder that already exists keeps its mode here (it may be
 * a shared one such as the system's temporary folder): DATA_DIR itself is
 * tightened at boot.
 */
export function preparePrivateFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  mkdirSync(dirname(file), { recursive: true, mode: DATA_DIR_MODE });
  closeSync(openSync(file, 'a', DATA_FILE_MODE));
  for (const path of [file, ...SQLITE_SIDE_SUFFIXES.map((s) => file + s)])
    tighten(path, DATA_FILE_MODE, 'file');
}

/**
 * Writes `data` to `file` with mode 0600, also when the file existed with
 * another mode. `exclusive` fails with EEXIST when the file exists (a key
 * generated once, another process writing it first).
 */
export function writePrivateFile(file: string, data: string, options: { exclusive?: boolean } = {}): void {
  mkdirSync(dirname(file), { recursive: true, mode: DATA_DIR_MODE });
  writeFileSync(file, data, { mode: DATA_FILE_MODE, flag: options.exclusive ? 'wx' : 'w' });
  tighten(file, DATA_FILE_MODE, 'file');
}

/**
 * Creates DATA_DIR 0700 when missing, else sets it to 0700, and sets every
 * regular file directly in it to 0600 (not recursive, no symlink followed: the
 * platform keeps its files at the top level). Returns the paths it changed,
 * for the boot log.
 */
export function tightenDataDir(dataDir: string): string[] {
  mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const changed = tighten(dataDir, DATA_DIR_MODE, 'dir') ? [dataDir] : [];
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    const path = join(dataDir, entry.name);
    if (entry.isFile() && tighten(path, DATA_FILE_MODE, 'file')) changed.push(path);
  }
  return changed;
}
