import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, formatHelp, parseFlags } from './index.js';

const spec = {
  config: { type: 'string', description: 'config file' },
  'data-dir': { type: 'string', description: 'state directory', default: '/var/lib/kubeedge' },
  'cloudhub-port': { type: 'number', description: 'WebSocket port', default: 10000 },
  foreground: { type: 'boolean', description: 'stay in the foreground' },
} as const;

describe('parseFlags', () => {
  test('--name value, --name=value, bare booleans and positionals', () => {
    const r = parseFlags(['join', '--config', 'a.yaml', '--cloudhub-port=10001', '--foreground', 'extra'], spec);
    assert.deepEqual(r.values, { config: 'a.yaml', 'cloudhub-port': 10001, foreground: true });
    assert.deepEqual(r.positionals, ['join', 'extra']);
    assert.equal(r.help, false);
    const port: number | undefined = r.values['cloudhub-port'];
    assert.equal(port, 10001);
  });

  test('booleans take =true/=false, values may contain "=", last one wins, -- ends flags', () => {
    const r = parseFlags(['--foreground=false', '--config=a=b', '--config', 'c', '--', '--data-dir', 'x'], spec);
    assert.deepEqual(r.values, { foreground: false, config: 'c' });
    assert.deepEqual(r.positionals, ['--data-dir', 'x']);
  });

  test('--help and -h', () => {
    assert.equal(parseFlags(['--help'], spec).help, true);
    assert.equal(parseFlags(['-h', '--config', 'x'], spec).help, true);
  });

  test('clear errors for unknown flags, missing and malformed values', () => {
    const fails = (argv: string[], pattern: RegExp): void =>
      assert.throws(() => parseFlags(argv, spec), (e: unknown) => e instanceof FlagError && pattern.test(e.message));
    fails(['--nope'], /unknown flag --nope/);
    fails(['--nope=1'], /unknown flag --nope$/);
    fails(['-x'], /unknown flag -x/);
    fails(['--config'], /--config needs a value/);
    fails(['--config', '--foreground'], /--config needs a value/);
    fails(['--cloudhub-port', 'ten'], /--cloudhub-port needs a number, not "ten"/);
    fails(['--cloudhub-port='], /needs a number/);
    fails(['--foreground=yes'], /takes true or false/);
  });
});

describe('formatHelp', () => {
  test('lists every flag with type, description and default', () => {
    const text = formatHelp(spec, { usage: 'cloudcore [flags]', description: 'The cloud side of KubeEdge-TS.' });
    assert.match(text, /^Usage: cloudcore \[flags\]\n/);
    assert.match(text, /--data-dir string\s+state directory \(default "\/var\/lib\/kubeedge"\)/);
    assert.match(text, /--cloudhub-port number\s+WebSocket port \(default 10000\)/);
    assert.match(text, /--foreground\s+stay in the foreground\n/);
    assert.match(text, /-h, --help\s+show this help/);
  });
});
