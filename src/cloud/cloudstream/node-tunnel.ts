// The cloud end of one node's tunnel: opens sessions (ids from 1, per tunnel), routes the edge's
// frames to them, pings the edge and cuts a tunnel that stops answering.
import type WebSocket from 'ws';
import type { Logger } from '../../core/index.js';
import { FrameTypes, decodeFrame, encodeJson, type SessionRequest } from '../../core/tunnel/index.js';
import { CloudSession, type SessionConsumer } from './cloud-session.js';

export class NodeTunnel {
  readonly #sessions = new Map<number, CloudSession>();
  #nextId = 1;
  #alive = true;
  readonly closed: Promise<void>;

  constructor(readonly node: string, private readonly ws: WebSocket, private readonly log: Logger) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      try {
        const f = decodeFrame(data);
        this.#sessions.get(f.session)?.onFrame(f);
      } catch (err) {
        log.warn('bad frame', { node, error: (err as Error).message });
      }
    });
    ws.on('pong', () => { this.#alive = true; });
    ws.on('error', (err) => log.debug('tunnel error', { node, error: err.message }));
    this.closed = new Promise((resolve) => ws.once('close', () => {
      for (const s of [...this.#sessions.values()]) s.lost();
      this.#sessions.clear();
      resolve();
    }));
  }

  get sessions(): number {
    return this.#sessions.size;
  }

  get remoteAddress(): string | undefined {
    return (this.ws as unknown as { _socket?: { remoteAddress?: string } })._socket?.remoteAddress;
  }

  open(req: SessionRequest, consumer: SessionConsumer): CloudSession {
    const id = this.#nextId;
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1;
    const session = new CloudSession(id, {
      send: (frame) => { if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame); },
      forget: (sid) => this.#sessions.delete(sid),
    }, consumer);
    this.#sessions.set(id, session);
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(encodeJson(FrameTypes.open, id, req));
    else session.lost();
    return session;
  }

  /** Called every ping interval: a tunnel that did not answer the last ping is cut. */
  heartbeat(): void {
    if (!this.#alive) {
      this.log.info('tunnel silent', { node: this.node });
      this.ws.terminate();
      return;
    }
    this.#alive = false;
    this.ws.ping();
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
    // A peer that never answers the close handshake is cut after a while.
    setTimeout(() => this.ws.terminate(), 5_000).unref();
  }
}
