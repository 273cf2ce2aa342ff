// What the cloud asks the edge in an `open` frame, and how the edge says no. Parsing is strict:
// the edge trusts nothing in a frame it did not validate.
import { FrameError } from './frames.js';

export interface LogsRequest {
  kind: 'logs';
  namespace: string;
  pod: string;
  /** '' = the pod's only (or default) container. */
  container: string;
  previous: boolean;
  follow: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** RFC 3339. */
  sinceTime?: string;
  limitBytes?: number;
}

export interface ExecRequestFrame {
  kind: 'exec';
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** Only check that the command could start (container found and running): ready then close. */
  checkOnly?: boolean;
}

export type SessionRequest = LogsRequest | ExecRequestFrame;

/** NotFound -> 404, BadRequest -> 400, Unavailable -> 503, Internal -> 500 (Kubernetes Status codes). */
export type SessionErrorCode = 'NotFound' | 'BadRequest' | 'Unavailable' | 'Internal';
export interface SessionError { code: SessionErrorCode; message: string }

export interface ExitInfo { exitCode: number | null; message?: string }

const str = (o: Record<string, unknown>, k: string): string => {
  const v = o[k];
  if (typeof v !== 'string') throw new FrameError(`open: ${k} must be a string`);
  return v;
};
const bool = (o: Record<string, unknown>, k: string): boolean => o[k] === true;
const optInt = (o: Record<string, unknown>, k: string): number | undefined => {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new FrameError(`open: ${k} must be a non-negative integer`);
  return v;
};

export function parseSessionRequest(o: Record<string, unknown>): SessionRequest {
  const base = { namespace: str(o, 'namespace'), pod: str(o, 'pod'), container: str(o, 'container') };
  if (o['kind'] === 'logs') {
    const r: LogsRequest = { kind: 'logs', ...base, previous: bool(o, 'previous'), follow: bool(o, 'follow'), timestamps: bool(o, 'timestamps') };
    const tail = optInt(o, 'tailLines');
    const since = optInt(o, 'sinceSeconds');
    const limit = optInt(o, 'limitBytes');
    if (tail !== undefined) r.tailLines = tail;
    if (since !== undefined) r.sinceSeconds = since;
    if (limit !== undefined) r.limitBytes = limit;
    if (typeof o['sinceTime'] === 'string') r.sinceTime = o['sinceTime'];
    return r;
  }
  if (o['kind'] === 'exec') {
    const command = o['command'];
    if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string')) {
      throw new FrameError('open: command must be a non-empty list of strings');
    }
    const r: ExecRequestFrame = { kind: 'exec', ...base, command: command as string[], stdin: bool(o, 'stdin'), stdout: bool(o, 'stdout'), stderr: bool(o, 'stderr'), tty: bool(o, 'tty') };
    if (bool(o, 'checkOnly')) r.checkOnly = true;
    return r;
  }
  throw new FrameError('open: kind must be logs or exec');
}

const codes = new Set<string>(['NotFound', 'BadRequest', 'Unavailable', 'Internal']);

export function parseSessionError(o: Record<string, unknown>): SessionError {
  const code = typeof o['code'] === 'string' && codes.has(o['code']) ? (o['code'] as SessionErrorCode) : 'Internal';
  return { code, message: typeof o['message'] === 'string' ? o['message'] : 'the edge gave no reason' };
}

export function parseExit(o: Record<string, unknown>): ExitInfo {
  const code = o['exitCode'];
  const info: ExitInfo = { exitCode: typeof code === 'number' && Number.isInteger(code) ? code : null };
  if (typeof o['message'] === 'string') info.message = o['message'];
  return info;
}
