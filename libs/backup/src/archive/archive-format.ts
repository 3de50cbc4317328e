import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { BackupError } from '../backup.error.js';
import { BACKUP_DEFAULTS } from '../backup.defaults.js';
import { parseManifest, type BackupManifest, type ManifestPart } from './manifest.js';

/**
 * The archive file, one per backup:
 *
 *   header  = "CCBK" | format version (1 byte) | IV (12 bytes)     (clear)
 *   body    = AES-256-GCM( gzip( manifest length (u32 BE) | manifest JSON | part bytes, in manifest order ) )
 *   trailer = GCM tag (16 bytes)
 *
 * The header is the GCM additional data, so a changed byte anywhere (header,
 * body or tag) fails the tag check. Parts are streamed, never held in memory
 * whole. Nothing read from an archive is used before the tag and every
 * part's SHA-256 have been checked.
 */
const MAGIC = Buffer.from('CCBK');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + 1 + IV_BYTES;
/** Largest manifest read, bytes: a length beyond it is garbage from a wrong key or a changed byte. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

function invalid(message: string, cause?: unknown): BackupError {
  return new BackupError(message, { code: 'backup_archive_invalid', retriable: false, cause });
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Writes an archive of the files `parts` (name → path on disk) to `file`, with `manifest` (parts filled in here). */
export async function writeArchive(
  file: string,
  key: Buffer,
  manifest: Omit<BackupManifest, 'parts'>,
  parts: ReadonlyArray<{ name: string; path: string }>,
): Promise<BackupManifest> {
  const listed: ManifestPart[] = [];
  for (const p of parts) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(p.path)) hash.update(chunk as Buffer);
    listed.push({ name: p.name, size: statSync(p.path).size, sha256: hash.digest('hex') });
  }
  const full: BackupManifest = { ...manifest, parts: listed };
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, Buffer.from([BACKUP_DEFAULTS.formatVersion]), iv]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(header);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  async function* plain(): AsyncGenerator<Buffer> {
    yield Buffer.concat([length, json]);
    for (const [i, p] of parts.entries()) {
      let seen = 0;
      for await (const chunk of createReadStream(p.path)) {
        seen += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      // A file that grew or shrank since it was hashed would make the manifest lie.
      if (seen !== listed[i].size) throw new Error(`part ${p.name} changed while archived`);
    }
  }
  await pipeline(
    plain(),
    createGzip({ level: BACKUP_DEFAULTS.gzipLevel }),
    cipher,
    async function* (sealed: AsyncIterable<Buffer>) {
      yield header;
      yield* sealed;
      yield cipher.getAuthTag(); // set once the cipher has ended
    },
    createWriteStream(file, { mode: 0o600 }),
  );
  return full;
}

/**
 * Decrypts `file`, checks its tag and every part's size and SHA-256, and
 * writes the parts under `stageDir` (when given; verify alone passes none).
 * Throws {@link BackupError} `backup_archive_invalid` on any mismatch: a
 * wrong key and an altered archive look the same to GCM, and the message
 * says so.
 */
export async function readArchive(file: string, key: Buffer, stageDir?: string): Promise<BackupManifest> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new BackupError(`archive ${file} not found`, {
      code: 'backup_archive_missing',
      retriable: false,
      cause: err,
    });
  }
  if (size < HEADER_BYTES + TAG_BYTES + 4) throw invalid(`${file} is too short to be a backup archive`);
  const fd = openSync(file, 'r');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
    readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid(`${file} is not a backup archive`);
  if (header[MAGIC.length] !== BACKUP_DEFAULTS.formatVersion)
    throw invalid(
      `${file} has archive format ${header[MAGIC.length]}; this version reads ${BACKUP_DEFAULTS.formatVersion}`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(MAGIC.length + 1));
  decipher.setAAD(header);
  decipher.setAuthTag(tag);

  // Plain bytes are parsed as they come: the manifest first, then each part in order.
  let pending: Buffer = Buffer.alloc(0);
  let manifest: BackupManifest | undefined;
  let index = 0;
  let written = 0;
  let hash = createHash('sha256');
  let out: ReturnType<typeof createWriteStream> | undefined;
  let stageError: Error | undefined;
  const finishPart = async (): Promise<void> => {
    const part = manifest!.parts[index];
    if (hash.digest('hex') !== part.sha256)
      throw invalid(`part ${part.name}: SHA-256 differs from the manifest: the archive was altered`);
    if (out) {
      const closed = once(out, 'close');
      out.end();
      await closed;
      out = undefined;
    }
    index++;
    written = 0;
    hash = createHash('sha256');
  };
  const openPart = (): void => {
    const part = manifest!.parts[index];
    if (stageDir) {
      const path = join(stageDir, part.name);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      out = createWriteStream(path, { mode: 0o600 });
      // Kept, not thrown from an event: a staging write that failed fails the read below.
      out.on('error', (err) => (stageError ??= err));
    }
  };
  const consume = async (plain: Buffer): Promise<void> => {
    let data: Buffer = pending.length > 0 ? Buffer.concat([pending, plain]) : plain;
    pending = Buffer.alloc(0);
    if (!manifest) {
      if (data.length < 4) return void (pending = data);
      const length = data.readUInt32BE(0);
      if (length > MAX_MANIFEST_BYTES)
        throw invalid(`${file}: manifest length out of range: the key is wrong or the archive was altered`);
      if (data.length < 4 + length) return void (pending = data);
      manifest = parseManifest(data.subarray(4, 4 + length).toString('utf8'), file);
      data = data.subarray(4 + length);
      if (manifest.parts.length > 0) openPart();
    }
    while (data.length > 0) {
      const part = manifest.parts[index];
      if (!part) throw invalid(`${file}: more bytes than the manifest lists`);
      const take = Math.min(part.size - written, data.length);
      const slice = data.subarray(0, take);
      hash.update(slice);
      if (out) await write(out, slice);
      written += take;
      data = data.subarray(take);
      if (written === part.size) {
        await finishPart();
        if (index < manifest.parts.length) openPart();
      }
    }
    // Zero-length parts take no bytes: close them as soon as they come up.
    while (manifest.parts[index]?.size === 0) {
      await finishPart();
      if (index < manifest.parts.length) openPart();
    }
  };
  try {
    await pipeline(
      createReadStream(file, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 }),
      decipher,
      createGunzip(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) await consume(chunk);
      },
    );
  } catch (err) {
    out?.destroy();
    if (err instanceof BackupError) throw err;
    // GCM's tag check (at the end) or gunzip (on garbage from a wrong key) refused it.
    throw invalid(`${file} does not decrypt with this key: the key is wrong or the archive was altered`, err);
  }
  if (stageError) throw stageError;
  if (!manifest) throw invalid(`${file}: no manifest`);
  if (index !== manifest.parts.length)
    throw invalid(`${file}: truncated, ${manifest.parts.length - index} parts missing`);
  return manifest;
}
