/**
 * @coldchain/identity — authentication, sessions and users of the operator
 * API. Framework-free: the repositories and the clock are passed in;
 * libs/http-api wraps it in guards and controllers. See docs/api.md.
 */
export * from './identity.defaults.js';
export * from './roles.js';
export * from './principal.js';
export * from './access-token.js';
export * from './auth.service.js';
export * from './login-throttle.js';
export * from './session-endings.js';
export * from './users.service.js';
export * from './tenants.service.js';
export * from './platform-admin.bootstrap.js';
