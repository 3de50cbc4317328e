/**
 * @coldchain/http-api — the platform's HTTP edge: the tenant-scoped operator
 * API, alert acknowledgement (API and emailed link), the platform's tenant
 * administration, the OpenAPI document and the dashboard's static files.
 * One Nest module, ApiModule; the apps that serve HTTP import it.
 */
export * from './api.module.js';
export * from './openapi.js';
export * from './auth/auth-records-purge.js';
export * from './platform/platform-admin.bootstrap.js';
export * from './reporting/live-stream.controller.js';
