import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { ConfigError, loadConfig, mergeConfig } from './index.js';

// A slice of cloudcore.yaml's shape (KubeEdge field names).
const schema = z.object({
  kubeAPIConfig: z.object({ kubeConfig: z.string() }),
  modules: z.object({
    cloudHub: z.object({
      advertiseAddress: z.array(z.string()),
      nodeLimit: z.number().int().positive(),
      websocket: z.object({ port: z.number().int().min(1).max(65535), enable: z.boolean() }),
    }),
  }),
});

const defaults = {
  kubeAPIConfig: { kubeConfig: '' },
  modules: { cloudHub: { advertiseAddress: ['127.0.0.1'], nodeLimit: 1000, websocket: { port: 10000, enable: true } } },
};

describe('loadConfig', () => {
  test('defaults alone validate and come back frozen', () => {
    const cfg = loadConfig(schema, { defaults });
    assert.equal(cfg.modules.cloudHub.websocket.port, 10000);
    assert.ok(Object.isFrozen(cfg.modules.cloudHub.websocket));
    assert.ok(Object.isFrozen(cfg.modules.cloudHub.advertiseAddress));
    assert.throws(() => {
      (cfg.modules.cloudHub.websocket as { port: number }).port = 1;
    }, TypeError);
    assert.equal(defaults.modules.cloudHub.websocket.port, 10000, 'defaults are not frozen or changed');
    assert.ok(!Object.isFrozen(defaults.modules));
  });

  test('file overrides defaults, overrides (flags) override the file', () => {
    const fileText = [
      'modules:',
      '  cloudHub:',
      '    advertiseAddress: [10.0.0.5]',
      '    websocket:',
      '      port: 20000',
    ].join('\n');
    const cfg = loadConfig(schema, {
      defaults,
      fileText,
      fileName: 'cloudcore.yaml',
      overrides: { modules: { cloudHub: { websocket: { port: 30000, enable: undefined } } } },
    });
    assert.equal(cfg.modules.cloudHub.websocket.port, 30000);
    assert.equal(cfg.modules.cloudHub.websocket.enable, true);
    assert.deepEqual(cfg.modules.cloudHub.advertiseAddress, ['10.0.0.5']);
    assert.equal(cfg.modules.cloudHub.nodeLimit, 1000);
  });

  test('empty file is fine', () => {
    assert.equal(loadConfig(schema, { defaults, fileText: '# nothing\n' }).modules.cloudHub.nodeLimit, 1000);
  });

  test('lists every bad field with its path', () => {
    const fileText = 'modules:\n  cloudHub:\n    nodeLimit: -1\n    websocket:\n      port: "ten"\n    advertiseAddress: [1]\n';
    assert.throws(
      () => loadConfig(schema, { defaults, fileText, fileName: 'cloudcore.yaml' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.source, 'cloudcore.yaml');
        assert.deepEqual(
          err.issues.map((i) => i.path).sort(),
          ['modules.cloudHub.advertiseAddress[0]', 'modules.cloudHub.nodeLimit', 'modules.cloudHub.websocket.port'],
        );
        assert.match(err.message, /in cloudcore\.yaml/);
        assert.match(err.message, /modules\.cloudHub\.websocket\.port: /);
        return true;
      },
    );
  });

  test('malformed YAML, duplicate keys and a non-mapping file are ConfigErrors', () => {
    for (const fileText of ['modules: [\n', 'a: 1\na: 2\n', '- just\n- a list\n', 'plain words']) {
      assert.throws(() => loadConfig(schema, { defaults, fileText, fileName: 'x.yaml' }), ConfigError, fileText);
    }
  });
});

describe('mergeConfig', () => {
  test('arrays replace, nested maps merge, inputs untouched, __proto__ ignored', () => {
    const base = { a: [1, 2], m: { x: 1, y: 2 } };
    const over = JSON.parse('{"a":[3],"m":{"y":5},"__proto__":{"polluted":true}}') as unknown;
    const out = mergeConfig(base, over) as Record<string, unknown>;
    assert.deepEqual(out, { a: [3], m: { x: 1, y: 5 } });
    assert.deepEqual(base, { a: [1, 2], m: { x: 1, y: 2 } });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

test('setAtPath builds nested overrides and skips undefined values', async () => {
  const { setAtPath } = await import('./load-config.js');
  const o: Record<string, unknown> = {};
  setAtPath(o, ['modules', 'edgeHub', 'token'], 't');
  setAtPath(o, ['modules', 'edgeHub', 'heartbeat'], 15);
  setAtPath(o, ['modules', 'edged', 'runtime'], undefined);
  assert.deepEqual(o, { modules: { edgeHub: { token: 't', heartbeat: 15 } } });
});
