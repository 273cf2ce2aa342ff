import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, FlagError, loadBinaryConfig, setAtPath } from './index.js';

const flags = {
  config: { type: 'string', description: 'file' },
  defaultconfig: { type: 'boolean', description: 'print defaults' },
  port: { type: 'number', description: 'port' },
} as const;
const schema = z.object({ server: z.object({ port: z.number().default(10000), host: z.string().default('h') }).prefault({}) });
const spec = {
  flags, schema, usage: 'bin [flags]', description: 'test binary',
  overrides: (v: { port?: number }) => { const o: Record<string, unknown> = {}; setAtPath(o, ['server', 'port'], v.port); return o; },
};

test('defaults, then the file, then flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kets-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, 'server:\n  port: 1\n  host: file\n');
  const r = loadBinaryConfig(['--config', file, '--port', '2'], spec);
  assert.equal(r.kind, 'run');
  if (r.kind === 'run') assert.deepEqual(r.cfg, { server: { port: 2, host: 'file' } });
});

test('--help and --defaultconfig print instead of running', () => {
  const help = loadBinaryConfig(['--help'], spec);
  assert.ok(help.kind === 'print' && help.text.includes('Usage: bin [flags]'));
  const defaults = loadBinaryConfig(['--defaultconfig'], spec);
  assert.ok(defaults.kind === 'print' && defaults.text.includes('port: 10000'));
});

test('a missing file and a bad flag are typed errors', () => {
  assert.throws(() => loadBinaryConfig(['--config', '/nonexistent/c.yaml'], spec), ConfigError);
  assert.throws(() => loadBinaryConfig(['--nope'], spec), FlagError);
});
