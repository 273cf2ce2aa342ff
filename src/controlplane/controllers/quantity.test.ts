import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isQuantity, milliValue, QuantityError, quantityValue } from './quantity.js';

describe('quantity', () => {
  test('CPU in millicores', () => {
    assert.equal(milliValue('100m'), 100);
    assert.equal(milliValue('1'), 1000);
    assert.equal(milliValue('0.1'), 100);
    assert.equal(milliValue('1.5'), 1500);
    assert.equal(milliValue(2), 2000);
    assert.equal(milliValue('.5'), 500);
  });

  test('sub-milli values round up like MilliValue', () => {
    assert.equal(milliValue('1u'), 1);
    assert.equal(milliValue('100n'), 1);
    assert.equal(milliValue('0.0001'), 1);
  });

  test('memory in bytes with binary and decimal suffixes', () => {
    assert.equal(quantityValue('1Ki'), 1024);
    assert.equal(quantityValue('128Mi'), 128 * 1024 * 1024);
    assert.equal(quantityValue('2Gi'), 2 * 1024 ** 3);
    assert.equal(quantityValue('1k'), 1000);
    assert.equal(quantityValue('1M'), 1_000_000);
    assert.equal(quantityValue('1G'), 1_000_000_000);
    assert.equal(quantityValue('1.5Gi'), 1.5 * 1024 ** 3);
    assert.equal(quantityValue('500m'), 1);
    assert.equal(quantityValue('12e6'), 12_000_000);
    assert.equal(quantityValue('1E3'), 1000);
    assert.equal(quantityValue('110'), 110);
  });

  test('signs', () => {
    assert.equal(quantityValue('-1Ki'), -1024);
    assert.equal(milliValue('+2'), 2000);
  });

  test('rejects malformed input', () => {
    assert.throws(() => milliValue('abc'), QuantityError);
    assert.throws(() => quantityValue('1Qi'), QuantityError);
    assert.throws(() => quantityValue(''), QuantityError);
    assert.throws(() => quantityValue('1 Gi'), QuantityError);
    assert.equal(isQuantity('1Gi'), true);
    assert.equal(isQuantity('Gi'), false);
    assert.equal(isQuantity({}), false);
  });
});
