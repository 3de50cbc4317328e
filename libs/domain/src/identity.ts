/** A customer account. Every object below belongs to exactly one tenant. */
export interface Tenant {
  id: string;
  name: string;
}

/** A K-HUB gateway, known by its IMEI. Its secret is kept only as a hash. */
export interface Hub {
  imei: string;
  tenantId: string;
  name: string;
}

/**
 * A K-TAG sensor, known by its BLE MAC. It belongs to a tenant, not to a hub:
 * tags move between warehouse and truck hubs, and any hub of the same tenant
 * may relay them.
 */
export interface Tag {
  mac: string;
  tenantId: string;
  name: string;
  profileId?: string;
}

export type UserRole = 'owner' | 'operator' | 'viewer';

export interface User {
  id: string;
  tenantId: string;
  email: string;
  role: UserRole;
}
