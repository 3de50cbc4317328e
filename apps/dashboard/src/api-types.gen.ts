/**
 * Generated from the operator API's OpenAPI document (GET /docs/json) by
 * `npm run generate:api-types` (scripts/generate-api-types.mjs); do not edit.
 * `npm run check:api-types` (part of `npm run check`) fails when it is stale.
 */
export interface paths {
  '/ack': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AlertAckController_confirmPage'];
    put?: never;
    post: operations['AlertAckController_acknowledgeByLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/alerts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s alert transitions, newest first */
    get: operations['ReadingsController_alerts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/alerts/{key}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One alert transition with its episode’s timeline, deliveries and acknowledgements
     * @description The timeline is every transition of the same episode (tag, rule, start), oldest first: raised, escalated, reminders, cleared. Deliveries carry their provider status history.
     */
    get: operations['AlertAckController_detail'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/alerts/{key}/ack': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Acknowledge an alert transition, with an optional comment
     * @description Stops its escalation (voice call, next person) and its reminders; does not clear it. Recorded in the append-only audit trail with who, when and the comment; a second acknowledgement is recorded too.
     */
    post: operations['AlertAckController_acknowledge'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/alerts/{key}/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What was sent for an alert: deliveries with their provider statuses, and acknowledgements */
    get: operations['AlertAckController_notifications'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s audit trail, newest first (owner, operator) */
    get: operations['AuditController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Verify the tenant’s audit trail hash chain, naming the first broken link (owner)
     * @description Reads every entry in id order and recomputes its SHA-256 over the canonical encoding and the previous entry’s hash. A changed entry, or one removed or inserted before another, breaks it. Linear in the trail’s length; read in pages, so memory stays bounded.
     */
    get: operations['AuditVerifyController_verify'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/change-password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change the own password (required after a temporary one)
     * @description Ends every other session of the user. A wrong current password counts as a failed login.
     */
    post: operations['AuthController_changePassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in with email and password
     * @description Returns a short-lived access token (JWT) and a single-use refresh token. When `mustChangePassword` is true, every route but change-password, logout and me answers 403 until the password is changed. After LOGIN_MAX_FAILURES failures the email is locked for LOGIN_LOCKOUT_MINUTES (429); more than LOGIN_RATE_PER_MINUTE attempts from one client address are refused too (429).
     */
    post: operations['AuthController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * End the session
     * @description Its access and refresh tokens stop working at once.
     */
    post: operations['AuthController_logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller */
    get: operations['AuthController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Exchange a refresh token for a new pair
     * @description The refresh token is spent: presenting it again ends the session (reuse detection). Refreshing is not activity: a session idle for SESSION_IDLE_MINUTES cannot be refreshed.
     */
    post: operations['AuthController_refresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Export everything the tenant owns (owner)
     * @description NDJSON, one object per line with `type` first: `export` (format version), `user`, `hub`, `tag`, `profile`, `trip`, `alert`, `audit`, then every `reading` and `position` (from `from`, default all history). Never password or secret hashes. Streamed: size is not a limit. Each export is in the audit trail (`tenant.export`). Still available, read only, for a while after the tenant is closed.
     */
    get: operations['ExportController_export'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hubs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List hubs with their connection status */
    get: operations['HubsController_list'];
    put?: never;
    /**
     * Register a hub by IMEI and issue its MQTT secret (owner, operator)
     * @description The IMEI must carry a valid Luhn check digit. The secret (the hub’s MQTT password, username = IMEI) is returned once and stored only as an HMAC; the gateway accepts it within METADATA_REFRESH_MS.
     */
    post: operations['HubsController_register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hubs/{imei}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One hub */
    get: operations['HubsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hubs/{imei}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit trail of one hub */
    get: operations['HubsController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hubs/{imei}/positions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One hub’s positions over a window, oldest first (its trail) */
    get: operations['ReportingController_hubPositions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hubs/{imei}/secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate the hub’s MQTT secret (owner, operator)
     * @description The new secret is returned once. The gateway accepts it, and refuses the old one (CONNACK "not authorized"), within METADATA_REFRESH_MS; a hub already connected stays so until it reconnects.
     */
    post: operations['HubsController_rotateSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List every tenant, open and closed (platform admin) */
    get: operations['PlatformTenantsController_list'];
    put?: never;
    /**
     * Open a tenant with its first owner (platform admin)
     * @description Creates the tenant and its owner in one step. The owner’s temporary password is returned once and must be changed at first login. The platform admin does not become a member of the tenant. Audited in the tenant’s trail (`tenant.create`, `user.create`).
     */
    post: operations['PlatformTenantsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One tenant (platform admin) */
    get: operations['PlatformTenantsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{id}/close': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Close a tenant at contract termination (platform admin)
     * @description Within METADATA_REFRESH_MS its hubs are refused at the gateway (CONNACK 4) and its tags are unknown, so nothing more is stored for it; open alarms are cleared. Its users may still log in, read only, for `readOnlyDays` (default TENANT_CLOSED_READ_ONLY_DAYS) to export their data (`GET /export`), then not at all. The data stays. Audited (`tenant.close`). A closed tenant cannot be closed again (409).
     */
    post: operations['PlatformTenantsController_close'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/platform/tenants/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant’s lifecycle in the audit trail: created, settings, closed (platform admin) */
    get: operations['PlatformTenantsController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/positions/latest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The newest position of each hub of the tenant (the live map) */
    get: operations['ReportingController_latestPositions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List profiles */
    get: operations['ProfilesController_list'];
    put?: never;
    /**
     * Create a profile at version 1 (owner, operator)
     * @description Bounds and rules are validated (validateProfile of the alarm engine); each problem is listed.
     */
    post: operations['ProfilesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One profile, current version */
    get: operations['ProfilesController_get'];
    /**
     * Replace a profile: a new version (owner, operator)
     * @description The version increases by one; the audit trail keeps every version with who and when.
     */
    put: operations['ProfilesController_update'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/profiles/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every version of a profile: audit trail */
    get: operations['ProfilesController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/readings/latest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The newest reading of each tag of the tenant, a page at a time, by tag MAC
     * @description Pass `next` of an answer as `after` to get the following page; `next` is null on the last one. Tags without any reading are not listed.
     */
    get: operations['ReadingsController_latest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/public-key': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The public key reports are signed with (no login needed)
     * @description Ed25519 (RFC 8032) over the SHA-256 of the report with its signature block zeroed.
     */
    get: operations['ReportVerifyController_publicKey'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reports/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Check an uploaded PDF report: genuine and unchanged, or why not (any role)
     * @description Send the file’s bytes as the body with `Content-Type: application/pdf` (or application/octet-stream), at most REPORT_VERIFY_MAX_BYTES (default 10 MiB; larger: 413). 200 whatever the verdict; 400 when the body is missing or not a PDF.
     */
    post: operations['ReportVerifyController_verify'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Live readings, hub status and alerts of the tenant (Server-Sent Events)
     * @description Events: `reading` {tag, hub, ts, temperature?, humidity?, co2?, door?, battery?} at most once per tag per second; `hub-status` {hub, status, at}; `alert` (an alert transition). Comment heartbeats every 15 s. The stream ends when the access token expires (reconnect with a fresh one) and when the session ends (logout, password change, disabling...), within 5 s on every API process.
     */
    get: operations['LiveStreamController_stream'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List tags */
    get: operations['TagsController_list'];
    put?: never;
    /**
     * Register a tag by MAC, optionally with a profile (owner, operator)
     * @description Any common MAC spelling is accepted and stored as AA:BB:CC:DD:EE:FF.
     */
    post: operations['TagsController_register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{mac}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One tag (any MAC spelling) */
    get: operations['TagsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Rename a tag or (un)assign its profile (owner, operator)
     * @description `profileId: null` unassigns. Ingest applies the change within METADATA_REFRESH_MS.
     */
    patch: operations['TagsController_update'];
    trace?: never;
  };
  '/api/v1/tags/{mac}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit trail of one tag */
    get: operations['TagsController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{mac}/readings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readings of one tag, oldest first */
    get: operations['ReadingsController_readings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{mac}/readings.csv': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readings of one tag as CSV (RFC 4180, UTC times, streamed) */
    get: operations['ReportingController_csv'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{mac}/report.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * PDF excursion report of one tag over a window
     * @description Summary with MKT, chart with the allowed band and excursions shaded, the excursions, the alert transitions and their acknowledgements; times in `timeZone` (IANA, default UTC). Signed: its SHA-256 and an Ed25519 signature sit in the PDF metadata (check it with POST /api/v1/reports/verify); each download is in the audit trail (`report.download`, with that SHA-256).
     */
    get: operations['ReportingController_report'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{mac}/series': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Chart data of one tag: raw readings, or buckets for long ranges
     * @description Raw readings when at most `maxPoints` fall in the window (`stepMs` null), else buckets of a round step (InfluxQL GROUP BY time) with mean, min and max. `band` is the profile’s allowed temperature range.
     */
    get: operations['ReportingController_series'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tags/{mac}/statistics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Temperature statistics of one tag over a window
     * @description min, max, mean, mean kinetic temperature (ΔH/R = 10,000 K), time in, above and below the profile’s range (sample-and-hold; intervals longer than `maxGapMinutes` count as gaps), and each excursion with its peak.
     */
    get: operations['ReportingController_statistics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tenant': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller’s tenant and its settings */
    get: operations['TenantController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change the tenant’s name, report time zone or positions retention (owner)
     * @description `positionsRetentionDays` shortens how long GPS positions are kept (never beyond the platform’s POSITIONS_RETENTION_DAYS); `null` clears a setting. Audited.
     */
    patch: operations['TenantController_update'];
    trace?: never;
  };
  '/api/v1/trips': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List trips, newest first */
    get: operations['TripsController_list'];
    put?: never;
    /** Plan a trip with the tenant’s tags and hubs (owner, operator) */
    post: operations['TripsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/trips/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One trip */
    get: operations['TripsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Edit a trip that is not completed (owner, operator)
     * @description `origin: null` / `destination: null` clear them. A completed trip is history: 409.
     */
    patch: operations['TripsController_update'];
    trace?: never;
  };
  '/api/v1/trips/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit trail of one trip */
    get: operations['TripsController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/trips/{id}/report.pdf': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** PDF excursion report of the trip: every tag, MKT, excursions, alerts, acknowledgements */
    get: operations['TripsController_report'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/trips/{id}/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a planned trip now (owner, operator)
     * @description A tag rides in one trip in progress at a time: 409 names the clash.
     */
    post: operations['TripsController_start'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/trips/{id}/statistics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Temperature statistics of each tag of the trip over [start, stop)
     * @description A planned trip has no window yet: 409. While under way, the window ends now.
     */
    get: operations['TripsController_statistics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/trips/{id}/stop': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Stop a trip in progress now (owner, operator) */
    post: operations['TripsController_stop'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the tenant’s users (owner) */
    get: operations['UsersController_list'];
    put?: never;
    /**
     * Create a user with a temporary password (owner)
     * @description The temporary password is returned once; the user must change it at first login.
     */
    post: operations['UsersController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One user (owner) */
    get: operations['UsersController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change a user’s role or disable it (owner)
     * @description Disabling ends the user’s sessions. Owners cannot demote or disable themselves.
     */
    patch: operations['UsersController_update'];
    trace?: never;
  };
  '/api/v1/users/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Audit trail of one user (owner) */
    get: operations['UsersController_history'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/reset-password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue a new temporary password (owner)
     * @description Ends the user’s sessions; the next login must change the password.
     */
    post: operations['UsersController_resetPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness and readiness: each component up or down */
    get: operations['OpsController_healthCheck'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics of this process (text exposition format) */
    get: operations['OpsController_exposition'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  AlertAckController_confirmPage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AlertAckController_acknowledgeByLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ReadingsController_alerts: {
    parameters: {
      query?: {
        /** @description emitted at or after (ISO-8601 with zone or epoch ms) */
        from?: string;
        /** @description 1–1000, default 100 */
        limit?: number;
        /** @description e.g. temperature.high */
        rule?: string;
        /** @description one tag, any MAC spelling */
        tag?: string;
        /** @description emitted before */
        to?: string;
        /** @description raised, escalated, downgraded, reminder, cleared */
        transition?: 'raised' | 'escalated' | 'downgraded' | 'reminder' | 'cleared';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description alerts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            alerts: {
              /** @description the bound it was compared with */
              bound?: number;
              /** @description processing time the event was produced, epoch ms */
              emittedAt: number;
              /** @description measured time the condition ended (on cleared), epoch ms */
              endedAt?: number;
              /** @description IMEI of the hub that relayed the reading */
              hub: string;
              /** @description idempotency key: the same transition always gets the same key */
              key: string;
              /** @description the reading arrived well after it was measured */
              late: boolean;
              /** @description last known position of the hub */
              position?: {
                /** @description metres */
                alt?: number;
                /** @description when the fix was taken, epoch ms */
                fixAt: number;
                hdop?: number;
                /** @description degrees */
                lat: number;
                /** @description degrees */
                lon: number;
                /** @description km/h */
                speed?: number;
              };
              profileId: string;
              profileVersion: number;
              /** @description which rule fired, e.g. temperature.high */
              rule: string;
              /** @enum {string} */
              severity: 'warning' | 'critical';
              /** @description measured time the condition began, epoch ms */
              startedAt: number;
              /** @description MAC */
              tag: string;
              tenantId: string;
              /** @enum {string} */
              transition: 'raised' | 'escalated' | 'downgraded' | 'reminder' | 'cleared';
              unit?: string;
              /** @enum {number} */
              v: 1;
              /** @description the value that caused this transition */
              value?: number;
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AlertAckController_detail: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the alert */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description oldest first */
            acknowledgements: {
              /** @description a contact id (link, SMS, keypad) or a user’s email (API) */
              actor: string;
              alertKey: string;
              /** @description received, epoch ms */
              at: number;
              comment?: string;
              id: number;
              tenantId: string;
              /** @enum {string} */
              via: 'api' | 'link' | 'sms' | 'voice';
            }[];
            alert: {
              /** @description the bound it was compared with */
              bound?: number;
              /** @description processing time the event was produced, epoch ms */
              emittedAt: number;
              /** @description measured time the condition ended (on cleared), epoch ms */
              endedAt?: number;
              /** @description IMEI of the hub that relayed the reading */
              hub: string;
              /** @description idempotency key: the same transition always gets the same key */
              key: string;
              /** @description the reading arrived well after it was measured */
              late: boolean;
              /** @description last known position of the hub */
              position?: {
                /** @description metres */
                alt?: number;
                /** @description when the fix was taken, epoch ms */
                fixAt: number;
                hdop?: number;
                /** @description degrees */
                lat: number;
                /** @description degrees */
                lon: number;
                /** @description km/h */
                speed?: number;
              };
              profileId: string;
              profileVersion: number;
              /** @description which rule fired, e.g. temperature.high */
              rule: string;
              /** @enum {string} */
              severity: 'warning' | 'critical';
              /** @description measured time the condition began, epoch ms */
              startedAt: number;
              /** @description MAC */
              tag: string;
              tenantId: string;
              /** @enum {string} */
              transition: 'raised' | 'escalated' | 'downgraded' | 'reminder' | 'cleared';
              unit?: string;
              /** @enum {number} */
              v: 1;
              /** @description the value that caused this transition */
              value?: number;
            };
            deliveries: {
              /** @description email address, E.164 number or webhook URL actually used */
              address: string;
              alertKey: string;
              /** @description attempts started so far, the current one included */
              attempts: number;
              /** @enum {string} */
              channel: 'email' | 'sms' | 'voice' | 'webhook' | 'outbox';
              contactId: string;
              /** @description created, epoch ms */
              createdAt: number;
              /** @description key of the delivery whose failure led to this one */
              escalatedFrom?: string;
              idempotencyKey: string;
              lastError?: {
                code: string;
                message: string;
                providerCode?: string | number;
                retriable: boolean;
              };
              /** @description the current attempt’s lease ends, epoch ms */
              leaseUntil?: number;
              /** @description next retry due, epoch ms */
              nextAttemptAt?: number;
              /** @enum {string} */
              provider?: 'smtp' | 'twilio' | 'webhook' | 'outbox';
              providerMessageId?: string;
              /**
               * @description the furthest status reached
               * @enum {string}
               */
              providerStatus?: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
              /** @enum {string} */
              state: 'sending' | 'retry_wait' | 'sent' | 'failed';
              /** @description every provider callback, in arrival order */
              statusHistory: {
                /** @description received, epoch ms */
                at: number;
                errorCode?: string;
                /** @description the vendor’s own word */
                raw: string;
                /** @enum {string} */
                status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
              }[];
              tenantId: string;
              /** @description last changed, epoch ms */
              updatedAt: number;
            }[];
            /** @description every transition of the episode, oldest first */
            timeline: {
              /** @description the bound it was compared with */
              bound?: number;
              /** @description processing time the event was produced, epoch ms */
              emittedAt: number;
              /** @description measured time the condition ended (on cleared), epoch ms */
              endedAt?: number;
              /** @description IMEI of the hub that relayed the reading */
              hub: string;
              /** @description idempotency key: the same transition always gets the same key */
              key: string;
              /** @description the reading arrived well after it was measured */
              late: boolean;
              /** @description last known position of the hub */
              position?: {
                /** @description metres */
                alt?: number;
                /** @description when the fix was taken, epoch ms */
                fixAt: number;
                hdop?: number;
                /** @description degrees */
                lat: number;
                /** @description degrees */
                lon: number;
                /** @description km/h */
                speed?: number;
              };
              profileId: string;
              profileVersion: number;
              /** @description which rule fired, e.g. temperature.high */
              rule: string;
              /** @enum {string} */
              severity: 'warning' | 'critical';
              /** @description measured time the condition began, epoch ms */
              startedAt: number;
              /** @description MAC */
              tag: string;
              tenantId: string;
              /** @enum {string} */
              transition: 'raised' | 'escalated' | 'downgraded' | 'reminder' | 'cleared';
              unit?: string;
              /** @enum {number} */
              v: 1;
              /** @description the value that caused this transition */
              value?: number;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AlertAckController_acknowledge: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          comment?: string;
        };
      };
    };
    responses: {
      /** @description recorded; `first` tells whether it was the first acknowledgement */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AlertAckController_notifications: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        key: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description deliveries and acknowledgements */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description oldest first */
            acknowledgements: {
              /** @description a contact id (link, SMS, keypad) or a user’s email (API) */
              actor: string;
              alertKey: string;
              /** @description received, epoch ms */
              at: number;
              comment?: string;
              id: number;
              tenantId: string;
              /** @enum {string} */
              via: 'api' | 'link' | 'sms' | 'voice';
            }[];
            alertKey: string;
            deliveries: {
              /** @description email address, E.164 number or webhook URL actually used */
              address: string;
              alertKey: string;
              /** @description attempts started so far, the current one included */
              attempts: number;
              /** @enum {string} */
              channel: 'email' | 'sms' | 'voice' | 'webhook' | 'outbox';
              contactId: string;
              /** @description created, epoch ms */
              createdAt: number;
              /** @description key of the delivery whose failure led to this one */
              escalatedFrom?: string;
              idempotencyKey: string;
              lastError?: {
                code: string;
                message: string;
                providerCode?: string | number;
                retriable: boolean;
              };
              /** @description the current attempt’s lease ends, epoch ms */
              leaseUntil?: number;
              /** @description next retry due, epoch ms */
              nextAttemptAt?: number;
              /** @enum {string} */
              provider?: 'smtp' | 'twilio' | 'webhook' | 'outbox';
              providerMessageId?: string;
              /**
               * @description the furthest status reached
               * @enum {string}
               */
              providerStatus?: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
              /** @enum {string} */
              state: 'sending' | 'retry_wait' | 'sent' | 'failed';
              /** @description every provider callback, in arrival order */
              statusHistory: {
                /** @description received, epoch ms */
                at: number;
                errorCode?: string;
                /** @description the vendor’s own word */
                raw: string;
                /** @enum {string} */
                status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
              }[];
              tenantId: string;
              /** @description last changed, epoch ms */
              updatedAt: number;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuditController_list: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
        /** @description user | hub | tag | profile | trip | tenant */
        objectType?: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description entries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuditVerifyController_verify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the verdict */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description entries read: all, or up to and including the first broken one */
            entries: number;
            /** @description id of the first entry that breaks the chain */
            firstBrokenId?: number;
            /** @description true: every entry matches its hash and names its predecessor’s */
            ok: boolean;
            /** @description how it breaks it */
            reason?: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuthController_changePassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          currentPassword: string;
          newPassword: string;
        };
      };
    };
    responses: {
      /** @description changed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Too many failed logins: locked; Retry-After says for how many seconds */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuthController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description logged in */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            accessToken: string;
            /** @description seconds */
            expiresIn: number;
            mustChangePassword: boolean;
            refreshToken: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Too many failed logins: locked; Retry-After says for how many seconds */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuthController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description logged out */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuthController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the caller */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            email: string;
            /**
             * @description a tenant’s user, or a platform admin (member of no tenant)
             * @enum {string}
             */
            kind: 'tenant' | 'platform';
            mustChangePassword: boolean;
            /** @description epoch ms: the tenant is closed and its users may only read (and export) until then */
            readOnlyUntil?: number;
            /** @description absent for a platform admin */
            role?: string;
            /** @description absent for a platform admin */
            tenantId?: string;
            userId: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  AuthController_refresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          refreshToken: string;
        };
      };
    };
    responses: {
      /** @description a new pair */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            accessToken: string;
            /** @description seconds */
            expiresIn: number;
            mustChangePassword: boolean;
            refreshToken: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ExportController_export: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: all history */
        from?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description application/x-ndjson */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  HubsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description hubs */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            hubs: {
              imei: string;
              name: string;
              /** @enum {string} */
              status?: 'online' | 'offline';
              /** @description epoch ms */
              statusAt?: number;
              tenantId: string;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  HubsController_register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          imei: string;
          name: string;
        };
      };
    };
    responses: {
      /** @description registered */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            hub: {
              imei: string;
              name: string;
              /** @enum {string} */
              status?: 'online' | 'offline';
              /** @description epoch ms */
              statusAt?: number;
              tenantId: string;
            };
            /** @description the MQTT password of the hub (username = IMEI); shown once, stored as an HMAC */
            secret: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  HubsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        imei: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the hub */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            imei: string;
            name: string;
            /** @enum {string} */
            status?: 'online' | 'offline';
            /** @description epoch ms */
            statusAt?: number;
            tenantId: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  HubsController_history: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path: {
        imei: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportingController_hubPositions: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: `to` − 24 h */
        from?: string;
        /** @description ISO-8601 with zone or epoch ms; default: now */
        to?: string;
      };
      header?: never;
      path: {
        imei: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description positions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms */
            from: number;
            /** @description IMEI */
            hub: string;
            positions: {
              /** @description metres */
              alt?: number;
              /** @description when the fix was taken, epoch ms */
              fixAt: number;
              hdop?: number;
              /** @description IMEI */
              hub: string;
              /** @description degrees */
              lat: number;
              /** @description degrees */
              lon: number;
              /** @description km/h */
              speed?: number;
              tenantId: string;
            }[];
            /** @description epoch ms */
            to: number;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  HubsController_rotateSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        imei: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the new secret, once */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            imei: string;
            /** @description the MQTT password of the hub; shown once, stored as an HMAC */
            secret: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  PlatformTenantsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description tenants by id */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            tenants: {
              /** @description epoch ms; set once the tenant is closed */
              closedAt?: number;
              /** @description the platform admin who closed it */
              closedBy?: string;
              /** @description epoch ms */
              createdAt: number;
              id: string;
              name: string;
              positionsRetentionDays?: number;
              /** @description epoch ms: a closed tenant’s users may log in, read only (export), until then */
              readOnlyUntil?: number;
              /** @enum {string} */
              status: 'open' | 'read_only' | 'closed';
              timeZone?: string;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  PlatformTenantsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description default: derived from the name, e.g. acme-cold-chain-k3x9q2 */
          id?: string;
          name: string;
          owner: {
            /** Format: email */
            email: string;
          };
          timeZone?: string;
        };
      };
    };
    responses: {
      /** @description created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            owner: {
              disabled: boolean;
              email: string;
              id: string;
              mustChangePassword: boolean;
              /** @enum {string} */
              role: 'owner' | 'operator' | 'viewer';
            };
            /** @description the owner’s; shown once, to be changed at first login */
            temporaryPassword: string;
            tenant: {
              /** @description epoch ms; set once the tenant is closed */
              closedAt?: number;
              /** @description the platform admin who closed it */
              closedBy?: string;
              /** @description epoch ms */
              createdAt: number;
              id: string;
              name: string;
              positionsRetentionDays?: number;
              /** @description epoch ms: a closed tenant’s users may log in, read only (export), until then */
              readOnlyUntil?: number;
              /** @enum {string} */
              status: 'open' | 'read_only' | 'closed';
              timeZone?: string;
            };
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  PlatformTenantsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms; set once the tenant is closed */
            closedAt?: number;
            /** @description the platform admin who closed it */
            closedBy?: string;
            /** @description epoch ms */
            createdAt: number;
            id: string;
            name: string;
            positionsRetentionDays?: number;
            /** @description epoch ms: a closed tenant’s users may log in, read only (export), until then */
            readOnlyUntil?: number;
            /** @enum {string} */
            status: 'open' | 'read_only' | 'closed';
            timeZone?: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  PlatformTenantsController_close: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description days its users may still log in, read only, to export; default TENANT_CLOSED_READ_ONLY_DAYS */
          readOnlyDays?: number;
          reason?: string;
        };
      };
    };
    responses: {
      /** @description the closed tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms; set once the tenant is closed */
            closedAt?: number;
            /** @description the platform admin who closed it */
            closedBy?: string;
            /** @description epoch ms */
            createdAt: number;
            id: string;
            name: string;
            positionsRetentionDays?: number;
            /** @description epoch ms: a closed tenant’s users may log in, read only (export), until then */
            readOnlyUntil?: number;
            /** @enum {string} */
            status: 'open' | 'read_only' | 'closed';
            timeZone?: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  PlatformTenantsController_history: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportingController_latestPositions: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description positions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            positions: {
              /** @description metres */
              alt?: number;
              /** @description when the fix was taken, epoch ms */
              fixAt: number;
              hdop?: number;
              /** @description IMEI */
              hub: string;
              /** @description degrees */
              lat: number;
              /** @description degrees */
              lon: number;
              /** @description km/h */
              speed?: number;
              tenantId: string;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ProfilesController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description profiles */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            profiles: {
              id: string;
              name: string;
              rules?: {
                [key: string]: unknown;
              };
              temperature: {
                max: number;
                min: number;
              };
              tenantId: string;
              version: number;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ProfilesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description the alarm rules (docs/alarm-engine.md), checked by validateProfile */
          rules?: {
            [key: string]: unknown;
          };
          temperature: {
            /** @description °C, inclusive */
            max: number;
            /** @description °C, inclusive */
            min: number;
          };
        };
      };
    };
    responses: {
      /** @description created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            rules?: {
              [key: string]: unknown;
            };
            temperature: {
              max: number;
              min: number;
            };
            tenantId: string;
            version: number;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ProfilesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the profile */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            rules?: {
              [key: string]: unknown;
            };
            temperature: {
              max: number;
              min: number;
            };
            tenantId: string;
            version: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ProfilesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description the alarm rules (docs/alarm-engine.md), checked by validateProfile */
          rules?: {
            [key: string]: unknown;
          };
          temperature: {
            /** @description °C, inclusive */
            max: number;
            /** @description °C, inclusive */
            min: number;
          };
        };
      };
    };
    responses: {
      /** @description the new version */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            rules?: {
              [key: string]: unknown;
            };
            temperature: {
              max: number;
              min: number;
            };
            tenantId: string;
            version: number;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ProfilesController_history: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description newest first; `detail` holds the saved version */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReadingsController_latest: {
    parameters: {
      query?: {
        /** @description a tag MAC (any spelling): start after it */
        after?: string;
        /** @description readings per page, 1–2000, default 500 */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description one page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description the `after` of the next page; null on the last page */
            next: string | null;
            readings: {
              /** @description % */
              battery?: number;
              /** @description ppm */
              co2?: number;
              /** @enum {string} */
              door?: 'open' | 'closed';
              /** @description IMEI of the hub that relayed it */
              hub: string;
              /** @description %RH */
              humidity?: number;
              profileId?: string;
              /** @description gateway time, epoch ms */
              receivedAt: number;
              /** @description dBm */
              rssi?: number;
              seq?: number;
              /** @description MAC, AA:BB:CC:DD:EE:FF */
              tag: string;
              /** @description °C */
              temperature?: number;
              tenantId: string;
              /** @description measured, epoch ms */
              ts: number;
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportVerifyController_publicKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            algorithm: 'Ed25519';
            keyId: string;
            /** @description SubjectPublicKeyInfo, PEM */
            publicKeyPem: string;
          };
        };
      };
    };
  };
  ReportVerifyController_verify: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description the PDF */
    requestBody: {
      content: {
        'application/json': string;
      };
    };
    responses: {
      /** @description the verdict */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description true: signed by this platform’s key, not one byte changed since */
            genuine: boolean;
            /** @description this platform’s key id: first 8 bytes (hex) of the SHA-256 of the public key */
            keyId: string;
            /** @description why not genuine */
            reason?: string;
            /** @description SHA-256 (hex) of the upload, signature block zeroed */
            sha256?: string;
            /** @description the SHA-256 the signature covers */
            signedSha256?: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Upload larger than REPORT_VERIFY_MAX_BYTES */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  LiveStreamController_stream: {
    parameters: {
      query?: {
        /** @description the access token (EventSource sends no headers) */
        access_token?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description text/event-stream */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TagsController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description tags */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            tags: {
              mac: string;
              name: string;
              profileId?: string;
              tenantId: string;
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TagsController_register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff */
          mac: string;
          name: string;
          profileId?: string;
        };
      };
    };
    responses: {
      /** @description registered */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            mac: string;
            name: string;
            profileId?: string;
            tenantId: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TagsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the tag */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            mac: string;
            name: string;
            profileId?: string;
            tenantId: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TagsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          profileId?: string | null;
        };
      };
    };
    responses: {
      /** @description updated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            mac: string;
            name: string;
            profileId?: string;
            tenantId: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TagsController_history: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReadingsController_readings: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: `to` − 24 h */
        from?: string;
        /** @description 1–10000 */
        limit?: number;
        /** @description ISO-8601 with zone or epoch ms; default: now */
        to?: string;
      };
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description readings */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            count: number;
            /** @description epoch ms, inclusive */
            from: number;
            readings: {
              /** @description % */
              battery?: number;
              /** @description ppm */
              co2?: number;
              /** @enum {string} */
              door?: 'open' | 'closed';
              /** @description IMEI of the hub that relayed it */
              hub: string;
              /** @description %RH */
              humidity?: number;
              profileId?: string;
              /** @description gateway time, epoch ms */
              receivedAt: number;
              /** @description dBm */
              rssi?: number;
              seq?: number;
              /** @description MAC, AA:BB:CC:DD:EE:FF */
              tag: string;
              /** @description °C */
              temperature?: number;
              tenantId: string;
              /** @description measured, epoch ms */
              ts: number;
            }[];
            /** @description MAC, AA:BB:CC:DD:EE:FF */
            tag: string;
            /** @description epoch ms, exclusive */
            to: number;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportingController_csv: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: `to` − 24 h */
        from?: string;
        /** @description ISO-8601 with zone or epoch ms; default: now */
        to?: string;
      };
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description text/csv */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportingController_report: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: `to` − 24 h */
        from?: string;
        /** @description IANA time zone, e.g. Europe/Lisbon */
        timeZone?: string;
        /** @description ISO-8601 with zone or epoch ms; default: now */
        to?: string;
      };
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description application/pdf */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportingController_series: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: `to` − 24 h */
        from?: string;
        /** @description 10–5000, default 1000 */
        maxPoints?: number;
        /** @description ISO-8601 with zone or epoch ms; default: now */
        to?: string;
      };
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description series */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            band: {
              high?: number;
              low?: number;
            };
            /** @description epoch ms */
            from: number;
            points: {
              /** @description °C; absent when the reading or bucket has no temperature */
              c?: number;
              /** @description %RH */
              humidity?: number;
              /** @description °C, buckets only */
              max?: number;
              /** @description °C, buckets only */
              min?: number;
              /** @description reading time or bucket start, epoch ms */
              t: number;
            }[];
            /** @description bucket width, ms; null for raw readings */
            stepMs: number | null;
            /** @description MAC */
            tag: string;
            /** @description epoch ms */
            to: number;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  ReportingController_statistics: {
    parameters: {
      query?: {
        /** @description ISO-8601 with zone or epoch ms; default: `to` − 24 h */
        from?: string;
        /** @description 1–1440, default 30 */
        maxGapMinutes?: number;
        /** @description ISO-8601 with zone or epoch ms; default: now */
        to?: string;
      };
      header?: never;
      path: {
        mac: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description statistics */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            aboveMs: number;
            band: {
              high?: number;
              low?: number;
            };
            belowMs: number;
            /** @description time covered by intervals up to maxGapMinutes, ms */
            coveredMs: number;
            excursions: {
              /** @description the bound crossed, °C */
              bound: number;
              /** @description covered time beyond the bound, ms (gaps excluded) */
              durationMs: number;
              /** @description first reading back within the band; absent while still beyond, epoch ms */
              endedAt?: number;
              /** @description the furthest value beyond the bound, °C */
              peakC: number;
              /** @enum {string} */
              side: 'above' | 'below';
              /** @description first reading beyond the bound, epoch ms */
              startedAt: number;
            }[];
            /** @description first sample, epoch ms */
            firstAt?: number;
            /** @description epoch ms */
            from: number;
            gapMs: number;
            /** @description intervals longer than maxGapMinutes */
            gaps: number;
            inRangeMs: number;
            /** @description last sample, epoch ms */
            lastAt?: number;
            maxC?: number;
            meanC?: number;
            minC?: number;
            /** @description mean kinetic temperature, °C */
            mktC?: number;
            samples: number;
            /** @description MAC */
            tag: string;
            /** @description epoch ms */
            to: number;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TenantController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms; set once the tenant is closed */
            closedAt?: number;
            /** @description the platform admin who closed it */
            closedBy?: string;
            /** @description epoch ms */
            createdAt: number;
            id: string;
            name: string;
            positionsRetentionDays?: number;
            /** @description epoch ms: a closed tenant’s users may log in, read only (export), until then */
            readOnlyUntil?: number;
            timeZone?: string;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TenantController_update: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          positionsRetentionDays?: number | null;
          timeZone?: string | null;
        };
      };
    };
    responses: {
      /** @description the tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms; set once the tenant is closed */
            closedAt?: number;
            /** @description the platform admin who closed it */
            closedBy?: string;
            /** @description epoch ms */
            createdAt: number;
            id: string;
            name: string;
            positionsRetentionDays?: number;
            /** @description epoch ms: a closed tenant’s users may log in, read only (export), until then */
            readOnlyUntil?: number;
            timeZone?: string;
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_list: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description trips */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            trips: {
              /** @description epoch ms */
              createdAt: number;
              destination?: string;
              /** @description epoch ms */
              endedAt?: number;
              hubs: string[];
              id: string;
              name: string;
              origin?: string;
              /** @description epoch ms */
              startedAt?: number;
              /** @enum {string} */
              status: 'planned' | 'in_progress' | 'completed';
              tags: string[];
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          destination?: string;
          /** @description hub IMEIs */
          hubs?: string[];
          name: string;
          origin?: string;
          /** @description tag MACs, any common spelling */
          tags: string[];
        };
      };
    };
    responses: {
      /** @description planned */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms */
            createdAt: number;
            destination?: string;
            /** @description epoch ms */
            endedAt?: number;
            hubs: string[];
            id: string;
            name: string;
            origin?: string;
            /** @description epoch ms */
            startedAt?: number;
            /** @enum {string} */
            status: 'planned' | 'in_progress' | 'completed';
            tags: string[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the trip */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms */
            createdAt: number;
            destination?: string;
            /** @description epoch ms */
            endedAt?: number;
            hubs: string[];
            id: string;
            name: string;
            origin?: string;
            /** @description epoch ms */
            startedAt?: number;
            /** @enum {string} */
            status: 'planned' | 'in_progress' | 'completed';
            tags: string[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          destination?: string | null;
          hubs?: string[];
          name?: string;
          origin?: string | null;
          /** @description tag MACs, any common spelling */
          tags?: string[];
        };
      };
    };
    responses: {
      /** @description updated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms */
            createdAt: number;
            destination?: string;
            /** @description epoch ms */
            endedAt?: number;
            hubs: string[];
            id: string;
            name: string;
            origin?: string;
            /** @description epoch ms */
            startedAt?: number;
            /** @enum {string} */
            status: 'planned' | 'in_progress' | 'completed';
            tags: string[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_history: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_report: {
    parameters: {
      query?: {
        /** @description IANA time zone, e.g. Europe/Lisbon */
        timeZone?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description application/pdf */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_start: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description started */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms */
            createdAt: number;
            destination?: string;
            /** @description epoch ms */
            endedAt?: number;
            hubs: string[];
            id: string;
            name: string;
            origin?: string;
            /** @description epoch ms */
            startedAt?: number;
            /** @enum {string} */
            status: 'planned' | 'in_progress' | 'completed';
            tags: string[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_statistics: {
    parameters: {
      query?: {
        /** @description 1–1440, default 30 */
        maxGapMinutes?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description per-tag statistics */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  TripsController_stop: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description completed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description epoch ms */
            createdAt: number;
            destination?: string;
            /** @description epoch ms */
            endedAt?: number;
            hubs: string[];
            id: string;
            name: string;
            origin?: string;
            /** @description epoch ms */
            startedAt?: number;
            /** @enum {string} */
            status: 'planned' | 'in_progress' | 'completed';
            tags: string[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  UsersController_list: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description users */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            users: {
              disabled: boolean;
              email: string;
              id: string;
              mustChangePassword: boolean;
              /** @enum {string} */
              role: 'owner' | 'operator' | 'viewer';
            }[];
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  UsersController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: email */
          email: string;
          /** @enum {string} */
          role: 'owner' | 'operator' | 'viewer';
        };
      };
    };
    responses: {
      /** @description created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description shown once; the user must change it at first login */
            temporaryPassword: string;
            user: {
              disabled: boolean;
              email: string;
              id: string;
              mustChangePassword: boolean;
              /** @enum {string} */
              role: 'owner' | 'operator' | 'viewer';
            };
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Already registered (an email, IMEI or MAC is unique across tenants) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  UsersController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            disabled: boolean;
            email: string;
            id: string;
            mustChangePassword: boolean;
            /** @enum {string} */
            role: 'owner' | 'operator' | 'viewer';
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  UsersController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          disabled?: boolean;
          /** @enum {string} */
          role?: 'owner' | 'operator' | 'viewer';
        };
      };
    };
    responses: {
      /** @description updated */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            disabled: boolean;
            email: string;
            id: string;
            mustChangePassword: boolean;
            /** @enum {string} */
            role: 'owner' | 'operator' | 'viewer';
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  UsersController_history: {
    parameters: {
      query?: {
        /** @description 1–1000, default 100 */
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entries: {
              action: string;
              actorEmail: string;
              actorId: string;
              /** @description epoch ms */
              at: number;
              detail: unknown;
              id: number;
              objectId: string;
              /** @enum {string} */
              objectType: 'user' | 'hub' | 'tag' | 'profile' | 'trip' | 'tenant';
            }[];
          };
        };
      };
      /** @description Invalid input: `problems` names every field at fault */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  UsersController_resetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the temporary password, once */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description shown once; the user must change it at first login */
            temporaryPassword: string;
            user: {
              disabled: boolean;
              email: string;
              id: string;
              mustChangePassword: boolean;
              /** @enum {string} */
              role: 'owner' | 'operator' | 'viewer';
            };
          };
        };
      };
      /** @description Not authenticated: no or bad token, or the session ended (`reason` says why) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description Authenticated, but the role (or a platform admin on a tenant route, and the reverse) may not do this, the temporary password must be changed first, or the tenant is closed (read-only) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
      /** @description No such object in the caller's tenant (another tenant's objects are not found either) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description stable code: invalid_input, unauthorized, forbidden, password_change_required, tenant_closed, not_found, conflict, too_many_attempts */
            error: string;
            message: string;
            /** @description 400 only: one `field: problem` per problem */
            problems?: string[];
            /** @description 401 only: credentials, token, token_expired, session_idle, session_expired, session_revoked, refresh_reuse, disabled, tenant_closed */
            reason?: string;
            statusCode: number;
          };
        };
      };
    };
  };
  OpsController_healthCheck: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description every component is up */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description starting, stopping, or an engine is down */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  OpsController_exposition: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description text/plain; version=0.0.4 */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
