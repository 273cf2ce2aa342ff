import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientMessage, encodeChannel, exitStatus, offeredProtocols, pickProtocol } from './channel-protocol.js';
import { parseKubeletPath } from './kubelet-server.js';
import { StreamError } from './status.js';
import { parseExecQuery, parseLogsQuery, podNodeName, resolveContainer } from './stream-query.js';
import { tunnelIdentity } from './tunnel-identity.js';

const where = { namespace: 'default', pod: 'web', container: 'app' };
const q = (s: string): URLSearchParams => new URLSearchParams(s);
const pod = (containers: string[], extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ metadata: { name: 'web', ...extra }, spec: { nodeName: 'edge-1', containers: containers.map((name) => ({ name })) } });

describe('cloudstream: channel protocol (v5/v4.channel.k8s.io)', () => {
  test('the best offered protocol wins, whatever order the client lists them in', () => {
    assert.equal(pickProtocol(offeredProtocols('v4.channel.k8s.io, v5.channel.k8s.io')), 'v5.channel.k8s.io');
    assert.equal(pickProtocol(offeredProtocols(['v4.channel.k8s.io', 'channel.k8s.io'])), 'v4.channel.k8s.io');
    assert.equal(pickProtocol(offeredProtocols('v3.channel.k8s.io,base64.channel.k8s.io')), undefined);
    assert.equal(pickProtocol(offeredProtocols(undefined)), undefined);
  });

  test('client messages: stdin, resize, and the v5 close signal', () => {
    assert.deepEqual(decodeClientMessage(Buffer.from([0, 104, 105]), 'v5.channel.k8s.io'), { kind: 'stdin', bytes: Buffer.from('hi') });
    assert.deepEqual(decodeClientMessage(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":80,"Height":24}')]), 'v4.channel.k8s.io'), { kind: 'resize', width: 80, height: 24 });
    assert.deepEqual(decodeClientMessage(Buffer.from([4, 123]), 'v4.channel.k8s.io'), { kind: 'ignored' });
    assert.deepEqual(decodeClientMessage(Buffer.from([255, 0]), 'v5.channel.k8s.io'), { kind: 'close', channel: 0 });
    assert.deepEqual(decodeClientMessage(Buffer.from([255, 0]), 'v4.channel.k8s.io'), { kind: 'ignored' });
    assert.deepEqual([...encodeChannel(1, Buffer.from('x'))], [1, 120]);
  });

  test('exit status as kubelet writes it on channel 3', () => {
    assert.deepEqual(exitStatus(0, ['ls']), { metadata: {}, status: 'Success' });
    const s = exitStatus(2, ['sh', '-c', 'exit 2']);
    assert.equal(s['reason'], 'NonZeroExitCode');
    assert.deepEqual(s['details'], { causes: [{ reason: 'ExitCode', message: '2' }] });
    assert.equal(s['message'], "command terminated with non-zero exit code: command 'sh -c exit 2' exited with 2: ");
    assert.equal(exitStatus(null, ['ls'], 'cut')['reason'], 'InternalError');
  });
});

describe('cloudstream: query and container checks', () => {
  test('logs query', () => {
    assert.deepEqual(parseLogsQuery(q('follow=true&tailLines=10&timestamps=1&previous=false&limitBytes=100&sinceSeconds=5'), where),
      { kind: 'logs', ...where, follow: true, previous: false, timestamps: true, tailLines: 10, sinceSeconds: 5, limitBytes: 100 });
    assert.throws(() => parseLogsQuery(q('tailLines=-1'), where), StreamError);
    assert.throws(() => parseLogsQuery(q('sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z'), where), /at most one/);
    assert.throws(() => parseLogsQuery(q('sinceTime=soon'), where), /RFC 3339/);
  });

  test('exec query: repeated command, at least one stream, tty drops stderr', () => {
    assert.deepEqual(parseExecQuery(q('command=sh&command=-c&command=echo%20hi&stdout=true&stderr=true&tty=true&stdin=true'), where),
      { kind: 'exec', ...where, command: ['sh', '-c', 'echo hi'], stdin: true, stdout: true, stderr: false, tty: true });
    assert.throws(() => parseExecQuery(q('stdout=true'), where), /at least 1 command/);
    assert.throws(() => parseExecQuery(q('command=ls'), where), /at least one of stdin, stdout, stderr/);
  });

  test('container resolution follows the API server', () => {
    assert.equal(resolveContainer(pod(['app']), ''), 'app');
    assert.equal(resolveContainer(pod(['a', 'b'], { annotations: { 'kubectl.kubernetes.io/default-container': 'b' } }), ''), 'b');
    assert.throws(() => resolveContainer(pod(['a', 'b']), ''), /a container name must be specified for pod web, choose one of: \[a b\]/);
    assert.throws(() => resolveContainer(pod(['a']), 'c'), (e: StreamError) => e.code === 400 && e.message === 'container c is not valid for pod web');
    assert.equal(podNodeName(pod(['a'])), 'edge-1');
    assert.throws(() => podNodeName({ metadata: { name: 'x' }, spec: {} }), /does not have a host assigned/);
  });

  test('kubelet paths', () => {
    assert.deepEqual(parseKubeletPath('/containerLogs/ns/p/c?tailLines=1'), { kind: 'logs', namespace: 'ns', pod: 'p', container: 'c', query: q('tailLines=1') });
    assert.equal(parseKubeletPath('/exec/ns/p/uid/c?command=ls')?.container, 'c');
    assert.equal(parseKubeletPath('/exec/ns/p/c')?.kind, 'exec');
    assert.equal(parseKubeletPath('/pods'), undefined);
  });

  test('tunnel identity: CN system:node:<name>, O system:nodes, node_id must agree', () => {
    const subject = { CN: 'system:node:edge-1', O: ['system:nodes'] };
    assert.deepEqual(tunnelIdentity('/v1/tunnel', 'edge-1', subject), { ok: true, node: 'edge-1' });
    assert.deepEqual(tunnelIdentity('/v1/tunnel', undefined, subject), { ok: true, node: 'edge-1' });
    assert.equal(tunnelIdentity('/v1/tunnel', 'edge-2', subject).ok, false);
    assert.equal(tunnelIdentity('/v1/tunnel', 'edge-1', { CN: 'system:node:edge-1', O: 'other' }).ok, false);
    assert.equal(tunnelIdentity('/v1/tunnel', 'x', { CN: 'system:node:' , O: 'system:nodes' }).ok, false);
    assert.deepEqual(tunnelIdentity('/other', 'edge-1', subject), { ok: false, status: 404, detail: 'no tunnel at /other' });
  });
});
