// A Modbus TCP server over in-memory tables, for unit and e2e tests (started in the test process).
// Function codes 1-6, 15 and 16; exception 1 (illegal function), 2 (illegal data address) and
// 3 (illegal data value, bad quantity). Its frame parsing is written apart from the client's codec on
// purpose, so a bug shared by both cannot pass the tests unseen.
import { createServer, type Server, type Socket } from 'node:net';

export interface ModbusSimulatorOptions {
  /** Default 0 (a free port). Pass a previous simulator's port to "restart" the device. */
  port?: number;
  host?: string;
  /** Entries in each table; default 1000. */
  size?: number;
}

export interface SimulatorWrite {
  unitId: number;
  functionCode: 5 | 6 | 15 | 16;
  address: number;
  values: Array<number | boolean>;
}

export interface ModbusSimulator {
  readonly port: number;
  readonly host: string;
  /** Tables a test reads and sets directly (indexes are Modbus addresses). */
  readonly coils: boolean[];
  readonly discrete: boolean[];
  readonly holding: number[];
  readonly input: number[];
  /** Every write request served, in order. */
  readonly writes: SimulatorWrite[];
  /** Requests received (answered or not). */
  readonly requests: { count: number };
  /** When true the server reads requests and never answers (for timeout tests). */
  silent: boolean;
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

const EXC_ILLEGAL_FUNCTION = 1;
const EXC_ILLEGAL_ADDRESS = 2;
const EXC_ILLEGAL_VALUE = 3;

class Exception extends Error {
  constructor(readonly code: number) {
    super(`modbus exception ${code}`);
  }
}

export async function startModbusSimulator(opts: ModbusSimulatorOptions = {}): Promise<ModbusSimulator> {
  const size = opts.size ?? 1000;
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const sim = {
    port: 0,
    host,
    coils: new Array<boolean>(size).fill(false),
    discrete: new Array<boolean>(size).fill(false),
    holding: new Array<number>(size).fill(0),
    input: new Array<number>(size).fill(0),
    writes: [] as SimulatorWrite[],
    requests: { count: 0 },
    silent: false,
    stop: async (): Promise<void> => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serveConnection(socket, sim);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  sim.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return sim;
}

function serveConnection(socket: Socket, sim: ModbusSimulator): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 7) {
      const length = buf.readUInt16BE(4);
      if (buf.readUInt16BE(2) !== 0 || length < 2 || length > 254) {
        socket.destroy();
        return;
      }
      if (buf.length < 6 + length) return;
      const frame = buf.subarray(0, 6 + length);
      buf = buf.subarray(6 + length);
      sim.requests.count++;
      if (sim.silent) continue;
      const pdu = answer(sim, frame.readUInt8(6), frame.subarray(7));
      const head = Buffer.alloc(7);
      frame.copy(head, 0, 0, 4);
      head.writeUInt16BE(pdu.length + 1, 4);
      head.writeUInt8(frame.readUInt8(6), 6);
      socket.write(Buffer.concat([head, pdu]));
    }
  });
}

function answer(sim: ModbusSimulator, unitId: number, pdu: Buffer): Buffer {
  const fc = pdu.readUInt8(0);
  try {
    return handle(sim, unitId, fc, pdu);
  } catch (err) {
    // Anything unforeseen is the device's own failure (exception 4), never a crash of the test process.
    return Buffer.from([fc | 0x80, err instanceof Exception ? err.code : 4]);
  }
}

function handle(sim: ModbusSimulator, unitId: number, fc: number, pdu: Buffer): Buffer {
  if (![1, 2, 3, 4, 5, 6, 15, 16].includes(fc)) throw new Exception(EXC_ILLEGAL_FUNCTION);
  if (pdu.length < 5) throw new Exception(EXC_ILLEGAL_VALUE);
  const address = pdu.readUInt16BE(1);
  const second = pdu.readUInt16BE(3);
  switch (fc) {
    case 1: case 2: {
      checkRange(fc === 1 ? sim.coils : sim.discrete, address, second, 2000);
      const table = fc === 1 ? sim.coils : sim.discrete;
      const bytes = Buffer.alloc(Math.ceil(second / 8));
      for (let i = 0; i < second; i++) if (table[address + i] === true) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7));
      return Buffer.concat([Buffer.from([fc, bytes.length]), bytes]);
    }
    case 3: case 4: {
      const table = fc === 3 ? sim.holding : sim.input;
      checkRange(table, address, second, 125);
      const data = Buffer.alloc(second * 2);
      for (let i = 0; i < second; i++) data.writeUInt16BE((table[address + i] ?? 0) & 0xffff, i * 2);
      return Buffer.concat([Buffer.from([fc, data.length]), data]);
    }
    case 5: {
      if (second !== 0xff00 && second !== 0) throw new Exception(EXC_ILLEGAL_VALUE);
      checkRange(sim.coils, address, 1, 1);
      sim.coils[address] = second === 0xff00;
      sim.writes.push({ unitId, functionCode: 5, address, values: [second === 0xff00] });
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 6:
      checkRange(sim.holding, address, 1, 1);
      sim.holding[address] = second;
      sim.writes.push({ unitId, functionCode: 6, address, values: [second] });
      return Buffer.from(pdu.subarray(0, 5));
    default:
      return writeMultiple(sim, unitId, fc === 15 ? 15 : 16, pdu, address, second);
  }
}

function writeMultiple(sim: ModbusSimulator, unitId: number, fc: 15 | 16, pdu: Buffer, address: number, quantity: number): Buffer {
  if (pdu.length < 6) throw new Exception(EXC_ILLEGAL_VALUE);
  const byteCount = pdu.readUInt8(5);
  const expected = fc === 15 ? Math.ceil(quantity / 8) : quantity * 2;
  if (byteCount !== expected || pdu.length !== 6 + byteCount) throw new Exception(EXC_ILLEGAL_VALUE);
  const data = pdu.subarray(6);
  if (fc === 15) {
    checkRange(sim.coils, address, quantity, 1968);
    const values = Array.from({ length: quantity }, (_, i) => (((data[i >> 3] ?? 0) >> (i & 7)) & 1) === 1);
    values.forEach((v, i) => (sim.coils[address + i] = v));
    sim.writes.push({ unitId, functionCode: 15, address, values });
  } else {
    checkRange(sim.holding, address, quantity, 123);
    const values = Array.from({ length: quantity }, (_, i) => data.readUInt16BE(i * 2));
    values.forEach((v, i) => (sim.holding[address + i] = v));
    sim.writes.push({ unitId, functionCode: 16, address, values });
  }
  return Buffer.from(pdu.subarray(0, 5));
}

function checkRange(table: readonly unknown[], address: number, quantity: number, max: number): void {
  if (quantity < 1 || quantity > max) throw new Exception(EXC_ILLEGAL_VALUE);
  if (address + quantity > table.length) throw new Exception(EXC_ILLEGAL_ADDRESS);
}
