import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEndpoint, parseVisitor } from './config.js';
import { ModbusConfigError } from './errors.js';

describe('parseEndpoint', () => {
  it('reads the v1beta1 shape, with port 502 and slave 1 by default', () => {
    assert.deepEqual(parseEndpoint({ ip: '172.17.0.3', port: 1502, slaveID: 3 }), { host: '172.17.0.3', port: 1502, unitId: 3 });
    assert.deepEqual(parseEndpoint({ ip: '10.0.0.1' }), { host: '10.0.0.1', port: 502, unitId: 1 });
  });

  it('reads v1alpha2 nesting and string numbers', () => {
    assert.deepEqual(parseEndpoint({ slaveID: '2', tcp: { ip: '10.0.0.2', port: '5020' } }), { host: '10.0.0.2', port: 5020, unitId: 2 });
  });

  it('refuses a missing ip (serial devices) and bad numbers', () => {
    assert.throws(() => parseEndpoint({ serialPort: '/dev/ttyS0', baudRate: '9600' }), (e: unknown) => e instanceof ModbusConfigError && e.field === 'ip');
    assert.throws(() => parseEndpoint({ ip: 'h', port: 70000 }), (e: unknown) => e instanceof ModbusConfigError && e.field === 'port');
    assert.throws(() => parseEndpoint({ ip: 'h', slaveID: 300 }), (e: unknown) => e instanceof ModbusConfigError && e.field === 'slaveID');
    assert.throws(() => parseEndpoint({ ip: 'h', port: 'abc' }), ModbusConfigError);
  });
});

describe('parseVisitor', () => {
  it('reads the documented visitor with defaults', () => {
    assert.deepEqual(parseVisitor({ register: 'HoldingRegister', offset: 2 }), {
      register: 'HoldingRegister', offset: 2, limit: 1, scale: 1, isSwap: false, isRegisterSwap: false, signed: false,
    });
  });

  it("reads KubeEdge's e2e spelling: capitalised keys and string values", () => {
    const v = parseVisitor({ Register: 'CoilRegister', Offset: '2', Limit: '1', Scale: '1', IsSwap: 'true', IsRegisterSwap: 'true' });
    assert.deepEqual(v, { register: 'CoilRegister', offset: 2, limit: 1, scale: 1, isSwap: true, isRegisterSwap: true, signed: false });
  });

  it('refuses what cannot be read', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ offset: 1 }, 'register'],
      [{ register: 'Holding', offset: 1 }, 'register'],
      [{ register: 'InputRegister' }, 'offset'],
      [{ register: 'InputRegister', offset: -1 }, 'offset'],
      [{ register: 'InputRegister', offset: 0, limit: 126 }, 'limit'],
      [{ register: 'InputRegister', offset: 65535, limit: 2 }, 'limit'],
      [{ register: 'InputRegister', offset: 0, scale: 0 }, 'scale'],
      [{ register: 'InputRegister', offset: 0, isSwap: 'yes' }, 'isSwap'],
    ];
    for (const [data, field] of cases) {
      assert.throws(() => parseVisitor(data), (e: unknown) => e instanceof ModbusConfigError && e.field === field, JSON.stringify(data));
    }
  });
});
