// One watch answer: chunked application/json with one {"type","object"} per line. It starts with
// the current state as ADDED events (resourceVersion "" or "0", or sendInitialEvents) or with the
// ring's changes after the given resourceVersion, then follows the change feed. It ends on
// timeoutSeconds (default 30-60 min, kube-apiserver's), when the client goes away, when the client
// stops reading, or when the server closes; every end lets go of the feed and the timers.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/index.js';
import type { Logger } from '../../core/index.js';
import { ApiError, statusFor } from './api-error.js';
import type { ChangeFeed, FeedEntry } from './change-feed.js';
import { numericVersion, readAll, type ReadContext } from './reads.js';
import type { ObjectFormat, ReadOptions } from './request-options.js';
import { apiVersionOf, type ResourceInfo } from './resources.js';
import { compileSelection } from './selection.js';
import { bookmarkObject, toTable, type TableOptions } from './tables.js';
import { watchEventFor } from './watch-events.js';

/** A watcher that stops reading is cut once this much is queued for it. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const MIN_REQUEST_TIMEOUT_MS = 1800 * 1000;

export interface WatchContext extends ReadContext {
  feed: ChangeFeed;
  log: Logger;
  bookmarkIntervalMs: number;
  /** The open watches' end functions, so that closing the server ends them. */
  open: Set<() => void>;
}

export interface WatchTarget {
  resource: ResourceInfo;
  namespace: string | null;
  name?: string | undefined;
}

/** Throws (before anything is written) for a bad selector or resourceVersion. */
export async function serveWatch(res: ServerResponse, ctx: WatchContext, target: WatchTarget, opts: ReadOptions, format: ObjectFormat): Promise<void> {
  const { resource, namespace } = target;
  const filter = compileSelection(resource, opts, target.name);
  const rv = opts.resourceVersion;
  const initial = rv === '' || rv === '0' || opts.sendInitialEvents;
  const from = initial ? undefined : numericVersion(rv);
  if (!initial && from === undefined) throw new ApiError('BadRequest', `invalid resourceVersion: "${rv}"`);
  const table: TableOptions | undefined = format.kind === 'table' ? { version: format.version, includeObject: opts.includeObject } : undefined;
  const encode = (type: string, obj: unknown): string => `${JSON.stringify({ type, object: obj })}\n`;
  const objectFor = (obj: KubeObject): unknown => (table ? toTable(resource, [obj], table) : obj);
  const bookmark = (annotations?: Record<string, string>): string =>
    encode('BOOKMARK', bookmarkObject(resource, apiVersionOf(resource), ctx.feed.resourceVersion.toString(), table, annotations));

  let ended = false;
  let ready = false;
  const queued: FeedEntry[] = [];
  const send = (entry: FeedEntry): void => {
    const type = watchEventFor(entry, filter, namespace);
    if (type) write(encode(type, objectFor(entry.object)));
  };
  const onEntry = (entry: FeedEntry): void => {
    if (ready) send(entry);
    else queued.push(entry);
  };
  const write = (line: string): void => {
    if (ended || res.destroyed || res.writableEnded) return;
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      ctx.log.warn('watch client is not reading; closing the watch', { resource: resource.plural, bufferedBytes: res.writableLength });
      finish(true);
    }
  };

  let sub: ReturnType<ChangeFeed['subscribe']>;
  try {
    sub = ctx.feed.subscribe(resource, from, onEntry);
  } catch (err) {
    // Like kube-apiserver's watch cache: a too-old resourceVersion is a 200 with one ERROR event, so
    // that reflectors list again instead of treating it as a failed request.
    if (!(err instanceof ApiError && err.reason === 'Expired')) throw err;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.end(encode('ERROR', statusFor(err)));
    return;
  }
  const timers: { timeout?: NodeJS.Timeout; bookmark?: NodeJS.Timeout } = {};
  const finish = (destroy = false): void => {
    if (ended) return;
    ended = true;
    sub.stop();
    clearTimeout(timers.timeout);
    clearTimeout(timers.bookmark);
    ctx.open.delete(end);
    if (destroy) res.destroy();
    else if (!res.writableEnded) res.end();
  };
  const end = (): void => finish();
  ctx.open.add(end);
  res.on('close', () => finish(true));

  let current: KubeObject[] = [];
  try {
    if (initial) current = (await readAll(ctx, resource, namespace)).filter(filter);
  } catch (err) {
    finish();
    throw err;
  }
  if (ended) return;
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  res.cork();
  for (const obj of current) write(encode('ADDED', objectFor(obj)));
  for (const entry of sub.backlog) send(entry);
  if (opts.sendInitialEvents && opts.allowWatchBookmarks) write(bookmark({ 'k8s.io/initial-events-end': 'true' }));
  ready = true;
  for (const entry of queued.splice(0)) send(entry);
  process.nextTick(() => res.uncork());

  // timeoutSeconds 0 or absent: kube-apiserver's default, --min-request-timeout with jitter.
  const timeoutMs = opts.timeoutSeconds ? opts.timeoutSeconds * 1000 : Math.floor(MIN_REQUEST_TIMEOUT_MS * (1 + Math.random()));
  timers.timeout = setTimeout(end, timeoutMs);
  if (opts.allowWatchBookmarks) {
    const tick = (): void => {
      write(bookmark());
      if (!ended) timers.bookmark = setTimeout(tick, ctx.bookmarkIntervalMs);
    };
    timers.bookmark = setTimeout(tick, ctx.bookmarkIntervalMs);
  }
}
