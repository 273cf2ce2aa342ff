// The simulator checked with raw bytes, independently of our client's codec.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startModbusSimulator, type ModbusSimulator } from './modbus-simulator.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Sends one frame and resolves with the next `expect` bytes, or with null when the server hangs up. */
async function exchange(sock: Socket, frame: Buffer, expect: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const onData = (c: Buffer): void => {
      got = Buffer.concat([got, c]);
      if (got.length >= expect) done(got);
    };
    const onClose = (): void => done(null);
    const done = (v: Buffer | null): void => {
      sock.off('data', onData);
      sock.off('close', onClose);
      resolve(v);
    };
    sock.on('data', onData);
    sock.on('close', onClose);
    sock.write(frame);
  });
}

describe('modbus simulator', () => {
  let sim: ModbusSimulator;
  let sock: Socket;
  before(async () => {
    sim = await startModbusSimulator({ size: 16 });
    sock = connect(sim.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
  });
  after(async () => {
    sock.destroy();
    await sim.stop();
  });

  it('serves reads of every table with the request header echoed', async () => {
    sim.holding[2] = 0x1234;
    sim.input[0] = 7;
    sim.coils[1] = true;
    sim.discrete[9] = true;
    assert.deepEqual(await exchange(sock, hex('ABCD 0000 0006 05 03 0002 0001'), 11), hex('ABCD 0000 0005 05 03 02 1234'));
    assert.deepEqual(await exchange(sock, hex('0001 0000 0006 01 04 0000 0001'), 11), hex('0001 0000 0005 01 04 02 0007'));
    assert.deepEqual(await exchange(sock, hex('0002 0000 0006 01 01 0000 0003'), 10), hex('0002 0000 0004 01 01 01 02'));
    assert.deepEqual(await exchange(sock, hex('0003 0000 0006 01 02 0008 0002'), 10), hex('0003 0000 0004 01 02 01 02'));
  });

  it('serves writes, logs them, and echoes them', async () => {
    assert.deepEqual(await exchange(sock, hex('0004 0000 0006 01 05 0003 FF00'), 12), hex('0004 0000 0006 01 05 0003 FF00'));
    assert.deepEqual(await exchange(sock, hex('0005 0000 0006 01 06 0004 00FF'), 12), hex('0005 0000 0006 01 06 0004 00FF'));
    assert.deepEqual(await exchange(sock, hex('0006 0000 0008 01 0F 0008 0003 01 05'), 12), hex('0006 0000 0006 01 0F 0008 0003'));
    assert.deepEqual(await exchange(sock, hex('0007 0000 000B 01 10 000A 0002 04 0001 0002'), 12), hex('0007 0000 0006 01 10 000A 0002'));
    assert.equal(sim.coils[3], true);
    assert.equal(sim.holding[4], 255);
    assert.deepEqual(sim.coils.slice(8, 11), [true, false, true]);
    assert.deepEqual(sim.holding.slice(10, 12), [1, 2]);
    assert.deepEqual(sim.writes.map((w) => w.functionCode), [5, 6, 15, 16]);
  });

  it('answers exception 1 for an unknown function and 2 for an address past the table', async () => {
    assert.deepEqual(await exchange(sock, hex('0008 0000 0002 01 2B'), 9), hex('0008 0000 0003 01 AB 01'));
    assert.deepEqual(await exchange(sock, hex('0009 0000 0006 01 03 000F 0002'), 9), hex('0009 0000 0003 01 83 02'));
    assert.deepEqual(await exchange(sock, hex('000A 0000 0006 01 06 0010 0001'), 9), hex('000A 0000 0003 01 86 02'));
    assert.deepEqual(await exchange(sock, hex('000B 0000 0006 01 03 0000 0000'), 9), hex('000B 0000 0003 01 83 03'));
  });

  it('hangs up on a header that is not Modbus TCP', async () => {
    const other = connect(sim.port, '127.0.0.1');
    await new Promise((r) => other.once('connect', r));
    assert.equal(await exchange(other, Buffer.from('GET / HTTP/1.1\r\n\r\n'), 1), null);
    other.destroy();
  });
});
