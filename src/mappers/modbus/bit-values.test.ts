import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bitsToValue, valueToBits } from './bit-values.js';
import type { ModbusVisitor } from './config.js';
import { ModbusValueError } from './errors.js';

const v = (over: Partial<ModbusVisitor> = {}): ModbusVisitor => ({
  register: 'CoilRegister', offset: 0, limit: 1, scale: 1, isSwap: false, isRegisterSwap: false, signed: false, ...over,
});
const code = (c: string) => (e: unknown) => e instanceof ModbusValueError && e.code === c;

describe('bitsToValue', () => {
  it('reports one coil as true/false, or 0/1 × scale for numbers', () => {
    assert.equal(bitsToValue([true], v(), 'boolean', 'p'), 'true');
    assert.equal(bitsToValue([false], v(), 'string', 'p'), 'false');
    assert.equal(bitsToValue([true], v(), 'int', 'p'), '1');
    assert.equal(bitsToValue([true], v({ scale: 0.5 }), 'float', 'p'), '0.5');
  });

  it('reads several coils as an integer, first coil lowest', () => {
    assert.equal(bitsToValue([true, false, true, false], v({ limit: 4 }), 'int', 'p'), '5');
    assert.equal(bitsToValue([false, false], v({ limit: 2 }), 'boolean', 'p'), 'false');
  });
});

describe('valueToBits', () => {
  it('writes booleans and 0/1', () => {
    assert.deepEqual(valueToBits('true', v(), 'boolean', 'p'), [true]);
    assert.deepEqual(valueToBits('FALSE', v(), 'boolean', 'p'), [false]);
    assert.deepEqual(valueToBits('1', v(), 'int', 'p'), [true]);
    assert.deepEqual(valueToBits('0', v(), 'double', 'p'), [false]);
  });

  it('writes an integer over several coils', () => {
    assert.deepEqual(valueToBits('5', v({ limit: 4 }), 'int', 'p'), [true, false, true, false]);
  });

  it('refuses what a coil cannot hold', () => {
    assert.throws(() => valueToBits('20', v(), 'int', 'p'), code('out_of_range'));
    assert.throws(() => valueToBits('-1', v({ limit: 4 }), 'int', 'p'), code('out_of_range'));
    assert.throws(() => valueToBits('on', v(), 'boolean', 'p'), code('bad_value'));
    assert.throws(() => valueToBits('1', v(), 'bytes', 'p'), code('bad_value'));
  });
});
