// What one watcher sees of one change (pure), as kube-apiserver's watch filtering does: an object
// entering the watcher's selection is ADDED, staying in it MODIFIED, leaving it DELETED (with its
// new state), deleted DELETED; changes outside the selection are not sent.
import type { FeedEntry } from './change-feed.js';
import type { ObjectFilter } from './selection.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export function watchEventFor(entry: FeedEntry, filter: ObjectFilter, namespace: string | null): WatchEventType | undefined {
  if (namespace !== null && entry.namespace !== namespace) return undefined;
  const wasIn = entry.before !== undefined && filter(entry.before);
  if (entry.op === 'delete') {
    // Deleted before we ever saw it (no skeleton): judge by the object the delete carried.
    return wasIn || (entry.before === undefined && filter(entry.object)) ? 'DELETED' : undefined;
  }
  const isIn = filter(entry.object);
  if (isIn) return wasIn ? 'MODIFIED' : 'ADDED';
  return wasIn ? 'DELETED' : undefined;
}
