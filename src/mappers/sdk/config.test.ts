import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, FlagError } from '../../core/index.js';
import { DEFAULT_EDGECORE_SOCK, loadMapperConfig, mapperConfigFromArgv, parseMapperConfig } from './index.js';

// KubeEdge mapper-framework's _template/mapper/config.yaml, filled in.
const KUBEEDGE_TEMPLATE = `
grpc_server:
  socket_path: /etc/kubeedge/Template.sock
common:
  name: Template-mapper
  version: v1.13.0
  api_version: v1.0.0
  protocol: virtual
  address: 127.0.0.1
  edgecore_sock: /etc/kubeedge/dmi.sock
  http_port: "7777"
`;

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

test('reads KubeEdge config.yaml names; http_port may be a string', () => {
  const cfg = parseMapperConfig({ fileText: KUBEEDGE_TEMPLATE });
  assert.deepEqual(cfg, {
    grpc_server: { socket_path: '/etc/kubeedge/Template.sock' },
    common: { name: 'Template-mapper', version: 'v1.13.0', api_version: 'v1.0.0', protocol: 'virtual', address: '127.0.0.1', edgecore_sock: '/etc/kubeedge/dmi.sock', http_port: 7777 },
  });
  assert.ok(Object.isFrozen(cfg.common));
});

test('lists every missing field with its path', () => {
  const err = (() => {
    try {
      parseMapperConfig({ fileText: 'common:\n  version: v1\n', fileName: 'm.yaml' });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(err instanceof ConfigError);
  assert.deepEqual(err.issues.map((i) => i.path).sort(), ['common.name', 'common.protocol', 'grpc_server']);
  assert.match(err.message, /in m\.yaml/);
  assert.throws(() => parseMapperConfig({ fileText: 'common: [1' }), ConfigError);
  assert.throws(() => parseMapperConfig({ fileText: KUBEEDGE_TEMPLATE.replace('"7777"', 'abc') }), /http_port/);
});

test('defaults, then the file, then flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mapper-config-'));
  try {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'common:\n  name: from-file\n');
    const defaults = { grpc_server: { socket_path: '/d.sock' }, common: { name: 'd', protocol: 'virtual' } };
    const r = mapperConfigFromArgv(['--config', file, '--socket', '/s.sock', '--edgecore-sock', '/e.sock'], defaults);
    assert.equal(r.kind, 'run');
    if (r.kind !== 'run') return;
    assert.equal(r.config.grpc_server.socket_path, '/s.sock');
    assert.equal(r.config.common.name, 'from-file');
    assert.equal(r.config.common.edgecore_sock, '/e.sock');
    assert.equal(r.config.common.protocol, 'virtual');
    const named = mapperConfigFromArgv(['--name', 'flagged'], defaults);
    assert.equal(named.kind === 'run' && named.config.common.name, 'flagged');
    assert.equal(named.kind === 'run' && named.config.common.edgecore_sock, DEFAULT_EDGECORE_SOCK);
    const printed = mapperConfigFromArgv(['--defaultconfig'], defaults);
    assert.equal(printed.kind, 'print');
    assert.match(printed.kind === 'print' ? printed.text : '', /socket_path: \/d\.sock/);
    assert.throws(() => mapperConfigFromArgv(['--nope'], defaults), FlagError);
    assert.throws(() => mapperConfigFromArgv(['--config', join(dir, 'missing.yaml')], defaults), /cannot read/);
    assert.throws(() => loadMapperConfig(join(dir, 'missing.yaml')), ConfigError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped deploy/mappers configs are valid', () => {
  for (const name of ['virtual', 'mqtt']) {
    const cfg = loadMapperConfig(join(repoRoot, 'deploy', 'mappers', `${name}.yaml`));
    assert.equal(cfg.common.protocol, name);
    assert.equal(cfg.grpc_server.socket_path, `/etc/kubeedge/${name}.sock`);
    assert.equal(cfg.common.edgecore_sock, DEFAULT_EDGECORE_SOCK);
  }
});
