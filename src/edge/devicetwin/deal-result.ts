// What applying twin changes to a device produced: rows to write, the update result, the document and
// the twins to report to the cloud (KubeEdge's dttype.DealTwinResult).
import type { MsgTwin, TwinVersion } from '../../core/index.js';
import { TWIN_TYPE_DELETED } from '../../core/index.js';
import type { TwinEntry } from './twin-state.js';

export interface TwinDocEntry {
  last: MsgTwin | null;
  current: MsgTwin | null;
}

export interface DealResult {
  /** Twins of the device whose rows must be written (inserted when rowId is undefined). */
  written: TwinEntry[];
  /** Twins whose rows must be deleted (removed from the device). */
  removed: TwinEntry[];
  /** Per changed twin, what the update result carries; null for a deleted twin. */
  result: Record<string, MsgTwin | null>;
  /** last/current of every changed twin (twin/update/document). */
  document: Record<string, TwinDocEntry>;
  /** Names of twins to report to the cloud. */
  report: string[];
}

export function emptyDeal(): DealResult {
  return { written: [], removed: [], result: {}, document: {}, report: [] };
}

export type Side = 'expected' | 'actual';
export const SIDES: readonly Side[] = ['expected', 'actual'];

export function versionKey(side: Side): 'expected_version' | 'actual_version' {
  return side === 'expected' ? 'expected_version' : 'actual_version';
}

export function sideVersion(twin: TwinEntry, side: Side): TwinVersion | undefined {
  return side === 'expected' ? twin.expectedVersion : twin.actualVersion;
}

/** Sets one side's value, timestamp and version. */
export function setSide(twin: TwinEntry, side: Side, value: string, ts: number, version: TwinVersion): void {
  if (side === 'expected') {
    twin.expected = value;
    twin.expectedTs = ts;
    twin.expectedVersion = version;
  } else {
    twin.actual = value;
    twin.actualTs = ts;
    twin.actualVersion = version;
  }
}

export function setSideVersion(twin: TwinEntry, side: Side, version: TwinVersion | undefined): void {
  if (side === 'expected') twin.expectedVersion = version;
  else twin.actualVersion = version;
}

/** A twin entry of an update that asks for deletion: null (KubeEdge) or metadata.type "deleted" (ours too). */
export function isDeleteRequest(msg: MsgTwin | null): boolean {
  return msg === null || msg.metadata?.type === TWIN_TYPE_DELETED;
}

/** The type a new (or revived) twin gets: metadata.type, "" for metadata without type, else "string". */
export function requestedType(msg: MsgTwin): string {
  return msg.metadata ? (msg.metadata.type ?? '') : 'string';
}
