// Decoding of a Kubernetes watch stream: newline-delimited JSON events
// ({"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":...}). Pure: bytes in, events out.
import type { KubeObject } from '../../api/index.js';
import { KubeError, type WatchEvent } from './types.js';

/** Splits a byte stream into complete lines; a partial line waits for the next chunk. */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): string[] {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '');
  }
}

/**
 * One watch line → an event, or a thrown KubeError for an ERROR event (410 Expired when the
 * requested resourceVersion is older than the server keeps, as client-go's reflector expects).
 */
export function decodeWatchLine(line: string): WatchEvent {
  let parsed: { type?: unknown; object?: unknown };
  try {
    parsed = JSON.parse(line) as { type?: unknown; object?: unknown };
  } catch (err) {
    throw new KubeError(500, 'InternalError', 'watch: malformed event line', { cause: err });
  }
  const obj = parsed.object as Record<string, unknown> | undefined;
  if (parsed.type === 'ERROR') {
    const code = typeof obj?.['code'] === 'number' ? obj['code'] : 500;
    const reason = code === 410 ? 'Expired' : typeof obj?.['reason'] === 'string' ? obj['reason'] : 'InternalError';
    const message = typeof obj?.['message'] === 'string' ? obj['message'] : 'watch error';
    throw new KubeError(code, reason, message);
  }
  const type = parsed.type;
  if ((type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED' && type !== 'BOOKMARK') ||
      typeof obj !== 'object' || obj === null || typeof obj['metadata'] !== 'object') {
    throw new KubeError(500, 'InternalError', `watch: unexpected event type ${String(type)}`);
  }
  return { type, object: obj as unknown as KubeObject };
}
