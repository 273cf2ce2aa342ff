// One edge connection: the WebSocket, who is on the other end, when it was last heard from.
import type { WebSocket } from 'ws';
import type { EdgeIdentity } from './identity.js';

/** Byte counters of the TLS socket under the WebSocket (plaintext side: WebSocket frames). */
export interface ByteCounted {
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

export type SessionState = { kind: 'open' } | { kind: 'closed'; code: number; reason: string };

/** Stop writing no-ack frames to a slow edge above this many bytes buffered in the socket. */
const WRITE_HIGH_WATER_BYTES = 1024 * 1024;

export class Session {
  state: SessionState = { kind: 'open' };
  /** Last frame of any kind from the edge (ms); the keepalive sweep reads it. */
  lastSeenAt: number;
  private paused = false;

  constructor(
    readonly identity: EdgeIdentity,
    private readonly ws: WebSocket,
    private readonly socket: ByteCounted,
    now: number,
  ) {
    this.lastSeenAt = now;
  }

  get node(): string {
    return this.identity.node;
  }

  get isOpen(): boolean {
    return this.state.kind === 'open';
  }

  get bytesRead(): number {
    return this.socket.bytesRead;
  }

  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }

  /** Room in the socket for more queued frames (reliable ones are also bounded by the ack window). */
  canWrite(): boolean {
    return this.isOpen && this.ws.readyState === this.ws.OPEN && this.ws.bufferedAmount < WRITE_HIGH_WATER_BYTES;
  }

  /** Sends one text frame; false when the session is not open. */
  write(text: string): boolean {
    if (!this.isOpen || this.ws.readyState !== this.ws.OPEN) return false;
    this.ws.send(text);
    return true;
  }

  /** Backpressure on upstream: stop reading the socket until the backlog drains. */
  pauseReading(): void {
    if (this.paused || !this.isOpen) return;
    this.paused = true;
    this.ws.pause();
  }

  resumeReading(): void {
    if (!this.paused) return;
    this.paused = false;
    this.ws.resume();
  }

  /** Marks the session closed; closes the WebSocket unless it is already closing. */
  close(code: number, reason: string): void {
    if (this.state.kind === 'closed') return;
    this.state = { kind: 'closed', code, reason };
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, reason);
    }
  }
}
