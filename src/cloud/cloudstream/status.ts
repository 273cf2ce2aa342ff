// Failures of logs/exec become Kubernetes Status objects, here only: on an HTTP answer, on a
// refused upgrade (raw socket), or on exec's status channel.
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SessionError } from '../../core/tunnel/index.js';

export interface StreamStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}

/** A failure with the HTTP code it is answered with. */
export class StreamError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'StreamError';
  }

  toStatus(): StreamStatus {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
  }
}

export const badRequest = (message: string): StreamError => new StreamError(400, 'BadRequest', message);
export const notFound = (message: string): StreamError => new StreamError(404, 'NotFound', message);
export const unavailable = (message: string): StreamError => new StreamError(503, 'ServiceUnavailable', message);

const byCode: Record<SessionError['code'], (m: string) => StreamError> = {
  NotFound: notFound,
  BadRequest: badRequest,
  Unavailable: unavailable,
  Internal: (m) => new StreamError(500, 'InternalError', m),
};

export function fromSessionError(err: SessionError): StreamError {
  return byCode[err.code](err.message);
}

export function toStreamError(err: unknown): StreamError {
  if (err instanceof StreamError) return err;
  return new StreamError(500, 'InternalError', err instanceof Error ? err.message : String(err));
}

export function writeStatus(res: ServerResponse, err: StreamError): void {
  if (res.headersSent) { res.destroy(); return; }
  const body = JSON.stringify(err.toStatus());
  res.writeHead(err.code, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/** Refuses a protocol upgrade with a Status body, then closes the socket. */
export function writeRawStatus(socket: Duplex, err: StreamError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' + body,
  );
}
