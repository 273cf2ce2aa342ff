import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AduReader } from './adu-reader.js';
import { ModbusError, ModbusFrameError, ModbusRequestError } from './errors.js';
import { decodeResponse, encodeRequest, packBits, unpackBits } from './frame-codec.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('encodeRequest', () => {
  it('reads holding registers (the specification example: 3 registers from 0x6B, unit 17)', () => {
    assert.deepEqual(encodeRequest(1, 17, { functionCode: 3, address: 0x6b, quantity: 3 }), hex('0001 0000 0006 11 03 006B 0003'));
  });

  it('reads coils, discrete inputs and input registers', () => {
    assert.deepEqual(encodeRequest(0x1234, 1, { functionCode: 1, address: 0x13, quantity: 0x13 }), hex('1234 0000 0006 01 01 0013 0013'));
    assert.deepEqual(encodeRequest(2, 1, { functionCode: 2, address: 0xc4, quantity: 0x16 }), hex('0002 0000 0006 01 02 00C4 0016'));
    assert.deepEqual(encodeRequest(3, 1, { functionCode: 4, address: 8, quantity: 1 }), hex('0003 0000 0006 01 04 0008 0001'));
  });

  it('writes a single coil as FF00 (on) or 0000 (off)', () => {
    assert.deepEqual(encodeRequest(7, 1, { functionCode: 5, address: 0xac, value: true }), hex('0007 0000 0006 01 05 00AC FF00'));
    assert.deepEqual(encodeRequest(7, 1, { functionCode: 5, address: 0xac, value: false }), hex('0007 0000 0006 01 05 00AC 0000'));
  });

  it('writes a single register', () => {
    assert.deepEqual(encodeRequest(9, 255, { functionCode: 6, address: 1, value: 0xfffe }), hex('0009 0000 0006 FF 06 0001 FFFE'));
  });

  it('writes multiple coils packed first-bit-lowest (the specification example: 10 coils CD 01)', () => {
    const values = [true, false, true, true, false, false, true, true, true, false];
    assert.deepEqual(encodeRequest(1, 1, { functionCode: 15, address: 0x13, values }), hex('0001 0000 0009 01 0F 0013 000A 02 CD01'));
  });

  it('writes multiple registers', () => {
    assert.deepEqual(
      encodeRequest(1, 1, { functionCode: 16, address: 1, values: [0x000a, 0x0102] }),
      hex('0001 0000 000B 01 10 0001 0002 04 000A 0102'),
    );
  });

  it('refuses requests the protocol cannot carry', () => {
    const bad = [
      () => encodeRequest(1, 1, { functionCode: 3, address: 0, quantity: 0 }),
      () => encodeRequest(1, 1, { functionCode: 3, address: 0, quantity: 126 }),
      () => encodeRequest(1, 1, { functionCode: 1, address: 0, quantity: 2001 }),
      () => encodeRequest(1, 1, { functionCode: 3, address: 65535, quantity: 2 }),
      () => encodeRequest(1, 1, { functionCode: 6, address: 0, value: 70000 }),
      () => encodeRequest(1, 1, { functionCode: 6, address: -1, value: 1 }),
      () => encodeRequest(1, 1, { functionCode: 16, address: 0, values: [] }),
      () => encodeRequest(1, 1, { functionCode: 16, address: 0, values: [1.5] }),
      () => encodeRequest(1, 256, { functionCode: 3, address: 0, quantity: 1 }),
      () => encodeRequest(70000, 1, { functionCode: 3, address: 0, quantity: 1 }),
    ];
    for (const f of bad) assert.throws(f, ModbusRequestError);
  });
});

describe('decodeResponse', () => {
  it('decodes registers (the specification example: 555, 0, 100)', () => {
    const r = decodeResponse({ functionCode: 3, address: 0x6b, quantity: 3 }, hex('03 06 022B 0000 0064'));
    assert.deepEqual(r, { kind: 'registers', values: [555, 0, 100] });
  });

  it('decodes coils, keeping only the quantity asked for', () => {
    const r = decodeResponse({ functionCode: 1, address: 0x13, quantity: 19 }, hex('01 03 CD 6B 05'));
    assert.equal(r.kind, 'bits');
    assert.deepEqual(r.kind === 'bits' ? r.values.map(Number).join('') : '', '1011001111010110101');
  });

  it('checks the echo of writes', () => {
    assert.deepEqual(decodeResponse({ functionCode: 5, address: 0xac, value: true }, hex('05 00AC FF00')), { kind: 'written', address: 0xac, quantity: 1 });
    assert.deepEqual(decodeResponse({ functionCode: 16, address: 1, values: [1, 2] }, hex('10 0001 0002')), { kind: 'written', address: 1, quantity: 2 });
    assert.throws(() => decodeResponse({ functionCode: 6, address: 1, value: 3 }, hex('06 0001 0004')), ModbusFrameError);
    assert.throws(() => decodeResponse({ functionCode: 15, address: 1, values: [true] }, hex('0F 0001 0002')), ModbusFrameError);
  });

  it('turns an exception response into ModbusError with its code', () => {
    assert.throws(
      () => decodeResponse({ functionCode: 3, address: 0, quantity: 1 }, hex('83 02')),
      (err: unknown) => err instanceof ModbusError && err.exceptionCode === 2 && err.functionCode === 3 && /illegal data address/.test(err.message),
    );
  });

  it('refuses malformed or mismatched PDUs', () => {
    const req = { functionCode: 3, address: 0, quantity: 2 } as const;
    for (const pdu of ['', '03', '03 04 0001', '03 02 0001', '04 04 0001 0002', '83', '83 02 00', '03 04 0001 0002 00']) {
      assert.throws(() => decodeResponse(req, hex(pdu)), ModbusFrameError, pdu);
    }
  });
});

describe('AduReader', () => {
  const frameA = hex('0001 0000 0005 01 03 02 0007');
  const frameB = hex('0002 0000 0003 01 83 02');

  it('splits frames that arrive together', () => {
    const adus = new AduReader().push(Buffer.concat([frameA, frameB]));
    assert.deepEqual(adus.map((a) => [a.transactionId, a.unitId, a.pdu.toString('hex')]), [[1, 1, '03020007'], [2, 1, '8302']]);
  });

  it('assembles a frame that arrives one byte at a time', () => {
    const reader = new AduReader();
    const bytes = Buffer.concat([frameA, frameB]);
    const out = [];
    for (const b of bytes) out.push(...reader.push(Buffer.from([b])));
    assert.deepEqual(out.map((a) => a.transactionId), [1, 2]);
    assert.equal(reader.pendingBytes, 0);
  });

  it('refuses a header that is not Modbus TCP', () => {
    assert.throws(() => new AduReader().push(hex('0001 1234 0005 01 03 02 0007')), ModbusFrameError);
    assert.throws(() => new AduReader().push(hex('0001 0000 0001 01')), ModbusFrameError);
    assert.throws(() => new AduReader().push(hex('0001 0000 0100')), ModbusFrameError);
    assert.throws(() => new AduReader().push(Buffer.from('GET / HTTP/1.1\r\n')), ModbusFrameError);
  });
});

describe('bit packing', () => {
  it('round-trips any length', () => {
    for (const n of [1, 7, 8, 9, 17]) {
      const values = Array.from({ length: n }, (_, i) => i % 3 === 0);
      assert.deepEqual(unpackBits(packBits(values), n), values);
    }
  });
});
