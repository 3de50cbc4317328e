/**
 * Which sessions just ended: one session, every session of a user (but
 * `except`), or possibly those of a tenant (closed: whether its users keep
 * read-only access is for a re-validation to decide).
 */
export type SessionEnding =
  { sessionId: string } | { userId: string; except?: string } | { tenantId: string };

/**
 * In-process notice of ended sessions, so that what this process holds open
 * for a session (the live stream) ends at once rather than at its next
 * check. It reaches this process only: other processes sharing the store
 * learn of an ending by re-validating the session (see LiveStreamController).
 * A listener that throws is ignored: the ending has happened in the store.
 */
export class SessionEndings {
  private readonly listeners = new Set<(ending: SessionEnding) => void>();

  /** Calls `listener` on every ending from now on; returns the function that stops it. */
  listen(listener: (ending: SessionEnding) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(ending: SessionEnding): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(ending);
      } catch {
        // the session has ended in the store either way; a stream still open is caught by its re-validation
      }
    }
  }
}
