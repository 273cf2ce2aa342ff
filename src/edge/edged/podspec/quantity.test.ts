import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpuMilli, parseMemoryBytes, parseQuantity } from './quantity.js';

test('cpu quantities in millicores round up', () => {
  assert.equal(parseCpuMilli('250m'), 250);
  assert.equal(parseCpuMilli('0.1'), 100);
  assert.equal(parseCpuMilli('1'), 1000);
  assert.equal(parseCpuMilli(2), 2000);
  assert.equal(parseCpuMilli('0.0001'), 1);
  assert.equal(parseCpuMilli('1500u'), 2);
});

test('memory quantities in bytes with binary and decimal suffixes', () => {
  assert.equal(parseMemoryBytes('1Ki'), 1024);
  assert.equal(parseMemoryBytes('128Mi'), 128 * 1024 * 1024);
  assert.equal(parseMemoryBytes('1Gi'), 1024 ** 3);
  assert.equal(parseMemoryBytes('1.5k'), 1500);
  assert.equal(parseMemoryBytes('1M'), 1_000_000);
  assert.equal(parseMemoryBytes('2G'), 2_000_000_000);
  assert.equal(parseMemoryBytes('1e3'), 1000);
  assert.equal(parseMemoryBytes('1500m'), 2);
});

test('parseQuantity gives the base unit; malformed or absent is undefined', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('64Mi'), 64 * 1024 * 1024);
  assert.equal(parseQuantity('abc'), undefined);
  assert.equal(parseQuantity('1Qi'), undefined);
  assert.equal(parseQuantity(undefined), undefined);
  assert.equal(parseQuantity(''), undefined);
});
