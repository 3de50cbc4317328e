/**
 * Counts open connections per remote address and refuses one over the cap,
 * so a single address cannot hold every socket (and its buffers) of the
 * edge. Hubs behind one carrier-grade NAT share an address: the cap must
 * exceed the fleet seen from any one address.
 */
export class ConnectionsPerAddressLimiter {
  private readonly open = new Map<string, number>();

  /** `max` = most concurrent connections per address; 0 = no cap. */
  constructor(private readonly max: number) {}

  /** Counts a new connection from `address`; false (and nothing counted) when it is over the cap. */
  tryOpen(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (this.max > 0 && n >= this.max) return false;
    this.open.set(address, n + 1);
    return true;
  }

  /** A connection counted by `tryOpen` ended. */
  close(address: string): void {
    const n = this.open.get(address) ?? 0;
    if (n <= 1) this.open.delete(address);
    else this.open.set(address, n - 1);
  }

  /** Open connections from `address`. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
