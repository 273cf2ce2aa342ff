// One logs/exec session on the cloud end of a node's tunnel. The consumer (an HTTP response or a
// kubectl WebSocket) takes data through `onData` and says when each chunk was handed on, which is
// when the edge gets its window back: a slow client slows the edge, nothing buffers without bound.
import {
  FrameTypes, INITIAL_WINDOW_BYTES, MAX_DATA_CHUNK, SendWindow, StreamChannels, dataOf, encodeData, encodeFrame, encodeJson,
  encodeWindow, parseExit, parseSessionError, payloadJson, windowOf, type ExitInfo, type Frame, type SessionError,
} from '../../core/tunnel/index.js';

export type SessionEnd =
  | { kind: 'exit'; info: ExitInfo }
  | { kind: 'error'; error: SessionError }
  /** The edge finished (a log stream drained) or the consumer closed the session. */
  | { kind: 'closed' }
  /** The tunnel went away mid-session. */
  | { kind: 'lost' };

export interface SessionConsumer {
  /** Hand `bytes` on and call `done` once they left this process (e.g. the res.write callback). */
  onData(channel: number, bytes: Buffer, done: () => void): void;
}

export interface SessionLink {
  send(frame: Buffer): void;
  forget(id: number): void;
}

export class CloudSession {
  readonly ready: Promise<void>;
  readonly ended: Promise<SessionEnd>;
  readonly #window = new SendWindow(INITIAL_WINDOW_BYTES);
  #resolveReady!: () => void;
  #rejectReady!: (err: SessionError) => void;
  #resolveEnded!: (end: SessionEnd) => void;
  #done = false;

  constructor(readonly id: number, private readonly link: SessionLink, private readonly consumer: SessionConsumer) {
    this.ready = new Promise((resolve, reject) => { this.#resolveReady = resolve; this.#rejectReady = reject; });
    // Callers that only await `ended` must not see an unhandled rejection of `ready`.
    this.ready.catch(() => undefined);
    this.ended = new Promise((resolve) => { this.#resolveEnded = resolve; });
  }

  get isDone(): boolean {
    return this.#done;
  }

  /** Frames from the edge for this session. */
  onFrame(f: Frame): void {
    switch (f.type) {
      case FrameTypes.ready: this.#resolveReady(); return;
      case FrameTypes.data: {
        const { channel, bytes } = dataOf(f);
        if (channel === StreamChannels.stdin || this.#done) return;
        this.consumer.onData(channel, bytes, () => { if (!this.#done) this.link.send(encodeWindow(this.id, bytes.length)); });
        return;
      }
      case FrameTypes.window: this.#window.grant(windowOf(f)); return;
      case FrameTypes.exit: this.#end({ kind: 'exit', info: parseExit(payloadJson(f)) }); return;
      case FrameTypes.error: {
        const error = parseSessionError(payloadJson(f));
        this.#rejectReady(error);
        this.#end({ kind: 'error', error });
        return;
      }
      case FrameTypes.close: this.#end({ kind: 'closed' }); return;
      default: return;
    }
  }

  /** Resolves once the edge has room for the bytes (its stdin window). */
  async writeStdin(bytes: Buffer): Promise<void> {
    for (let at = 0; at < bytes.length && !this.#done; at += MAX_DATA_CHUNK) {
      const part = bytes.subarray(at, at + MAX_DATA_CHUNK);
      await this.#window.wait();
      if (this.#done) return;
      this.#window.take(part.length);
      this.link.send(encodeData(this.id, StreamChannels.stdin, part));
    }
  }

  stdinEnd(): void {
    if (!this.#done) this.link.send(encodeFrame(FrameTypes.stdinEnd, this.id));
  }

  resize(width: number, height: number): void {
    if (!this.#done) this.link.send(encodeJson(FrameTypes.resize, this.id, { width, height }));
  }

  /** The consumer left: tell the edge to stop (kills an exec, ends a followed log). */
  close(): void {
    if (this.#done) return;
    this.link.send(encodeFrame(FrameTypes.close, this.id));
    this.#end({ kind: 'closed' });
  }

  /** The tunnel closed. */
  lost(): void {
    this.#rejectReady({ code: 'Unavailable', message: 'the edge node disconnected' });
    this.#end({ kind: 'lost' });
  }

  #end(end: SessionEnd): void {
    if (this.#done) return;
    this.#done = true;
    this.#window.close();
    this.#rejectReady({ code: 'Internal', message: 'the session ended before it started' });
    this.link.forget(this.id);
    this.#resolveEnded(end);
  }
}
