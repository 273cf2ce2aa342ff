// A fault-injecting TCP proxy for tests and benchmarks: it sits between an edge and cloudcore (or any
// client and server) and can pass, delay, drop, blackhole or refuse traffic, and cut every connection.
// Pure node:net, byte-transparent, so TLS and WebSocket run through it unchanged. Semantics per mode are
// in docs/fault-proxy.md; the short version is beside each mode below.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export type FaultMode =
  /** Forward bytes as they come. */
  | { kind: 'pass' }
  /** Hold each chunk `ms` before forwarding it; order is kept in each direction. */
  | { kind: 'delay'; ms: number }
  /**
   * Dropping bytes inside a TLS stream only corrupts it, so "drop" drops connections: a new
   * connection, and each chunk of an open one, is with `probability` answered by resetting the
   * connection (both sides) instead of being forwarded.
   */
  | { kind: 'drop'; probability: number }
  /** Keep sockets open and silently discard all bytes (and FINs) both ways: a half-open link. */
  | { kind: 'blackhole' }
  /** Close new connections at once (RST); open ones are left alone (use cutAll for those). */
  | { kind: 'refuse' };

export interface FaultProxyStats {
  /** Connections accepted since start (refused and dropped ones included). */
  connections: number;
  /** Connections open now. */
  active: number;
  /** Bytes forwarded client → target. */
  bytesUp: number;
  /** Bytes forwarded target → client. */
  bytesDown: number;
  /** Bytes swallowed by blackhole mode. */
  bytesDiscarded: number;
  /** Connections reset by cutAll() or by drop mode. */
  cuts: number;
  /** New connections closed by refuse mode. */
  refused: number;
}

export interface FaultProxy {
  readonly port: number;
  setMode(mode: FaultMode): void;
  mode(): FaultMode;
  /** Resets every open connection (RST on both sides); returns how many were cut. */
  cutAll(): number;
  stats(): FaultProxyStats;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  target: { host: string; port: number };
  /** 0 (default): a free port. */
  listenPort?: number;
  listenHost?: string;
  initialMode?: FaultMode;
  /** Injected for drop mode so tests are deterministic; default Math.random. */
  random?: () => number;
}

/** One direction of a connection: a FIFO of chunks with release times, so delay keeps order. */
interface Lane {
  from: Socket;
  to: Socket;
  queue: { at: number; chunk: Buffer }[];
  timer: NodeJS.Timeout | undefined;
  ended: boolean;
  count: (n: number) => void;
}

interface Pair { client: Socket; upstream: Socket; lanes: [Lane, Lane] }

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  let current: FaultMode = opts.initialMode ?? { kind: 'pass' };
  const random = opts.random ?? Math.random;
  const pairs = new Set<Pair>();
  const s: FaultProxyStats = { connections: 0, active: 0, bytesUp: 0, bytesDown: 0, bytesDiscarded: 0, cuts: 0, refused: 0 };

  const cut = (pair: Pair): void => {
    if (!pairs.delete(pair)) return;
    s.cuts++;
    for (const lane of pair.lanes) clearTimeout(lane.timer);
    reset(pair.client);
    reset(pair.upstream);
  };

  const onConnection = (client: Socket): void => {
    s.connections++;
    client.on('error', () => undefined);
    if (current.kind === 'refuse') { s.refused++; reset(client); return; }
    if (current.kind === 'drop' && random() < current.probability) { s.cuts++; reset(client); return; }
    const upstream = connect({ host: opts.target.host, port: opts.target.port, allowHalfOpen: true });
    upstream.on('error', () => undefined);
    const up = lane(client, upstream, (n) => { s.bytesUp += n; });
    const down = lane(upstream, client, (n) => { s.bytesDown += n; });
    const pair: Pair = { client, upstream, lanes: [up, down] };
    pairs.add(pair);
    s.active = pairs.size;
    const wire = (l: Lane): void => {
      l.from.on('data', (chunk: Buffer) => onChunk(pair, l, chunk));
      l.from.on('end', () => onEnd(l));
      l.from.on('close', (hadError: boolean) => onClose(pair, l, hadError));
    };
    wire(up);
    wire(down);
  };

  const onChunk = (pair: Pair, l: Lane, chunk: Buffer): void => {
    const m = current;
    if (m.kind === 'blackhole') { s.bytesDiscarded += chunk.length; return; }
    if (m.kind === 'drop' && random() < m.probability) { cut(pair); s.active = pairs.size; return; }
    const now = Date.now();
    const last = l.queue[l.queue.length - 1]?.at ?? now;
    l.queue.push({ at: Math.max(last, now + (m.kind === 'delay' ? m.ms : 0)), chunk });
    flush(l);
  };

  const onEnd = (l: Lane): void => {
    // A blackholed link swallows the FIN too: the peer keeps a half-open connection.
    if (current.kind === 'blackhole') return;
    l.ended = true;
    flush(l);
  };

  const onClose = (pair: Pair, l: Lane, hadError: boolean): void => {
    if (current.kind === 'blackhole' && pairs.has(pair)) return;
    // A reset travels on as a reset; a clean close lets queued bytes drain to the other side first.
    if (hadError) reset(l.to);
    else if (l.queue.length === 0) l.to.end();
    else l.ended = true;
    settle(pair);
  };

  const settle = (pair: Pair): void => {
    if (pair.client.destroyed && pair.upstream.destroyed) pairs.delete(pair);
    s.active = pairs.size;
  };

  /** After a blackhole, close what one side gave up on meanwhile (its FIN or RST was swallowed). */
  const sweep = (): void => {
    for (const pair of [...pairs]) {
      if (pair.client.destroyed !== pair.upstream.destroyed) { reset(pair.client); reset(pair.upstream); }
      settle(pair);
    }
  };

  const server: Server = createServer({ allowHalfOpen: true }, onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, opts.listenHost ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    setMode: (mode) => {
      const leaving = current.kind === 'blackhole' && mode.kind !== 'blackhole';
      current = mode;
      if (leaving) sweep();
    },
    mode: () => current,
    cutAll: () => {
      const n = pairs.size;
      for (const pair of [...pairs]) cut(pair);
      s.active = 0;
      return n;
    },
    stats: () => ({ ...s, active: pairs.size }),
    close: async () => {
      for (const pair of [...pairs]) { pairs.delete(pair); reset(pair.client); reset(pair.upstream); }
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function lane(from: Socket, to: Socket, count: (n: number) => void): Lane {
  return { from, to, queue: [], timer: undefined, ended: false, count };
}

/** Writes every chunk whose time has come, keeping order; pauses the source when the sink is full. */
function flush(l: Lane): void {
  clearTimeout(l.timer);
  l.timer = undefined;
  const now = Date.now();
  while (l.queue.length > 0 && (l.queue[0]?.at ?? 0) <= now) {
    const { chunk } = l.queue.shift() as { chunk: Buffer };
    if (l.to.destroyed) { l.queue.length = 0; return; }
    l.count(chunk.length);
    if (!l.to.write(chunk)) {
      l.from.pause();
      l.to.once('drain', () => l.from.resume());
    }
  }
  const next = l.queue[0];
  if (next) l.timer = setTimeout(() => flush(l), next.at - now);
  else if (l.ended && !l.to.destroyed) l.to.end();
}

/** RST where the socket can (Node ≥ 18.3), else a plain destroy. */
function reset(sock: Socket): void {
  if (sock.destroyed) return;
  if (typeof sock.resetAndDestroy === 'function' && !sock.pending && !sock.connecting) sock.resetAndDestroy();
  else sock.destroy();
}
