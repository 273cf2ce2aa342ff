// Writing answers: JSON bodies and the one place where failures become Kubernetes Status objects.
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { Status } from '../../api/index.js';
import type { Logger } from '../../core/log/index.js';
import { ApiError, isApiError } from '../errors.js';

export interface JsonOptions {
  pretty?: boolean;
  contentType?: string;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, code: number, body: unknown, options: JsonOptions = {}): void {
  const text = options.pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body);
  res.writeHead(code, {
    ...options.headers,
    'Content-Type': options.contentType ?? 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export const pathNotFound = (): ApiError =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

/**
 * The Status for any failure. ApiErrors carry their own; anything else is a bug or an environment
 * failure: logged with its stack and answered with a generic 500 so internals do not leak.
 */
export function statusOf(err: unknown, log: Logger, context: Record<string, unknown> = {}): Status {
  if (isApiError(err)) return err.toStatus();
  const e = err instanceof Error ? err : new Error(String(err));
  log.error('request failed', { ...context, err: e.message, stack: e.stack });
  return new ApiError(500, 'InternalError', 'Internal error occurred: an unexpected error occurred while serving the request').toStatus();
}

function statusHeaders(status: Status): Record<string, string> {
  const retry = status.details?.retryAfterSeconds;
  return retry !== undefined ? { 'Retry-After': String(retry) } : {};
}

export function sendError(res: ServerResponse, err: unknown, log: Logger, context: Record<string, unknown> = {}): void {
  const status = statusOf(err, log, context);
  if (res.headersSent) {
    // Too late for a Status: the body is already streaming. Cut the connection so the client sees it.
    res.destroy();
    return;
  }
  sendJson(res, status.code, status, { headers: statusHeaders(status) });
}

/** A Status answer on a raw socket, for failed protocol upgrades (exec/attach over WebSocket or SPDY). */
export function sendRawError(socket: Duplex, err: unknown, log: Logger, context: Record<string, unknown> = {}): void {
  const status = statusOf(err, log, context);
  const body = JSON.stringify(status);
  const head = [
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(statusHeaders(status)).map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
