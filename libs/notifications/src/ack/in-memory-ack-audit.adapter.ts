import type { AckAuditLog, AckEntry, StoredAck } from '@coldchain/metadata-store';

/** AckAuditLog in process memory, for unit tests and single-process demos; lost on restart. */
export class InMemoryAckAuditLog implements AckAuditLog {
  private readonly entries: StoredAck[] = [];

  async append(entry: AckEntry): Promise<StoredAck> {
    const stored: StoredAck = { ...entry, id: this.entries.length + 1 };
    this.entries.push(stored);
    return { ...stored };
  }

  async listAcks(alertKey: string): Promise<StoredAck[]> {
    return this.entries.filter((e) => e.alertKey === alertKey).map((e) => ({ ...e }));
  }

  async firstAck(alertKey: string): Promise<StoredAck | undefined> {
    const e = this.entries.find((x) => x.alertKey === alertKey);
    return e && { ...e };
  }
}
