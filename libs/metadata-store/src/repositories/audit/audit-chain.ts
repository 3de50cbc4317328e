import { createHash } from 'node:crypto';

/**
 * The tenant's first entry chains to this value (SHA-256 width, all zeros):
 * a chain that starts anywhere else had entries removed from its head.
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Version of {@link auditEntryHash}'s encoding, the first element of the hashed array. */
export const AUDIT_HASH_VERSION = 1;

/** The stored fields an entry's hash covers, as kept in `audit_log` (detail as its stored JSON text). */
export interface ChainedFields {
  tenantId: string;
  actorId: string;
  actorEmail: string;
  action: string;
  objectType: string;
  objectId: string;
  /** epoch ms */
  at: number;
  /** The JSON text exactly as stored: the hash covers bytes, never a re-serialisation. */
  detailJson: string;
}

/**
 * SHA-256 (lowercase hex) of the canonical encoding of one entry: the UTF-8
 * bytes of the JSON array
 * `[1, tenantId, actorId, actorEmail, action, objectType, objectId, at, detailJson, prevHash]`
 * in that fixed order. A JSON array of strings and integers has one spelling
 * (JSON.stringify escapes the same way on every Node version), so field
 * boundaries cannot be shifted. The row id is not covered: the engine assigns
 * it at insert; order is proven by each entry naming its predecessor's hash.
 */
export function auditEntryHash(entry: ChainedFields, prevHash: string): string {
  const canonical = JSON.stringify([
    AUDIT_HASH_VERSION,
    entry.tenantId,
    entry.actorId,
    entry.actorEmail,
    entry.action,
    entry.objectType,
    entry.objectId,
    entry.at,
    entry.detailJson,
    prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** The answer of a chain verification; `firstBrokenId` and `reason` only when `ok` is false. */
export interface AuditChainVerdict {
  ok: boolean;
  /** Entries of the tenant read (all of them, or up to the first broken one included). */
  entries: number;
  firstBrokenId?: number;
  reason?: string;
}

/** One stored row as verification reads it. */
export interface StoredChainRow extends ChainedFields {
  id: number;
  prevHash: string | null;
  hash: string | null;
}

/**
 * Walks one tenant's rows in id order and names the first that breaks the
 * chain: a missing hash, a `prevHash` that is not the previous entry's hash
 * (an entry removed or inserted before it), or a `hash` that does not match
 * its content (the entry itself changed). Stops at the first break: every
 * later entry is suspect anyway. Removing the newest entries leaves a valid
 * shorter chain; see docs/audit-trail.md for how that is caught.
 */
export async function verifyAuditChain(rows: AsyncIterable<StoredChainRow>): Promise<AuditChainVerdict> {
  let expectedPrev = AUDIT_GENESIS_HASH;
  let entries = 0;
  for await (const row of rows) {
    entries++;
    const broken = (reason: string): AuditChainVerdict => ({
      ok: false,
      entries,
      firstBrokenId: row.id,
      reason,
    });
    if (row.hash === null || row.prevHash === null)
      return broken('entry has no hash (written outside the chain)');
    if (row.prevHash !== expectedPrev)
      return broken(
        entries === 1
          ? 'first entry does not start from the genesis hash: entries before it were removed'
          : 'prevHash is not the previous entry’s hash: an entry before it was removed or inserted',
      );
    if (auditEntryHash(row, row.prevHash) !== row.hash)
      return broken('hash does not match the entry’s content: the entry was changed');
    expectedPrev = row.hash;
  }
  return { ok: true, entries };
}
