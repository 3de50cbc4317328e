/** Limits the frame guard enforces, bytes of an MQTT packet's remaining length (MQTT 3.1.1 §2.2.3). */
export interface MqttFrameLimits {
  /** Largest remaining length of the first packet, which must be CONNECT (§3.1). */
  maxConnectBytes: number;
  /** Largest remaining length of any later packet. */
  maxPacketBytes: number;
}

/** Why the guard refuses a connection's byte stream. */
export type FrameViolation =
  | { kind: 'first_packet_not_connect'; packetType: number }
  | { kind: 'packet_too_large'; remainingLength: number; limit: number }
  | { kind: 'malformed_remaining_length' };

/** MQTT control packet type of CONNECT, the high nibble of the first byte (§2.2.1). */
const CONNECT_TYPE = 1;
/** The remaining length is at most four bytes (§2.2.3); a fifth continuation byte is malformed. */
const MAX_LENGTH_BYTES = 4;

/**
 * Reads the fixed header of every MQTT packet in a connection's byte stream,
 * before any packet is buffered whole, and says when the stream must be cut:
 * a first packet other than CONNECT, a remaining length over the limits, or a
 * remaining length that is no valid variable byte integer. Packet bodies are
 * skipped without being copied, so the guard holds a few integers per
 * connection whatever arrives. Headers may be split across chunks anywhere.
 *
 * Once it has returned a violation the guard stays in it; the caller closes
 * the connection.
 */
export class MqttFrameGuard {
  private packets = 0;
  /** Bytes of the current packet's body still to skip; 0 when a fixed header comes next. */
  private bodyLeft = 0;
  /** True between a packet's first byte and the end of its remaining length. */
  private inHeader = false;
  private packetType = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private violation?: FrameViolation;

  constructor(private readonly limits: MqttFrameLimits) {}

  /** Feeds the next chunk read from the connection; a violation means "close it now". */
  feed(chunk: Uint8Array): FrameViolation | undefined {
    if (this.violation) return this.violation;
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= skip;
        i += skip;
        continue;
      }
      const byte = chunk[i++];
      if (!this.inHeader) {
        this.packetType = byte >> 4;
        if (this.packets === 0 && this.packetType !== CONNECT_TYPE)
          return (this.violation = { kind: 'first_packet_not_connect', packetType: this.packetType });
        this.inHeader = true;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      const limit = this.packets === 0 ? this.limits.maxConnectBytes : this.limits.maxPacketBytes;
      // Checked at every byte: a header claiming too much is refused before its last length byte.
      if (this.length > limit)
        return (this.violation = { kind: 'packet_too_large', remainingLength: this.length, limit });
      if (byte & 0x80) {
        if (this.lengthBytes === MAX_LENGTH_BYTES)
          return (this.violation = { kind: 'malformed_remaining_length' });
        continue;
      }
      this.inHeader = false;
      this.packets++;
      this.bodyLeft = this.length;
    }
    return undefined;
  }
}
