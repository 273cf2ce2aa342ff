import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModbusVisitor } from './config.js';
import { ModbusValueError } from './errors.js';
import { registersToValue, valueToRegisters } from './register-values.js';

const v = (over: Partial<ModbusVisitor> = {}): ModbusVisitor => ({
  register: 'HoldingRegister', offset: 0, limit: 1, scale: 1, isSwap: false, isRegisterSwap: false, signed: false, ...over,
});
const read = (regs: number[], type: string, over: Partial<ModbusVisitor> = {}): string => registersToValue(regs, v({ limit: regs.length, ...over }), type, 'p');
const write = (value: string, type: string, over: Partial<ModbusVisitor> = {}): number[] => valueToRegisters(value, v(over), type, 'p');
const code = (c: string) => (e: unknown) => e instanceof ModbusValueError && e.code === c;

describe('registersToValue', () => {
  it('scales one register; int properties are rounded', () => {
    assert.equal(read([21], 'int'), '21');
    assert.equal(read([215], 'int', { scale: 0.1 }), '22');
    assert.equal(read([215], 'float', { scale: 0.1 }), '21.5');
    assert.equal(read([213], 'double', { scale: 0.1 }), '21.3');
    assert.equal(read([3], 'float', { scale: 0.1 }), '0.3');
  });

  it('reads integers unsigned unless the visitor says signed', () => {
    assert.equal(read([0xfffb], 'int'), '65531');
    assert.equal(read([0xfffb], 'int', { signed: true }), '-5');
    assert.equal(read([0xffff, 0xfffe], 'int', { signed: true }), '-2');
  });

  it('reads 32-bit integers over two registers with the swap options', () => {
    assert.equal(read([0x0001, 0x0002], 'int'), String(0x00010002));
    assert.equal(read([0x0001, 0x0002], 'int', { isRegisterSwap: true }), String(0x00020001));
    assert.equal(read([0x0001, 0x0002], 'int', { isSwap: true }), String(0x01000200));
    assert.equal(read([0x0001, 0x0002], 'int', { isSwap: true, isRegisterSwap: true }), String(0x02000100));
  });

  it('reads float32 over two registers and float64 over four, in every byte order', () => {
    assert.equal(read([0x41ac, 0x0000], 'float'), '21.5');
    assert.equal(read([0x0000, 0x41ac], 'float', { isRegisterSwap: true }), '21.5');
    assert.equal(read([0xac41, 0x0000], 'float', { isSwap: true }), '21.5');
    assert.equal(read([0x0000, 0xac41], 'float', { isSwap: true, isRegisterSwap: true }), '21.5');
    assert.equal(read([0x41aa, 0x6666], 'float'), '21.3');
    assert.equal(read([0x4035, 0x8000, 0, 0], 'double'), '21.5');
    assert.equal(read([0x41ac, 0x0000], 'float', { scale: 2 }), '43');
  });

  it('reads booleans and strings', () => {
    assert.equal(read([0], 'boolean'), 'false');
    assert.equal(read([0x0100], 'boolean'), 'true');
    assert.equal(read([0x6869, 0x2100, 0], 'string'), 'hi!');
  });

  it('refuses types registers cannot hold', () => {
    assert.throws(() => read([1], 'bytes'), code('bad_value'));
    assert.throws(() => read([1, 2, 3, 4, 5], 'int'), code('bad_value'));
  });
});

describe('valueToRegisters', () => {
  it('divides by scale and rounds for int', () => {
    assert.deepEqual(write('21.5', 'int', { scale: 0.1 }), [215]);
    assert.deepEqual(write('20', 'int'), [20]);
    assert.deepEqual(write('-5', 'int'), [0xfffb]);
    assert.deepEqual(write('65535', 'int'), [0xffff]);
  });

  it('writes 32-bit values over two registers with the swap options', () => {
    assert.deepEqual(write('65538', 'int', { limit: 2 }), [0x0001, 0x0002]);
    assert.deepEqual(write('65538', 'int', { limit: 2, isRegisterSwap: true }), [0x0002, 0x0001]);
    assert.deepEqual(write('21.5', 'float', { limit: 2 }), [0x41ac, 0x0000]);
    assert.deepEqual(write('21.5', 'float', { limit: 2, isSwap: true, isRegisterSwap: true }), [0x0000, 0xac41]);
    assert.deepEqual(write('21.5', 'double', { limit: 4 }), [0x4035, 0x8000, 0, 0]);
  });

  it('round-trips through every layout', () => {
    for (const isSwap of [false, true]) {
      for (const isRegisterSwap of [false, true]) {
        for (const [type, limit, value, scale] of [['int', 2, '123456', 1], ['float', 2, '-7.25', 0.5], ['double', 4, '3.141592653589', 1], ['int', 1, '300', 10]] as const) {
          const visitor = { limit, isSwap, isRegisterSwap, scale, signed: true };
          assert.equal(read(write(value, type, visitor), type, visitor), value, `${type} ${isSwap} ${isRegisterSwap}`);
        }
      }
    }
  });

  it('writes booleans and strings', () => {
    assert.deepEqual(write('true', 'boolean'), [1]);
    assert.deepEqual(write('false', 'boolean', { limit: 2 }), [0, 0]);
    assert.deepEqual(write('hi!', 'string', { limit: 3 }), [0x6869, 0x2100, 0]);
  });

  it('refuses values that are not numbers or do not fit', () => {
    assert.throws(() => write('abc', 'int'), code('bad_value'));
    assert.throws(() => write('', 'float'), code('bad_value'));
    assert.throws(() => write('maybe', 'boolean'), code('bad_value'));
    assert.throws(() => write('70000', 'int'), code('out_of_range'));
    assert.throws(() => write('-32769', 'int'), code('out_of_range'));
    assert.throws(() => write('1e40', 'float', { limit: 2 }), code('out_of_range'));
    assert.throws(() => write('abc', 'string', { limit: 1 }), code('out_of_range'));
  });
});
