import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupError } from '../backup.error.js';
import { readArchive, writeArchive } from './archive-format.js';

const manifest = {
  formatVersion: 1,
  schemaVersion: 7,
  platformVersion: '0.1.0',
  mode: 'embedded' as const,
  cutoff: { startedAt: 1_000, finishedAt: 2_000 },
  sources: {},
};

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'cc-archive-'));
  const big = randomBytes(300_000); // several stream chunks
  writeFileSync(join(dir, 'a.db'), big);
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'jwt-secret'), 'x'.repeat(64));
  const parts = [
    { name: 'sqlite/a.db', path: join(dir, 'a.db') },
    { name: 'files/empty', path: join(dir, 'empty') },
    { name: 'files/jwt-secret', path: join(dir, 'jwt-secret') },
  ];
  return { dir, big, parts, key: randomBytes(32), file: join(dir, 'out.ccbk') };
}

async function refusal(p: Promise<unknown>): Promise<BackupError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackupError);
  return err as BackupError;
}

describe('backup archive: AES-256-GCM over a manifest and its parts', () => {
  it('round-trips every part byte for byte, with sizes and SHA-256 in the manifest', async () => {
    const f = fixture();
    const written = await writeArchive(f.file, f.key, manifest, f.parts);
    expect(written.parts.map((p) => [p.name, p.size])).toEqual([
      ['sqlite/a.db', 300_000],
      ['files/empty', 0],
      ['files/jwt-secret', 64],
    ]);
    expect(statSync(f.file).mode & 0o777).toBe(0o600);
    const stage = mkdtempSync(join(tmpdir(), 'cc-stage-'));
    const read = await readArchive(f.file, f.key, stage);
    expect(read).toEqual(written);
    expect(readFileSync(join(stage, 'sqlite/a.db')).equals(f.big)).toBe(true);
    expect(readFileSync(join(stage, 'files/empty')).length).toBe(0);
    // The parts are not readable in the archive without the key.
    expect(readFileSync(f.file).includes(f.big.subarray(0, 64))).toBe(false);
  });

  it.each([
    ['the header', 5],
    ['the manifest', 40],
    ['a part', 150_000],
    ['the tag', -3],
  ])('refuses an archive with one byte changed in %s', async (_where, offset) => {
    const f = fixture();
    await writeArchive(f.file, f.key, manifest, f.parts);
    const bytes = readFileSync(f.file);
    const at = offset < 0 ? bytes.length + offset : offset;
    bytes[at] ^= 0x01;
    writeFileSync(f.file, bytes);
    const err = await refusal(readArchive(f.file, f.key));
    expect(err.code).toBe('backup_archive_invalid');
    expect(err.retriable).toBe(false);
    // Restoring stages the parts: the refusal must not leave a staging stream erroring afterwards.
    const staged = await refusal(readArchive(f.file, f.key, mkdtempSync(join(tmpdir(), 'cc-stage-'))));
    expect(staged.code).toBe('backup_archive_invalid');
    await new Promise((r) => setTimeout(r, 50));
  });

  it('refuses a wrong key, saying the key is wrong or the archive altered', async () => {
    const f = fixture();
    await writeArchive(f.file, f.key, manifest, f.parts);
    const err = await refusal(readArchive(f.file, randomBytes(32)));
    expect(err.code).toBe('backup_archive_invalid');
    expect(err.message).toMatch(/key is wrong or the archive was altered/);
  });

  it('refuses a truncated archive and a file that is no archive', async () => {
    const f = fixture();
    await writeArchive(f.file, f.key, manifest, f.parts);
    writeFileSync(f.file, readFileSync(f.file).subarray(0, 100_000));
    expect((await refusal(readArchive(f.file, f.key))).code).toBe('backup_archive_invalid');
    writeFileSync(f.file, 'hello, this is not a backup archive at all');
    expect((await refusal(readArchive(f.file, f.key))).message).toMatch(/not a backup archive/);
  });

  it('names a missing archive', async () => {
    const err = await refusal(readArchive('/nonexistent/x.ccbk', randomBytes(32)));
    expect(err.code).toBe('backup_archive_missing');
    expect(err.message).toContain('/nonexistent/x.ccbk');
  });
});
