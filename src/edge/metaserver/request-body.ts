// Reads a JSON request body with a size limit; the failures are ApiErrors (413, 400, 415).
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Resolves with the parsed JSON body. A body over `maxBytes` stops being read (413). */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        done = true;
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(new ApiError('BadRequest', 'the request body is not valid JSON', {}, { cause: err }));
      }
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(new ApiError('BadRequest', 'the request body could not be read', {}, { cause: err }));
    });
  });
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError('RequestEntityTooLarge', `the request body is larger than ${maxBytes} bytes`);
}

/** The media type without parameters, lower case; '' when absent. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
