// Human-readable durations as kube-apiserver prints them in tables (apimachinery's HumanDuration):
// ~2-3 significant figures, e.g. "45s", "2m10s", "5h3m", "3d4h", "2y10d".
import type { KubeObject } from '../../api/index.js';
import type { TableColumn } from './types.js';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** Up to 2 s in the future still counts as "now" (clock skew between machines); further is "<invalid>". */
export function formatDuration(ms: number): string {
  const seconds = Math.trunc(ms / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / minute);
  if (minutes < 10) {
    const s = Math.floor(ms / second) % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

export function formatAge(from: Date, now: Date): string {
  return formatDuration(now.getTime() - from.getTime());
}

/** Parses an RFC 3339 timestamp; undefined for absent or unparseable values. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** "<unknown>" for a missing timestamp, as the printers show it. */
export function timestampSince(value: unknown, now: Date): string {
  const at = parseTimestamp(value);
  return at ? formatAge(at, now) : '<unknown>';
}

/** The AGE column of built-in tables: a pre-formatted string computed from creationTimestamp. */
export function ageColumn(): TableColumn {
  return {
    name: 'Age', type: 'string', format: '',
    description: 'Time since the object was created (from metadata.creationTimestamp).',
    cell: (obj: KubeObject, now?: Date) => timestampSince(obj.metadata?.creationTimestamp, now ?? new Date()),
  };
}
