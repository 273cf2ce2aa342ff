import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceIndex, deviceEntry } from './device-index.js';
import { KeyedQueue } from './keyed-queue.js';

const entry = (name: string, node: string, model: string, namespace = 'default') => ({ namespace, name, uid: `u-${name}`, node, model });

describe('DeviceIndex', () => {
  test('counts devices per node and model: first in needs the model, last out releases it', () => {
    const ix = new DeviceIndex();
    assert.equal(ix.add(entry('a', 'n1', 'm')), true);
    assert.equal(ix.add(entry('b', 'n1', 'm')), false);
    assert.equal(ix.add(entry('c', 'n2', 'm')), true);
    assert.equal(ix.add(entry('d', 'n1', 'm', 'other')), true); // models are namespaced
    assert.deepEqual(ix.nodesWithModel('default', 'm').sort(), ['n1', 'n2']);
    assert.equal(ix.remove('default', 'a')?.lastOfModel, false);
    assert.equal(ix.remove('default', 'b')?.lastOfModel, true);
    assert.equal(ix.hasModelOnNode('n1', 'default', 'm'), false);
    assert.equal(ix.remove('default', 'b'), undefined);
    assert.deepEqual(ix.devicesOnNode('n2').map((e) => e.name), ['c']);
  });

  test('re-adding a device moves it; unbound devices count for nothing', () => {
    const ix = new DeviceIndex();
    ix.add(entry('a', 'n1', 'm'));
    assert.equal(ix.add(entry('a', 'n2', 'm')), true);
    assert.deepEqual(ix.nodesWithModel('default', 'm'), ['n2']);
    assert.equal(ix.add(entry('z', '', 'm')), false);
    assert.deepEqual(ix.devicesOnNode(''), []);
    assert.equal(ix.size, 2);
  });

  test('deviceEntry reads spec.nodeName and deviceModelRef', () => {
    assert.deepEqual(deviceEntry({ metadata: { name: 'a', namespace: 'x', uid: 'u' }, spec: { nodeName: 'n', deviceModelRef: { name: 'm' } } }),
      { namespace: 'x', name: 'a', uid: 'u', node: 'n', model: 'm' });
    assert.deepEqual(deviceEntry({ metadata: { name: 'a' } }), { namespace: 'default', name: 'a', uid: '', node: '', model: '' });
  });
});

describe('KeyedQueue', () => {
  test('tasks of one key run one after another, even after a failure; keys are forgotten when idle', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const step = (s: string, fail = false) => async () => {
      log.push(`start ${s}`);
      await new Promise((r) => setImmediate(r));
      log.push(`end ${s}`);
      if (fail) throw new Error(s);
    };
    const results = await Promise.allSettled([q.run('k', step('1', true)), q.run('k', step('2')), q.run('j', step('x'))]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled']);
    assert.deepEqual(log.filter((l) => !l.endsWith('x')), ['start 1', 'end 1', 'start 2', 'end 2']);
    await new Promise((r) => setImmediate(r));
    assert.equal(q.size, 0);
  });
});
