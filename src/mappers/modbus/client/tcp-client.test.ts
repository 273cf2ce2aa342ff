import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { startModbusSimulator, type ModbusSimulator } from '../../../testing/modbus-simulator.js';
import { ModbusConnectionError, ModbusError, ModbusFrameError, ModbusTimeoutError } from './errors.js';
import { ModbusTcpClient } from './tcp-client.js';

const noBackoff = { initial: 0, max: 0 };

function clientFor(sim: { port: number }, extra: Partial<ConstructorParameters<typeof ModbusTcpClient>[0]> = {}): ModbusTcpClient {
  return new ModbusTcpClient({ host: '127.0.0.1', port: sim.port, timeoutMs: 2000, reconnectDelayMs: noBackoff, ...extra });
}

/** A hand-made server for what the simulator will not do: answer out of order, late, in pieces, or garbage. */
async function rawServer(onFrame: (socket: Socket, frame: Buffer, n: number) => void): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { port: 0, connections: 0, close: async (): Promise<void> => undefined };
  let n = 0;
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 6 && buf.length >= 6 + buf.readUInt16BE(4)) {
        const len = 6 + buf.readUInt16BE(4);
        onFrame(socket, buf.subarray(0, len), n++);
        buf = buf.subarray(len);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.port = (server.address() as { port: number }).port;
  state.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}

/** Answers a read-holding-registers request with one register holding `value`. */
function registerReply(frame: Buffer, value: number): Buffer {
  const out = Buffer.from([0, 0, 0, 0, 0, 5, frame[6] ?? 1, 3, 2, 0, 0]);
  frame.copy(out, 0, 0, 2);
  out.writeUInt16BE(value, 9);
  return out;
}

describe('ModbusTcpClient against the simulator', () => {
  let sim: ModbusSimulator;
  const clients: ModbusTcpClient[] = [];
  const open = (extra = {}): ModbusTcpClient => {
    const c = clientFor(sim, extra);
    clients.push(c);
    return c;
  };
  after(async () => {
    for (const c of clients) await c.close();
    await sim.stop();
  });

  it('reads every table', async () => {
    sim = await startModbusSimulator({ size: 100 });
    sim.coils[3] = true;
    sim.discrete[4] = true;
    sim.holding.splice(10, 3, 1, 2, 65535);
    sim.input[20] = 4242;
    const c = open();
    assert.deepEqual(await c.readCoils(2, 3), [false, true, false]);
    assert.deepEqual(await c.readDiscreteInputs(4, 2), [true, false]);
    assert.deepEqual(await c.readHoldingRegisters(10, 3), [1, 2, 65535]);
    assert.deepEqual(await c.readInputRegisters(20, 1), [4242]);
  });

  it('writes coils and holding registers with FC 5, 6, 15 and 16', async () => {
    const c = open({ unitId: 7 });
    await c.writeSingleCoil(1, true);
    await c.writeSingleRegister(5, 513);
    await c.writeMultipleCoils(10, [true, false, true]);
    await c.writeMultipleRegisters(30, [1, 2, 3]);
    assert.equal(sim.coils[1], true);
    assert.equal(sim.holding[5], 513);
    assert.deepEqual(sim.coils.slice(10, 13), [true, false, true]);
    assert.deepEqual(sim.holding.slice(30, 33), [1, 2, 3]);
    assert.deepEqual(sim.writes.map((w) => [w.unitId, w.functionCode, w.address]), [[7, 5, 1], [7, 6, 5], [7, 15, 10], [7, 16, 30]]);
  });

  it('reports exception responses as ModbusError and keeps the connection', async () => {
    const c = open();
    await assert.rejects(c.readHoldingRegisters(99, 2), (err: unknown) => err instanceof ModbusError && err.exceptionCode === 2);
    assert.equal(c.connectionState, 'connected');
    assert.deepEqual(await c.readHoldingRegisters(99, 1), [0]);
  });

  it('pipelines requests on one connection', async () => {
    sim.holding.forEach((_, i) => (sim.holding[i] = i * 3));
    const c = open();
    const reads = await Promise.all(Array.from({ length: 40 }, (_, i) => c.readHoldingRegisters(i, 1)));
    assert.deepEqual(reads.map((r) => r[0]), Array.from({ length: 40 }, (_, i) => i * 3));
  });

  it('times out when the server does not answer, then works again', async () => {
    const c = open({ timeoutMs: 100 });
    sim.silent = true;
    await assert.rejects(c.readCoils(0, 1), ModbusTimeoutError);
    sim.silent = false;
    assert.deepEqual(await c.readCoils(1, 1), [true]);
  });

  it('reconnects after the simulator restarts', async () => {
    const c = open();
    sim.holding[0] = 11;
    assert.deepEqual(await c.readHoldingRegisters(0, 1), [11]);
    const port = sim.port;
    await sim.stop();
    await assert.rejects(c.readHoldingRegisters(0, 1), ModbusConnectionError);
    sim = await startModbusSimulator({ port, size: 100 });
    sim.holding[0] = 22;
    assert.deepEqual(await c.readHoldingRegisters(0, 1), [22]);
  });

  it('fails pending and later requests once closed', async () => {
    const c = clientFor(sim);
    const pending = c.readCoils(0, 1);
    await c.close();
    await assert.rejects(pending, ModbusConnectionError);
    await assert.rejects(c.readCoils(0, 1), /client closed/);
  });
});

describe('ModbusTcpClient on a misbehaving server', () => {
  it('matches responses by transaction id when they come back out of order', async () => {
    const held: Array<[Socket, Buffer]> = [];
    const srv = await rawServer((socket, frame) => {
      held.push([socket, Buffer.from(frame)]);
      if (held.length === 3) for (const [s, f] of held.reverse()) s.write(registerReply(f, f.readUInt16BE(8) + 100));
    });
    const c = clientFor(srv);
    assert.deepEqual(await Promise.all([c.readHoldingRegisters(1, 1), c.readHoldingRegisters(2, 1), c.readHoldingRegisters(3, 1)]), [[101], [102], [103]]);
    await c.close();
    await srv.close();
  });

  it('ignores a late answer to a request that timed out', async () => {
    let first: Buffer | undefined;
    const srv = await rawServer((socket, frame, n) => {
      if (n === 0) first = Buffer.from(frame);
      else socket.write(Buffer.concat([registerReply(first ?? frame, 1), registerReply(frame, 2)]));
    });
    const c = clientFor(srv, { timeoutMs: 100 });
    await assert.rejects(c.readHoldingRegisters(0, 1), ModbusTimeoutError);
    assert.deepEqual(await c.readHoldingRegisters(0, 1), [2]);
    await c.close();
    await srv.close();
  });

  it('assembles a response sent one byte at a time', async () => {
    const srv = await rawServer((socket, frame) => {
      const reply = registerReply(frame, 0xbeef);
      reply.forEach((b, i) => setTimeout(() => socket.write(Buffer.from([b])), i * 2));
    });
    const c = clientFor(srv);
    assert.deepEqual(await c.readHoldingRegisters(0, 1), [0xbeef]);
    await c.close();
    await srv.close();
  });

  it('drops the connection on garbage and reconnects for the next request', async () => {
    const srv = await rawServer((socket, frame, n) => {
      if (n === 0) socket.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'));
      else socket.write(registerReply(frame, 5));
    });
    const c = clientFor(srv);
    await assert.rejects(c.readHoldingRegisters(0, 1), ModbusFrameError);
    assert.deepEqual(await c.readHoldingRegisters(0, 1), [5]);
    assert.equal(srv.connections, 2);
    await c.close();
    await srv.close();
  });

  it('drops the connection on a well-framed but wrong response', async () => {
    const srv = await rawServer((socket, frame, n) => {
      const reply = registerReply(frame, 9);
      if (n === 0) reply[8] = 4; // byte count 4 for one register
      socket.write(reply);
    });
    const c = clientFor(srv);
    await assert.rejects(c.readHoldingRegisters(0, 1), ModbusFrameError);
    assert.deepEqual(await c.readHoldingRegisters(0, 1), [9]);
    assert.equal(srv.connections, 2);
    await c.close();
    await srv.close();
  });

  it('fails in-flight requests when the server hangs up', async () => {
    const srv = await rawServer((socket) => socket.destroy());
    const c = clientFor(srv);
    await assert.rejects(c.readHoldingRegisters(0, 1), ModbusConnectionError);
    await c.close();
    await srv.close();
  });

  it('backs off after a failed connect, then connects once the device is up', async () => {
    const probe = await startModbusSimulator();
    const port = probe.port;
    await probe.stop();
    let t = 1_000_000;
    const c = new ModbusTcpClient({ host: '127.0.0.1', port, timeoutMs: 1000, reconnectDelayMs: { initial: 1000, max: 4000 }, now: () => t, random: () => 1 });
    await assert.rejects(c.readCoils(0, 1), /connect failed/);
    const sim = await startModbusSimulator({ port });
    await assert.rejects(c.readCoils(0, 1), /waiting to reconnect/);
    assert.equal(sim.requests.count, 0);
    t += 1000;
    assert.deepEqual(await c.readCoils(0, 1), [false]);
    await c.close();
    await sim.stop();
  });
});
