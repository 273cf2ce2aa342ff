// Reading request bodies under a size limit. Past the limit we stop keeping bytes and answer 413
// (RequestEntityTooLarge, like kube-apiserver's 3 MiB default); the rest of the upload is discarded so a
// well-behaved client still reads the answer, and the socket is cut if the upload goes on too long.
import type { IncomingMessage } from 'node:http';
import { errors } from '../errors.js';

/** 3 MiB, kube-apiserver's default --max-request-body-bytes. */
export const defaultMaxRequestBodyBytes = 3 * 1024 * 1024;

/** How much of an oversized upload we read and throw away before cutting the connection. */
export const discardLimitBytes = 64 * 1024 * 1024;
/** How long an oversized upload may keep going after the 413 before the socket is cut. */
const discardTimeoutMs = 15_000;

/** The client went away before the body was complete; there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection before the request body was complete');
    this.name = 'ClientGoneError';
  }
}

const tooLarge = (limit: number) => errors.tooLarge(`Request entity too large: limit is ${limit}`);

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(req);
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      chunks.length = 0;
      discardRest(req);
      reject(tooLarge(limit));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new ClientGoneError());
    };
    const onClose = (): void => {
      if (req.complete) return;
      cleanup();
      reject(new ClientGoneError());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Throws the rest of an upload away; cuts the socket when it is too big or takes too long. */
function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  const socket = req.socket;
  const timer = setTimeout(() => socket.destroy(), discardTimeoutMs);
  timer.unref();
  const done = (): void => clearTimeout(timer);
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > discardLimitBytes) socket.destroy();
  });
  req.once('end', done);
  req.once('close', done);
  req.on('error', done);
  req.resume();
}
