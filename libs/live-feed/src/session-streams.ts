import type { Clock, EpochMs } from '@coldchain/domain';

/** One open stream, held on behalf of the session whose access token opened it. */
export interface SessionStream {
  sessionId: string;
  userId: string;
  tenantId: string;
  /** Expiry of the access token that opened it, epoch ms: the stream must not outlive it. */
  expiresAt: EpochMs;
  /** Closes the stream; called at most once by the registry. */
  end(): void;
}

/**
 * The streams this process holds open, by the session that opened them, so
 * that they end with it. Framework-free: the host ends them on the process's
 * own notice of an ended session (`endWhere`, at once), and re-validates them
 * all on a timer (`recheck`), which is how an ending decided by another
 * process sharing the session store, or the token's expiry on the injected
 * clock, reaches them.
 */
export class SessionStreams {
  private readonly streams = new Set<SessionStream>();

  constructor(
    private readonly clock: Clock,
    /** Sessions checked at once by `recheck`: its store queries stay a small share of the pool. */
    private readonly maxConcurrentChecks = 8,
  ) {}

  /** Holds `stream` until it ends here or the returned function releases it (the client left). */
  add(stream: SessionStream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  /** Streams held, all sessions. */
  get size(): number {
    return this.streams.size;
  }

  /** Ends at once the streams `which` selects; returns how many. */
  endWhere(which: (s: SessionStream) => boolean): number {
    let ended = 0;
    for (const s of [...this.streams]) if (which(s) && this.end(s)) ended++;
    return ended;
  }

  /**
   * Re-validates the streams `which` selects (all by default): ends those
   * whose token has expired on the clock, then asks `stillValid` once per
   * session about the rest and ends the streams of a session it answers
   * false for, or throws for (failing closed: a client reconnects and is
   * authenticated afresh). Returns how many streams ended.
   */
  async recheck(
    stillValid: (session: { sessionId: string; userId: string }) => Promise<boolean>,
    which: (s: SessionStream) => boolean = () => true,
  ): Promise<number> {
    const now = this.clock.now();
    let ended = this.endWhere((s) => which(s) && s.expiresAt <= now);
    const sessions = new Map<string, { sessionId: string; userId: string }>();
    for (const s of this.streams)
      if (which(s))
        sessions.set(`${s.sessionId}\u0000${s.userId}`, { sessionId: s.sessionId, userId: s.userId });
    const queue = [...sessions.values()];
    for (let i = 0; i < queue.length; i += this.maxConcurrentChecks) {
      const batch = queue.slice(i, i + this.maxConcurrentChecks);
      const verdicts = await Promise.all(batch.map((session) => stillValid(session).catch(() => false)));
      batch.forEach((session, k) => {
        if (!verdicts[k])
          ended += this.endWhere(
            (s) => which(s) && s.sessionId === session.sessionId && s.userId === session.userId,
          );
      });
    }
    return ended;
  }

  private end(s: SessionStream): boolean {
    if (!this.streams.delete(s)) return false;
    try {
      s.end();
    } catch {
      // the stream is released either way
    }
    return true;
  }
}
