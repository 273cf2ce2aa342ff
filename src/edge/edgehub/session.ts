// One live connection to cloudhub: frames in and out, keepalive and silence detection, byte counts.
// The reconnect loop in edge-hub.ts owns sessions; a session ends exactly once (onClose).
import type WebSocket from 'ws';
import { encodeMessage, type Logger, type MessageClock } from '../../core/index.js';
import { Keepalive } from './keepalive.js';
import type { ResolvedEdgeHubOptions, Timers } from './options.js';
import { dial, type Dialed } from './transport.js';
import { cloudHubHeaders, cloudHubUrl, keepaliveMessage } from './wire.js';

export interface SessionEvents {
  onFrame(data: Buffer): void;
  onKeepaliveSent(): void;
  onSilence(): void;
}

export interface SessionOptions {
  heartbeatMs: number;
  silenceTimeoutMs: number;
  now: () => number;
  timers: Timers;
  clock: MessageClock;
}

/** Dials cloudhub (fresh TLS material from o.tls()) and wraps the link in a Session, not yet started. */
export async function openSession(
  o: Readonly<ResolvedEdgeHubOptions>,
  events: SessionEvents,
  signal: AbortSignal,
): Promise<Session> {
  const dialed = await dial({
    url: cloudHubUrl(o.server, o.projectID, o.nodeName),
    headers: cloudHubHeaders(o.projectID, o.nodeName),
    tls: o.tls(),
    handshakeTimeoutMs: o.handshakeTimeoutMs,
    // Above the decoder's limit, so an oversized frame is counted and dropped rather than fatal.
    maxPayload: o.maxFrameBytes * 2,
    signal,
  });
  const { heartbeatMs, silenceTimeoutMs, now, timers } = o;
  return new Session(dialed, events, { heartbeatMs, silenceTimeoutMs, now, timers, clock: { now } }, o.log);
}

/** After close(), how long the close handshake may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

export class Session {
  readonly acks: boolean;
  /** Resolves once, with the reason, when the link ended. */
  readonly done: Promise<string>;
  private resolveDone: (reason: string) => void = () => undefined;
  private readonly ws: WebSocket;
  private readonly keepalive: Keepalive;
  private closed = false;
  private closeReason = 'closed by peer';

  constructor(
    private readonly dialed: Dialed,
    private readonly events: SessionEvents,
    private readonly opts: SessionOptions,
    private readonly log: Logger,
  ) {
    this.ws = dialed.ws;
    this.done = new Promise<string>((resolve) => (this.resolveDone = resolve));
    this.acks = dialed.acks;
    this.keepalive = new Keepalive(
      { beat: () => this.beat(), onSilence: (idleMs) => this.silent(idleMs) },
      opts,
    );
    this.ws.on('message', (data: WebSocket.RawData) => {
      this.keepalive.frameReceived();
      this.events.onFrame(toBuffer(data));
    });
    this.ws.on('pong', () => this.keepalive.frameReceived());
    this.ws.on('ping', () => this.keepalive.frameReceived());
    this.ws.on('error', (err: Error) => {
      this.closeReason = err.message;
      this.log.debug('socket error', { error: err.message });
    });
    this.ws.on('close', (code: number) => this.finish(code));
  }

  /** Sends the first keepalive at once (as KubeEdge does right after connecting) and arms the timers. */
  start(): void {
    this.keepalive.start();
  }

  isOpen(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  /** Writes one text frame; `onWritten` runs when it reached the socket or failed. */
  write(text: string, onWritten?: (err?: Error) => void): void {
    if (!this.isOpen()) {
      onWritten?.(new Error('link is closed'));
      return;
    }
    this.ws.send(text, { binary: false }, onWritten);
  }

  /** Wire bytes so far, TLS included. */
  bytes(): { in: number; out: number } {
    return { in: this.dialed.raw.bytesRead, out: this.dialed.raw.bytesWritten };
  }

  /** Ends the link; `graceful` sends a close frame first (stop), otherwise the socket is cut. */
  close(reason: string, graceful: boolean): void {
    if (this.closed) return;
    this.closeReason = reason;
    this.keepalive.stop();
    if (!graceful) {
      this.ws.terminate();
      return;
    }
    this.ws.close(1001, 'going away');
    // A real timer on purpose: this only bounds a stuck close handshake, it is not protocol timing.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  private beat(): void {
    if (!this.isOpen()) return;
    this.write(encodeMessage(keepaliveMessage(this.opts.clock)));
    this.ws.ping();
    this.events.onKeepaliveSent();
  }

  private silent(idleMs: number): void {
    this.log.warn('link silent', { idleMs });
    this.events.onSilence();
    this.close(`no frame for ${idleMs} ms`, false);
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.keepalive.stop();
    this.resolveDone(`${this.closeReason} (code ${code})`);
  }
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
