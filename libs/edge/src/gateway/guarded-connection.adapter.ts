import type { Client } from 'aedes';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { FrameViolation, MqttFrameGuard } from '../mqtt-frame.guard.js';

/**
 * The stream aedes reads a connection from: every chunk off the socket passes
 * the frame guard first, and a violation destroys the socket before aedes'
 * parser has buffered any of the offending packet. Reads follow aedes' pace
 * (the socket pauses while aedes does not read), writes go straight to the
 * socket. aedes sets `client` on the stream it is handed.
 */
export class GuardedConnection extends Duplex {
  /** The aedes client of this connection, once aedes has taken it. */
  client?: Client;

  constructor(
    private readonly socket: Socket,
    guard: MqttFrameGuard,
    onViolation: (violation: FrameViolation, client: Client | undefined) => void,
  ) {
    super({ allowHalfOpen: false });
    socket.on('data', (chunk: Buffer) => {
      const violation = guard.feed(chunk);
      if (violation) {
        onViolation(violation, this.client);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (err?: Error | null) => void,
  ): void {
    this.socket.cork();
    chunks.forEach(({ chunk }, i) =>
      this.socket.write(chunk, i === chunks.length - 1 ? callback : undefined),
    );
    this.socket.uncork();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.socket.end(() => callback());
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.socket.destroy();
    callback(err);
  }
}
