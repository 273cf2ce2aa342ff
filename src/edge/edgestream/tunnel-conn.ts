// One connected tunnel on the edge: decodes frames, starts a session per `open`, routes stdin,
// resize, window and close frames to it, and ends every session when the socket goes.
import type WebSocket from 'ws';
import type { Logger } from '../../core/index.js';
import {
  FrameError, FrameTypes, StreamChannels, dataOf, decodeFrame, encodeJson, parseSessionRequest, payloadJson, windowOf,
  type Frame,
} from '../../core/tunnel/index.js';
import type { ContainerLocator } from '../edged/pod-contracts.js';
import type { RuntimeService } from '../runtime/types.js';
import { EdgeSession, type FrameSink } from './edge-session.js';
import { serveExec } from './serve-exec.js';
import { serveLogs } from './serve-logs.js';

/** Above this many bytes queued on the socket, sessions stop reading logs and command output. */
const HIGH_WATER_BYTES = 1024 * 1024;
const ROOM_POLL_MS = 5;

export interface TunnelDeps { locator: ContainerLocator; runtime: RuntimeService; log: Logger }

export class EdgeTunnelConn {
  readonly #sessions = new Map<number, EdgeSession>();
  readonly #sink: FrameSink;
  readonly closed: Promise<void>;

  constructor(private readonly ws: WebSocket, private readonly deps: TunnelDeps) {
    this.#sink = {
      send: (frame) => { if (ws.readyState === ws.OPEN) ws.send(frame); },
      room: () => this.#room(),
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return;
      try {
        this.#onFrame(decodeFrame(data));
      } catch (err) {
        deps.log.warn('bad frame', { error: (err as Error).message });
      }
    });
    this.closed = new Promise((resolve) => ws.once('close', () => {
      for (const s of this.#sessions.values()) s.abort();
      this.#sessions.clear();
      resolve();
    }));
  }

  get sessions(): number {
    return this.#sessions.size;
  }

  #onFrame(f: Frame): void {
    if (f.type === FrameTypes.open) return this.#open(f);
    const s = this.#sessions.get(f.session);
    if (!s) return;
    switch (f.type) {
      case FrameTypes.data: {
        const { channel, bytes } = dataOf(f);
        if (channel === StreamChannels.stdin && s.input) void s.input.stdin(bytes).then(() => s.consumed(bytes.length));
        else s.consumed(bytes.length);
        return;
      }
      case FrameTypes.stdinEnd: s.input?.stdinEnd(); return;
      case FrameTypes.resize: {
        const o = payloadJson(f);
        const w = Number(o['width']);
        const h = Number(o['height']);
        if (Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0) s.input?.resize(w, h);
        return;
      }
      case FrameTypes.window: s.grant(windowOf(f)); return;
      case FrameTypes.close: s.abort(); this.#sessions.delete(f.session); return;
      default: return;
    }
  }

  #open(f: Frame): void {
    if (this.#sessions.has(f.session)) return;
    let req;
    try {
      req = parseSessionRequest(payloadJson(f));
    } catch (err) {
      this.#sink.send(encodeJson(FrameTypes.error, f.session, { code: 'BadRequest', message: err instanceof FrameError ? err.message : 'bad open frame' }));
      return;
    }
    const s = new EdgeSession(f.session, this.#sink);
    this.#sessions.set(f.session, s);
    const fields = { session: f.session, kind: req.kind, pod: `${req.namespace}/${req.pod}`, container: req.container };
    this.deps.log.debug('session opened', fields);
    const served = req.kind === 'logs' ? serveLogs(s, req, this.deps.locator) : serveExec(s, req, this.deps);
    void served.catch((err: unknown) => {
      this.deps.log.error('session failed', { ...fields, error: (err as Error).message });
    }).finally(() => {
      this.#sessions.delete(f.session);
      this.deps.log.debug('session ended', fields);
    });
  }

  async #room(): Promise<void> {
    while (this.ws.readyState === this.ws.OPEN && this.ws.bufferedAmount > HIGH_WATER_BYTES) {
      await new Promise((r) => setTimeout(r, ROOM_POLL_MS));
    }
  }
}
