// Watch streaming: a chunked application/json answer with one `{"type","object"}` per line, written as
// each event arrives. The stream ends when the client goes away, on timeoutSeconds (default: 30–60 min,
// kube-apiserver's --min-request-timeout with jitter), after an ERROR event, when the client stops
// reading (slow-consumer cut-off), or when the server closes. Every end stops the ObjectAPI watch.
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../core/log/index.js';
import { isApiError } from '../errors.js';
import type { ApiWatch, ApiWatchEvent, ObjectAPI, ResourceRef, WatchOptions } from '../objects/index.js';
import type { Transformer } from './transform.js';

/** kube-apiserver's --min-request-timeout (1800 s); a watch without timeoutSeconds lasts 1–2× this. */
export const minRequestTimeoutMs = 1800 * 1000;
/** A watcher that stops reading is cut once this much is queued for it. */
export const defaultMaxWatchBufferBytes = 16 * 1024 * 1024;

export function defaultWatchTimeoutMs(random: () => number = Math.random): number {
  return Math.floor(minRequestTimeoutMs * (1 + random()));
}

/** The open watches, so that closing the server ends them all. */
export class WatchSet {
  readonly #open = new Set<() => void>();
  add(end: () => void): void { this.#open.add(end); }
  delete(end: () => void): void { this.#open.delete(end); }
  get size(): number { return this.#open.size; }
  endAll(): void {
    for (const end of [...this.#open]) end();
  }
}

export interface WatchRequest {
  api: ObjectAPI;
  ref: ResourceRef;
  options: WatchOptions;
  transformer: Transformer;
  timeoutMs: number;
  maxBufferBytes: number;
  watches: WatchSet;
  log: Logger;
  headers?: Record<string, string>;
}

type State = 'starting' | 'streaming' | 'ended';

/** One watch response. Events that arrive while the ObjectAPI watch starts are queued until headers go out. */
class WatchStream {
  #state: State = 'starting';
  #handle: ApiWatch | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sawError = false;
  readonly #pending: string[] = [];
  // The initial burst (synthetic ADDED events) may be large; the slow-consumer bound comes on top of it.
  #bufferLimit: number;

  constructor(private readonly res: ServerResponse, private readonly w: WatchRequest) {
    this.#bufferLimit = w.maxBufferBytes;
  }

  /** Throws (before anything is written) for errors other than 410 Gone. */
  start(): void {
    try {
      this.#handle = this.w.api.watch(this.w.ref, this.w.options, this.#onEvent);
    } catch (err) {
      // Like kube-apiserver's watch cache: a too-old resourceVersion is a 200 with one ERROR event, so
      // that reflectors relist instead of treating it as a failed request.
      if (!(isApiError(err) && err.code === 410)) throw err;
      this.#onEvent({ type: 'ERROR', object: err.toStatus() });
    }
    const res = this.res;
    res.writeHead(200, { ...this.w.headers, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    this.#state = 'streaming';
    res.on('close', () => this.#finish('destroy'));
    res.on('error', () => this.#finish('destroy'));
    if (this.#pending.length > 0) {
      res.cork();
      for (const line of this.#pending.splice(0)) this.#write(line);
      process.nextTick(() => res.uncork());
    }
    if (this.#sawError) {
      this.#finish('end');
      return;
    }
    this.#timer = setTimeout(this.#end, this.w.timeoutMs);
    this.w.watches.add(this.#end);
  }

  readonly #end = (): void => this.#finish('end');

  readonly #onEvent = (event: ApiWatchEvent): void => {
    if (this.#state === 'ended') return;
    let line: string;
    try {
      line = `${JSON.stringify(this.w.transformer.event(event))}\n`;
    } catch (err) {
      this.w.log.error('cannot encode watch event', { resource: this.w.ref.resource, err: (err as Error).message, stack: (err as Error).stack });
      this.#finish('destroy');
      return;
    }
    this.#write(line);
    if (event.type !== 'ERROR') return;
    this.#sawError = true;
    if (this.#state === 'streaming') this.#finish('end');
  };

  #write(line: string): void {
    if (this.#state === 'starting') {
      this.#pending.push(line);
      this.#bufferLimit += Buffer.byteLength(line);
      return;
    }
    const res = this.res;
    if (this.#state === 'ended' || res.destroyed || res.writableEnded) return;
    res.write(line);
    if (res.writableLength > this.#bufferLimit) {
      this.w.log.warn('watch client is not reading; closing the watch', { resource: this.w.ref.resource, bufferedBytes: res.writableLength });
      this.#finish('destroy');
    }
  }

  #finish(how: 'end' | 'destroy'): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    if (this.#timer) clearTimeout(this.#timer);
    this.w.watches.delete(this.#end);
    stopQuietly(this.#handle, this.w.log);
    if (how === 'end' && !this.res.destroyed) this.res.end();
    else this.res.destroy();
  }
}

/** Starts the watch. Throws (before anything is written) for errors other than 410 Gone. */
export function serveWatch(res: ServerResponse, w: WatchRequest): void {
  new WatchStream(res, w).start();
}

function stopQuietly(handle: ApiWatch | undefined, log: Logger): void {
  if (!handle) return;
  try {
    handle.stop();
  } catch (err) {
    log.warn('stopping a watch failed', { err: (err as Error).message });
  }
}
