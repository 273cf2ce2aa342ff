// Modbus TCP client: one socket per client, requests pipelined and matched to responses by transaction
// id, a timeout per request, and a lazy reconnect: a request on a lost connection opens a new one. After
// a failed connect, requests fail fast until a backoff (doubling, capped, with jitter) has passed, so a
// dead device polled by many properties is not hammered with connects.
import { Socket } from 'node:net';
import { createSilentLogger, type Logger } from '../../../core/index.js';
import { AduReader, type ModbusAdu } from './adu-reader.js';
import { ModbusConnectionError, ModbusError, ModbusFrameError, ModbusTimeoutError } from './errors.js';
import { decodeResponse, encodeRequest, validateRequest, type ModbusRequest, type ModbusResult } from './frame-codec.js';

export interface ModbusTcpClientOptions {
  host: string;
  /** Default 502. */
  port?: number;
  /** Unit (slave) id put in every request; default 1. */
  unitId?: number;
  /** Per-request timeout in ms; default 3000. */
  timeoutMs?: number;
  /** Connect timeout in ms; default timeoutMs. */
  connectTimeoutMs?: number;
  /** Backoff after a failed connect, in ms: first delay and cap; default 200 and 5000. 0 = retry at once. */
  reconnectDelayMs?: { initial: number; max: number };
  log?: Logger;
  /** Injected for tests: clock in ms and a [0,1) source for jitter. */
  now?: () => number;
  random?: () => number;
}

interface Pending {
  request: ModbusRequest;
  resolve: (r: ModbusResult) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

interface Connection {
  socket: Socket;
  reader: AduReader;
  pending: Map<number, Pending>;
  lastError: Error | undefined;
}

type State =
  | { kind: 'idle' }
  | { kind: 'connecting'; attempt: Promise<Connection> }
  | { kind: 'connected'; conn: Connection }
  | { kind: 'backoff'; until: number; error: Error }
  | { kind: 'closed' };

export type ModbusClientState = State['kind'];

export class ModbusTcpClient {
  readonly address: string;
  private readonly opts: Required<Omit<ModbusTcpClientOptions, 'log'>>;
  private readonly log: Logger;
  private state: State = { kind: 'idle' };
  private nextTid = 1;
  private failures = 0;

  constructor(options: ModbusTcpClientOptions) {
    const timeoutMs = options.timeoutMs ?? 3000;
    this.opts = {
      host: options.host,
      port: options.port ?? 502,
      unitId: options.unitId ?? 1,
      timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? timeoutMs,
      reconnectDelayMs: options.reconnectDelayMs ?? { initial: 200, max: 5000 },
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
    this.address = `${this.opts.host}:${this.opts.port}`;
    this.log = options.log ?? createSilentLogger();
  }

  get connectionState(): ModbusClientState {
    return this.state.kind;
  }

  async readCoils(address: number, quantity: number): Promise<boolean[]> {
    return bits(await this.request({ functionCode: 1, address, quantity }));
  }

  async readDiscreteInputs(address: number, quantity: number): Promise<boolean[]> {
    return bits(await this.request({ functionCode: 2, address, quantity }));
  }

  async readHoldingRegisters(address: number, quantity: number): Promise<number[]> {
    return registers(await this.request({ functionCode: 3, address, quantity }));
  }

  async readInputRegisters(address: number, quantity: number): Promise<number[]> {
    return registers(await this.request({ functionCode: 4, address, quantity }));
  }

  async writeSingleCoil(address: number, value: boolean): Promise<void> {
    await this.request({ functionCode: 5, address, value });
  }

  async writeSingleRegister(address: number, value: number): Promise<void> {
    await this.request({ functionCode: 6, address, value });
  }

  async writeMultipleCoils(address: number, values: readonly boolean[]): Promise<void> {
    await this.request({ functionCode: 15, address, values });
  }

  async writeMultipleRegisters(address: number, values: readonly number[]): Promise<void> {
    await this.request({ functionCode: 16, address, values });
  }

  /** Opens the connection now instead of at the first request (it is reopened on demand if lost). */
  async connect(): Promise<void> {
    await this.ensureConnected();
  }

  /** Sends one request (connecting first if needed) and resolves with its decoded response. */
  async request(req: ModbusRequest): Promise<ModbusResult> {
    validateRequest(req);
    const conn = await this.ensureConnected();
    return this.send(conn, req);
  }

  /** Closes the socket and fails pending and future requests. */
  async close(): Promise<void> {
    const prev = this.state;
    this.state = { kind: 'closed' };
    const conn = prev.kind === 'connected' ? prev.conn : prev.kind === 'connecting' ? await prev.attempt.catch(() => undefined) : undefined;
    if (conn !== undefined) this.drop(conn, new ModbusConnectionError(this.address, 'client closed'));
  }

  private ensureConnected(): Promise<Connection> {
    const s = this.state;
    switch (s.kind) {
      case 'connected':
        return Promise.resolve(s.conn);
      case 'connecting':
        return s.attempt;
      case 'closed':
        return Promise.reject(new ModbusConnectionError(this.address, 'client closed'));
      case 'backoff':
        if (this.opts.now() < s.until) {
          return Promise.reject(new ModbusConnectionError(this.address, `waiting to reconnect: ${s.error.message}`, s.error));
        }
        return this.startConnect();
      case 'idle':
        return this.startConnect();
    }
  }

  private startConnect(): Promise<Connection> {
    const attempt = this.openSocket().then(
      (conn) => {
        if (this.state.kind === 'closed') {
          this.drop(conn, new ModbusConnectionError(this.address, 'client closed'));
          throw new ModbusConnectionError(this.address, 'client closed');
        }
        this.failures = 0;
        this.state = { kind: 'connected', conn };
        this.log.debug('connected', { address: this.address });
        return conn;
      },
      (err: Error) => {
        if (this.state.kind !== 'closed') this.state = { kind: 'backoff', until: this.opts.now() + this.nextDelay(), error: err };
        throw err;
      },
    );
    this.state = { kind: 'connecting', attempt };
    return attempt;
  }

  private nextDelay(): number {
    const { initial, max } = this.opts.reconnectDelayMs;
    const base = Math.min(max, initial * 2 ** Math.min(this.failures, 16));
    this.failures++;
    return base * (0.5 + this.opts.random() / 2);
  }

  private openSocket(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const conn: Connection = { socket, reader: new AduReader(), pending: new Map(), lastError: undefined };
      // Attached first and never removed: an 'error' without a listener would crash the process.
      socket.on('error', (err) => {
        conn.lastError = err;
      });
      const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${this.opts.connectTimeoutMs} ms`)), this.opts.connectTimeoutMs);
      const onError = (err: Error): void => {
        clearTimeout(timer);
        reject(new ModbusConnectionError(this.address, `connect failed: ${err.message}`, err));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.setNoDelay(true);
        socket.setKeepAlive(true);
        this.wire(conn);
        resolve(conn);
      });
      socket.connect(this.opts.port, this.opts.host);
    });
  }

  private wire(conn: Connection): void {
    conn.socket.on('close', () => {
      this.drop(conn, new ModbusConnectionError(this.address, 'connection closed', conn.lastError));
    });
    conn.socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
  }

  private onData(conn: Connection, chunk: Buffer): void {
    let adus: ModbusAdu[];
    try {
      adus = conn.reader.push(chunk);
    } catch (err) {
      this.log.warn('bad frame, closing connection', { address: this.address, error: (err as Error).message });
      this.drop(conn, err as Error);
      return;
    }
    for (const adu of adus) {
      if (!this.onAdu(conn, adu)) return;
    }
  }

  /** Settles the request a frame answers; false when the frame was bad and the connection is gone. */
  private onAdu(conn: Connection, adu: ModbusAdu): boolean {
    const p = conn.pending.get(adu.transactionId);
    if (p === undefined) {
      // A late answer to a request that already timed out: harmless, the framing is intact.
      this.log.debug('response for unknown transaction', { address: this.address, transactionId: adu.transactionId });
      return true;
    }
    conn.pending.delete(adu.transactionId);
    clearTimeout(p.timer);
    try {
      if (adu.unitId !== this.opts.unitId) throw new ModbusFrameError(`response from unit ${adu.unitId}, sent to ${this.opts.unitId}`);
      p.resolve(decodeResponse(p.request, adu.pdu));
      return true;
    } catch (err) {
      p.reject(err as Error);
      if (err instanceof ModbusError) return true;
      this.log.warn('bad response, closing connection', { address: this.address, error: (err as Error).message });
      this.drop(conn, new ModbusConnectionError(this.address, 'connection closed after a bad response', err));
      return false;
    }
  }

  private send(conn: Connection, req: ModbusRequest): Promise<ModbusResult> {
    return new Promise((resolve, reject) => {
      const tid = this.allocateTid(conn);
      const timer = setTimeout(() => {
        conn.pending.delete(tid);
        reject(new ModbusTimeoutError(req.functionCode, this.opts.timeoutMs));
      }, this.opts.timeoutMs);
      conn.pending.set(tid, { request: req, resolve, reject, timer });
      const fail = (err: Error): void => {
        if (conn.pending.get(tid)?.timer !== timer) return;
        conn.pending.delete(tid);
        clearTimeout(timer);
        reject(new ModbusConnectionError(this.address, `write failed: ${err.message}`, err));
      };
      if (conn.socket.destroyed) fail(new Error('socket destroyed'));
      else conn.socket.write(encodeRequest(tid, this.opts.unitId, req), (err) => err && fail(err));
    });
  }

  /** Next transaction id (1-65535, wrapping) not used by a request still in flight. */
  private allocateTid(conn: Connection): number {
    for (;;) {
      const tid = this.nextTid;
      this.nextTid = tid >= 0xffff ? 1 : tid + 1;
      if (!conn.pending.has(tid)) return tid;
    }
  }

  /** Fails the connection's pending requests, destroys its socket, and forgets it. Idempotent. */
  private drop(conn: Connection, err: Error): void {
    if (this.state.kind === 'connected' && this.state.conn === conn) this.state = { kind: 'idle' };
    const pending = [...conn.pending.values()];
    conn.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    conn.socket.destroy();
  }
}

function bits(r: ModbusResult): boolean[] {
  if (r.kind !== 'bits') throw new ModbusFrameError(`expected bits, got ${r.kind}`);
  return r.values;
}

function registers(r: ModbusResult): number[] {
  if (r.kind !== 'registers') throw new ModbusFrameError(`expected registers, got ${r.kind}`);
  return r.values;
}
