import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json, Pod } from '../pod-contracts.js';
import { RuntimeLabels } from '../../runtime/types.js';
import { buildSandboxConfig, sandboxConfig } from './sandbox-config.js';
import { parseResolvConf, podDnsConfig } from './dns.js';
import { podDirs } from './pod-dirs.js';

const dirs = podDirs('/var/lib/edged');

function pod(spec: Json = {}, name = 'web'): Pod {
  return {
    metadata: { name, namespace: 'ns', uid: 'u1', labels: { app: 'web' }, annotations: { a: '1' } },
    spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: 'UDP', hostIP: '127.0.0.1' }, { containerPort: 9000 }] }], ...spec },
  };
}

const hostResolv = '# generated\nnameserver 10.0.0.1\nnameserver 10.0.0.2\nsearch old.example\nsearch corp.example. .\noptions ndots:2 edns0\n';

test('pod-network sandbox: hostname, log dir, ports with hostPort only, labels, annotations', () => {
  const cfg = sandboxConfig({ pod: pod(), dirs, attempt: 1, nodeName: 'edge-1', managedBy: 'edge-1' }, hostResolv);
  assert.deepEqual(cfg.metadata, { name: 'web', namespace: 'ns', uid: 'u1', attempt: 1 });
  assert.equal(cfg.hostname, 'web');
  assert.equal(cfg.logDirectory, '/var/lib/edged/logs/pods/ns_web_u1');
  assert.deepEqual(cfg.portMappings, [
    { protocol: 'TCP', containerPort: 80, hostPort: 8080, hostIp: '' },
    { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' },
  ]);
  assert.deepEqual(cfg.labels, { app: 'web', [RuntimeLabels.podName]: 'web', [RuntimeLabels.podNamespace]: 'ns', [RuntimeLabels.podUid]: 'u1', [RuntimeLabels.managedBy]: 'edge-1' });
  assert.deepEqual(cfg.annotations, { a: '1' });
  assert.deepEqual(cfg.linux, { hostNetwork: false, hostPid: false, hostIpc: false });
  assert.deepEqual(cfg.dnsConfig, { servers: ['10.0.0.1', '10.0.0.2'], searches: ['corp.example'], options: ['ndots:2', 'edns0'] });
});

test('host-network sandbox has an empty hostname', () => {
  const cfg = buildSandboxConfig({ pod: pod({ hostNetwork: true, hostPID: true, hostname: 'named' }), dirs, attempt: 0, nodeName: 'edge-1', managedBy: 'edge-1' });
  assert.equal(cfg.hostname, '');
  assert.deepEqual(cfg.linux, { hostNetwork: true, hostPid: true, hostIpc: false });
});

test('hostname: spec.hostname, else the pod name cut to 63 without trailing dash', () => {
  const base = { dirs, attempt: 0, nodeName: 'n', managedBy: 'n' };
  assert.equal(sandboxConfig({ ...base, pod: pod({ hostname: 'custom' }) }, '').hostname, 'custom');
  const long = `${'a'.repeat(62)}-b${'c'.repeat(10)}`;
  assert.equal(sandboxConfig({ ...base, pod: pod({}, long) }, '').hostname, 'a'.repeat(62));
});

test('dns: None uses dnsConfig alone; dnsConfig merges and overrides options; limits', () => {
  const dnsConfig = { nameservers: ['1.1.1.1', '10.0.0.1', '9.9.9.9'], searches: ['svc.local'], options: [{ name: 'ndots', value: '5' }, { name: 'rotate' }] };
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig }), hostResolv), { servers: ['1.1.1.1', '10.0.0.1', '9.9.9.9'], searches: ['svc.local'], options: ['ndots:5', 'rotate'] });
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'ClusterFirst', dnsConfig }), hostResolv), {
    servers: ['10.0.0.1', '10.0.0.2', '1.1.1.1'], searches: ['corp.example', 'svc.local'], options: ['ndots:5', 'edns0', 'rotate'],
  });
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'Default' }), hostResolv).servers, ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual(podDnsConfig(pod({ dnsPolicy: 'None' }), hostResolv), { servers: [], searches: [], options: [] });
  assert.deepEqual(parseResolvConf('nameserver 8.8.8.8 # c\n; x\nsearch a b.\n'), { servers: ['8.8.8.8'], searches: ['a', 'b'], options: [] });
});
