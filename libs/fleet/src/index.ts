/**
 * @coldchain/fleet — a tenant's hubs, tags and profiles as operators manage
 * them through the API: registration, hub secrets, profile
 * assignment, versioned profiles, audit trail. Framework-free. See docs/api.md.
 */
export * from './fleet.service.js';
export * from './trips.service.js';
