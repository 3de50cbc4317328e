import type { SessionRecord } from './session.repository.js';

/** Row shape of `auth_sessions`, shared by both adapters. */

export interface SessionRow {
  id: string;
  user_id: string;
  tenant_id: string | null;
  refresh_hash: string;
  previous_refresh_hash: string | null;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  ...(r.tenant_id !== null ? { tenantId: r.tenant_id } : {}),
  refreshHash: r.refresh_hash,
  ...(r.previous_refresh_hash !== null ? { previousRefreshHash: r.previous_refresh_hash } : {}),
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at ?? undefined,
  revokedReason: r.revoked_reason ?? undefined,
});
