import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, Pod } from '../pod-contracts.js';
import { imagePullAuth } from './image-auth.js';
import { parseImageReference, validateImageName } from './image-name.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('image references normalize like docker', () => {
  assert.deepEqual(parseImageReference('busybox'), { domain: 'docker.io', path: 'library/busybox' });
  assert.deepEqual(parseImageReference('nginx:1.25'), { domain: 'docker.io', path: 'library/nginx', tag: '1.25' });
  assert.deepEqual(parseImageReference('user/app'), { domain: 'docker.io', path: 'user/app' });
  assert.deepEqual(parseImageReference('127.0.0.1:5000/team/app:v1'), { domain: '127.0.0.1:5000', path: 'team/app', tag: 'v1' });
  assert.deepEqual(parseImageReference('localhost/app'), { domain: 'localhost', path: 'app' });
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(parseImageReference(`quay.io/x/y@${digest}`), { domain: 'quay.io', path: 'x/y', digest });
});

test('validateImageName gives kubelet InvalidImageName messages', () => {
  assert.equal(validateImageName('busybox:1.36'), undefined);
  assert.equal(validateImageName('registry.example.com:443/a/b-c_d.e:latest'), undefined);
  assert.equal(validateImageName('Bad:tag'), `Failed to apply default image tag "Bad:tag": couldn't parse image name "Bad:tag": repository name must be lowercase`);
  assert.match(validateImageName('bad image') ?? '', /invalid reference format$/);
  assert.match(validateImageName('x::y') ?? '', /invalid reference format$/);
  assert.notEqual(validateImageName(''), undefined);
  assert.notEqual(validateImageName('a'.repeat(64)), undefined);
});

function dockerConfigJson(name: string, auths: Json): Json {
  return { metadata: { name, namespace: 'ns' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } };
}

test('imagePullAuth matches registry host, port and path; most specific first', () => {
  const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { imagePullSecrets: [{ name: 'reg' }, { name: 'hub' }, { name: 'old' }] } };
  const secrets: Json[] = [
    dockerConfigJson('reg', {
      'https://registry.example.com': { auth: b64('alice:pw1') },
      'registry.example.com/team': { username: 'bob', password: 'pw2' },
      '*.example.com': { username: 'glob', password: 'g' },
      'registry.example.com:5000': { username: 'porty', password: 'p' },
    }),
    dockerConfigJson('hub', { 'https://index.docker.io/v1/': { username: 'hubuser', password: 'h' } }),
    { metadata: { name: 'old', namespace: 'ns' }, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'legacy.io': { auth: b64('leg:acy') } })) } },
    dockerConfigJson('unlisted', { 'registry.example.com': { username: 'nope', password: 'x' } }),
  ];
  const users = (image: string): (string | undefined)[] => imagePullAuth(pod, secrets, image).map((a) => a.username);
  assert.deepEqual(users('registry.example.com/team/app:1'), ['bob', 'alice', 'glob']);
  assert.deepEqual(users('registry.example.com/other/app'), ['alice', 'glob']);
  assert.deepEqual(users('registry.example.com:5000/x'), ['porty']);
  assert.deepEqual(users('busybox'), ['hubuser']);
  assert.deepEqual(users('docker.io/library/busybox'), ['hubuser']);
  assert.deepEqual(users('legacy.io/x'), ['leg']);
  assert.deepEqual(users('elsewhere.io/x'), []);
  const alice = imagePullAuth(pod, secrets, 'registry.example.com/x')[0];
  assert.deepEqual(alice, { serverAddress: 'https://registry.example.com', auth: b64('alice:pw1'), username: 'alice', password: 'pw1' });
  assert.equal(imagePullAuth(pod, secrets).length, 6);
  assert.deepEqual(imagePullAuth(pod, secrets, 'Bad Image'), []);
});
