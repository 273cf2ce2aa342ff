// One logs or exec session on the edge end of the tunnel: sends frames for it, honours the cloud's
// window and the socket's buffer, and receives stdin/resize/close from the cloud.
import {
  FrameTypes, INITIAL_WINDOW_BYTES, MAX_DATA_CHUNK, SendWindow, encodeData, encodeFrame, encodeJson, encodeWindow,
  type ExitInfo, type SessionError,
} from '../../core/tunnel/index.js';

/** The part of the tunnel socket a session needs. */
export interface FrameSink {
  send(frame: Buffer): void;
  /** Resolves when the socket's send buffer is below its high-water mark (or the socket closed). */
  room(): Promise<void>;
}

export interface SessionInput {
  stdin(bytes: Buffer): Promise<void>;
  stdinEnd(): void;
  resize(width: number, height: number): void;
}

export class EdgeSession {
  readonly #abort = new AbortController();
  readonly #window = new SendWindow(INITIAL_WINDOW_BYTES);
  #ended = false;
  /** Set by exec sessions; logs take no input. */
  input: SessionInput | undefined;

  constructor(readonly id: number, private readonly sink: FrameSink) {}

  /** Aborted when the cloud closed the session or the tunnel went away. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get ended(): boolean {
    return this.#ended;
  }

  ready(): void {
    this.sink.send(encodeFrame(FrameTypes.ready, this.id));
  }

  async sendData(channel: number, bytes: Buffer): Promise<void> {
    for (let at = 0; at < bytes.length && !this.signal.aborted; at += MAX_DATA_CHUNK) {
      const part = bytes.subarray(at, at + MAX_DATA_CHUNK);
      await this.#window.wait();
      await this.sink.room();
      if (this.signal.aborted) return;
      this.#window.take(part.length);
      this.sink.send(encodeData(this.id, channel, part));
    }
  }

  fail(err: SessionError): void {
    this.#finish(encodeJson(FrameTypes.error, this.id, err));
  }

  exit(info: ExitInfo): void {
    this.#finish(encodeJson(FrameTypes.exit, this.id, info));
  }

  /** The session ended normally (a log stream drained). */
  close(): void {
    this.#finish(encodeFrame(FrameTypes.close, this.id));
  }

  /** The cloud granted more window. */
  grant(bytes: number): void {
    this.#window.grant(bytes);
  }

  /** Tells the cloud that `bytes` of its stdin were consumed. */
  consumed(bytes: number): void {
    if (!this.#ended && bytes > 0) this.sink.send(encodeWindow(this.id, bytes));
  }

  /** The cloud or the tunnel ended the session: stop sending, release waiters. */
  abort(): void {
    this.#ended = true;
    this.#window.close();
    this.#abort.abort();
  }

  #finish(frame: Buffer): void {
    if (this.#ended) return;
    this.sink.send(frame);
    this.abort();
  }
}
