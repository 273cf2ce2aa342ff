import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTestLogger, createSilentLogger, LifecycleWords, REDACTED_CENSOR } from './index.js';

describe('logger', () => {
  test('writes JSON lines with level, msg, component and fields', () => {
    const log = createTestLogger({ component: 'edgecore' });
    log.info(LifecycleWords.ready, { port: 10000 });
    const [line] = log.lines;
    assert.ok(line);
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'ready');
    assert.equal(line.component, 'edgecore');
    assert.equal(line['port'], 10000);
  });

  test('child loggers join component names and share the line list', () => {
    const log = createTestLogger({ component: 'edgecore' });
    const keepalive = log.child('edgehub').child('keepalive');
    keepalive.warn('missed pong');
    assert.deepEqual(log.find('missed pong').map((l) => l.component), ['edgecore.edgehub.keepalive']);
  });

  test('level filters lower lines', () => {
    const log = createTestLogger({ level: 'warn' });
    log.debug('a');
    log.info('b');
    log.error('c');
    assert.deepEqual(log.lines.map((l) => l.msg), ['c']);
  });

  test('secrets are redacted at the top level and one level down', () => {
    const log = createTestLogger();
    log.info('join', {
      token: 'abc.def',
      password: 'hunter2',
      privateKey: '-----BEGIN PRIVATE KEY-----',
      headers: { authorization: 'Bearer xyz', accept: 'json' },
      node: 'edge-1',
    });
    const line = log.find('join')[0];
    assert.ok(line);
    assert.equal(line['token'], REDACTED_CENSOR);
    assert.equal(line['password'], REDACTED_CENSOR);
    assert.equal(line['privateKey'], REDACTED_CENSOR);
    assert.deepEqual(line['headers'], { authorization: REDACTED_CENSOR, accept: 'json' });
    assert.equal(line['node'], 'edge-1');
    assert.ok(!JSON.stringify(log.lines).includes('hunter2'));
  });

  test('silent logger accepts calls and children', () => {
    const log = createSilentLogger();
    log.child('x').error('nothing', { token: 't' });
    assert.equal(typeof log.child('y').info, 'function');
  });
});
