// The embedded broker (KubeEdge's internal mode, gomqtt there, aedes here): device apps connect over
// TCP; edgecore itself subscribes and publishes through aedes's in-process API, no socket in between.
// As in KubeEdge (mqtt/server.go), only messages published by clients reach our handler: what edgecore
// publishes itself goes to the devices and does not loop back into devicetwin.
import { createServer, type Server, type Socket } from 'node:net';
// aedes is loaded when the embedded broker starts (external-only nodes never pay for it).
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import type { Logger } from '../../core/index.js';
import { EventBusError } from './errors.js';

export interface InternalBrokerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  log: Logger;
  onMessage: (topic: string, payload: Buffer) => void;
}

/** gomqtt accepts any client id length; aedes defaults to the MQTT 3.1.1 minimum of 23. */
const MAX_CLIENT_ID_LENGTH = 256;

export class InternalBroker {
  private broker?: Aedes;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly filters = new Set<string>();
  /** mqemitter calls a handler once per matching filter; one packet object per publish, so identity dedupes. */
  private lastPacket: AedesPublishPacket | undefined;
  private readonly deliver = (packet: AedesPublishPacket, done: () => void): void => {
    // aedes stamps clientId on what clients publish; our own in-process publishes carry none.
    if ((packet as { clientId?: string }).clientId !== undefined && packet !== this.lastPacket) {
      this.lastPacket = packet;
      const p = packet.payload as Buffer | string;
      this.opts.onMessage(packet.topic, typeof p === 'string' ? Buffer.from(p) : p);
    }
    done();
  };

  constructor(private readonly opts: InternalBrokerOptions) {}

  /** Listens; resolves with the bound port. Throws EventBusError listen_failed. */
  async start(): Promise<number> {
    const { Aedes: AedesBroker } = await import('aedes');
    const broker = await AedesBroker.createBroker({ maxClientsIdLength: MAX_CLIENT_ID_LENGTH, preConnect: disableDedupe });
    this.broker = broker;
    const log = this.opts.log;
    // Garbage on a socket, a client gone mid-packet: aedes closes that client and emits these.
    broker.on('clientError', (client, err) => log.debug('client error', { clientId: client.id, error: err.message }));
    broker.on('connectionError', (_client, err) => log.debug('connection error', { error: err.message }));
    // aedes's typings omit 'error' (persistence failures); unhandled it would end the process.
    broker.addListener('error', (err: Error) => log.warn('broker error', { error: err.message }));
    for (const f of this.filters) broker.subscribe(f, this.deliver, noop);
    const server = createServer((socket) => {
      // Results and deltas are small packets: no Nagle wait for the client's delayed ACK (core/net/no-delay.ts).
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      broker.handle(socket);
    });
    this.server = server;
    try {
      await listen(server, this.opts.port, this.opts.host);
    } catch (err) {
      await this.stop();
      throw new EventBusError('listen_failed', `eventbus: cannot listen on ${this.opts.host}:${this.opts.port}: ${(err as Error).message}`, { cause: err });
    }
    server.on('error', (err) => log.warn('listener error', { error: err.message }));
    const addr = server.address();
    return typeof addr === 'object' && addr !== null ? addr.port : this.opts.port;
  }

  subscribe(filter: string): void {
    if (this.filters.has(filter)) return;
    this.filters.add(filter);
    this.broker?.subscribe(filter, this.deliver, noop);
  }

  unsubscribe(filter: string): void {
    if (!this.filters.delete(filter)) return;
    this.broker?.unsubscribe(filter, this.deliver, noop);
  }

  /** Publishes to the devices; false when the broker is not running (the caller counts a drop). */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1, retain: boolean): boolean {
    const broker = this.broker;
    if (broker === undefined || broker.closed) return false;
    broker.publish({ cmd: 'publish', topic, payload, qos, retain, dup: false }, noop);
    return true;
  }

  async stop(): Promise<void> {
    const { broker, server } = this;
    this.broker = undefined;
    this.server = undefined;
    if (broker !== undefined) await new Promise<void>((resolve) => broker.close(() => resolve()));
    // Sockets that never finished CONNECT are not aedes clients yet; close them so the server can close.
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * aedes drops a packet for a client when a packet with a higher broker counter reached that client
 * first (its dedupe of overlapping subscriptions). A QoS 1 publish waits on persistence before it is
 * emitted, so a QoS 0 publish made just after it overtakes it and the QoS 1 message is lost
 * (moscajs/aedes#994, #955). We turn the dedupe off per client: with overlapping subscriptions a
 * client may get a copy per matching filter, which MQTT 3.1.1 §3.3.5 allows and mosquitto 2 does too.
 */
function disableDedupe(client: Client, _packet: unknown, done: (err: Error | null, ok: boolean) => void): void {
  (client as unknown as { duplicates: Record<string, number> }).duplicates = new Proxy(Object.create(null) as Record<string, number>, {
    set: () => true,
  });
  done(null, true);
}

function noop(): void {}
