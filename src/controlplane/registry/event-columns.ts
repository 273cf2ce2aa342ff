// Event tables. Core events print LAST SEEN, TYPE, REASON, OBJECT, MESSAGE by default and SUBOBJECT,
// SOURCE, FIRST SEEN, COUNT and NAME with -o wide; NAME is not the first column, so these defs set
// `columnsComplete`. events.k8s.io/v1 events carry the same facts under other field names.
import type { KubeObject } from '../../api/index.js';
import { timestampSince } from './age.js';
import { asNumber, asString, dig, isRecord } from './object-access.js';
import type { TableColumn } from './types.js';

/** Where each printed fact lives in one event API version. */
interface EventShape {
  first: (e: KubeObject) => unknown;
  last: (e: KubeObject) => unknown;
  eventTime: (e: KubeObject) => unknown;
  count: (e: KubeObject) => unknown;
  object: (e: KubeObject) => unknown;
  message: (e: KubeObject) => unknown;
  sourceComponent: (e: KubeObject) => string;
  sourceHost: (e: KubeObject) => string;
}

const coreShape: EventShape = {
  first: (e) => e.firstTimestamp,
  last: (e) => e.lastTimestamp,
  eventTime: (e) => e.eventTime,
  count: (e) => e.count,
  object: (e) => e.involvedObject,
  message: (e) => e.message,
  sourceComponent: (e) => asString(dig(e, 'source', 'component')) || asString(e.reportingComponent),
  sourceHost: (e) => asString(dig(e, 'source', 'host')) || asString(e.reportingInstance),
};

const eventsV1Shape: EventShape = {
  first: (e) => e.deprecatedFirstTimestamp,
  last: (e) => e.deprecatedLastTimestamp,
  eventTime: (e) => e.eventTime,
  count: (e) => e.deprecatedCount,
  object: (e) => e.regarding,
  message: (e) => e.note,
  sourceComponent: (e) => asString(dig(e, 'deprecatedSource', 'component')) || asString(e.reportingController),
  sourceHost: (e) => asString(dig(e, 'deprecatedSource', 'host')) || asString(e.reportingInstance),
};

function firstSeen(shape: EventShape, e: KubeObject, now: Date): string {
  return shape.first(e) ? timestampSince(shape.first(e), now) : timestampSince(shape.eventTime(e), now);
}

/** A series (repeated event) reports its last observation; otherwise lastTimestamp, else first seen. */
function lastSeen(shape: EventShape, e: KubeObject, now: Date): string {
  if (isRecord(e.series)) return timestampSince(e.series.lastObservedTime, now);
  return shape.last(e) ? timestampSince(shape.last(e), now) : firstSeen(shape, e, now);
}

function eventCount(shape: EventShape, e: KubeObject): number {
  if (isRecord(e.series)) return asNumber(e.series.count);
  const n = asNumber(shape.count(e));
  return n === 0 ? 1 : n;
}

function target(shape: EventShape, e: KubeObject): string {
  const obj = shape.object(e);
  const kind = asString(dig(obj, 'kind')).toLowerCase();
  const name = asString(dig(obj, 'name'));
  return name ? `${kind}/${name}` : kind;
}

function source(shape: EventShape, e: KubeObject): string {
  const component = shape.sourceComponent(e);
  const host = shape.sourceHost(e);
  return host ? `${component}, ${host}` : component;
}

function eventColumnsFor(shape: EventShape): TableColumn[] {
  const clock = (now?: Date): Date => now ?? new Date();
  return [
    { name: 'Last Seen', type: 'string', description: 'Time since the event was last observed.', cell: (e, now) => lastSeen(shape, e, clock(now)) },
    { name: 'Type', type: 'string', description: 'Normal or Warning.', cell: (e) => asString(e.type) },
    { name: 'Reason', type: 'string', description: 'Short machine-readable reason.', cell: (e) => asString(e.reason) },
    { name: 'Object', type: 'string', description: 'The object the event is about.', cell: (e) => target(shape, e) },
    { name: 'Subobject', type: 'string', priority: 1, description: 'Field path inside the object.', cell: (e) => asString(dig(shape.object(e), 'fieldPath')) },
    { name: 'Source', type: 'string', priority: 1, description: 'Component (and host) that reported the event.', cell: (e) => source(shape, e) },
    { name: 'Message', type: 'string', description: 'Human-readable description.', cell: (e) => asString(shape.message(e)).trim() },
    { name: 'First Seen', type: 'string', priority: 1, description: 'Time since the event was first observed.', cell: (e, now) => firstSeen(shape, e, clock(now)) },
    { name: 'Count', type: 'string', priority: 1, description: 'How many times the event occurred.', cell: (e) => eventCount(shape, e) },
    { name: 'Name', type: 'string', format: 'name', priority: 1, description: 'Name of the event object.', cell: (e) => asString(e.metadata.name) },
  ];
}

export function coreEventColumns(): TableColumn[] {
  return eventColumnsFor(coreShape);
}

export function eventsV1Columns(): TableColumn[] {
  return eventColumnsFor(eventsV1Shape);
}
