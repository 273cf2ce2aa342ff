import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { nsToMs, fromWireStats, fromWireContainerStatus } from './from-cri.js';
import type { WireContainerStatus } from './messages.js';
import { namespaceOptions } from './to-cri.js';
import { parseExecStatus } from './exec-stream.js';
import { loadCriDefinition } from './proto.js';

describe('CRI conversions', () => {
  test('nanoseconds (int64 strings beyond 2^53) become milliseconds; 0 stays 0', () => {
    assert.equal(nsToMs('1700000000123456789'), 1_700_000_000_123);
    assert.equal(nsToMs('0'), 0);
    assert.equal(nsToMs(''), 0);
    assert.equal(nsToMs(null), 0);
    assert.equal(nsToMs(2_500_000), 2);
  });

  test('a container that exits at once never shows a finish before its start; a running one keeps finishedAt 0', () => {
    const wire = (startedAt: string, finishedAt: string): WireContainerStatus => ({
      id: 'c', metadata: { name: 'w', attempt: 0 }, state: 'CONTAINER_EXITED', createdAt: '1700000000000000000', startedAt, finishedAt,
      exitCode: 3, image: null, imageRef: '', reason: 'Error', message: '', labels: {}, annotations: {}, logPath: '',
    });
    const early = fromWireContainerStatus(wire('1700000000316000000', '1700000000315400000'));
    assert.deepEqual([early.startedAt, early.finishedAt], [1_700_000_000_316, 1_700_000_000_316]);
    const normal = fromWireContainerStatus(wire('1700000000316000000', '1700000000900000000'));
    assert.deepEqual([normal.startedAt, normal.finishedAt], [1_700_000_000_316, 1_700_000_000_900]);
    const running = fromWireContainerStatus({ ...wire('1700000000316000000', '0'), state: 'CONTAINER_RUNNING' });
    assert.equal(running.finishedAt, 0);
  });

  test('namespace modes follow kubelet', () => {
    assert.deepEqual(namespaceOptions({ hostNetwork: false }), { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
    assert.deepEqual(namespaceOptions({ hostNetwork: true, hostPid: true, hostIpc: true }), { network: 'NODE', pid: 'NODE', ipc: 'NODE' });
  });

  test('stats without cpu or memory leave those fields out', () => {
    assert.deepEqual(fromWireStats('c', { attributes: null, cpu: null, memory: null }, 42), { id: 'c', timestamp: 42 });
  });

  test('exec status: Success is 0, NonZeroExitCode carries the code, other failures are unknown', () => {
    assert.deepEqual(parseExecStatus('{"metadata":{},"status":"Success"}'), { exitCode: 0 });
    assert.deepEqual(parseExecStatus(JSON.stringify({ status: 'Failure', message: 'command terminated with non-zero exit code: 2', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } })),
      { exitCode: 2, message: 'command terminated with non-zero exit code: 2' });
    assert.deepEqual(parseExecStatus('{"status":"Failure","message":"exec: \\"nope\\": executable file not found"}'),
      { exitCode: null, message: 'exec: "nope": executable file not found' });
    assert.deepEqual(parseExecStatus('not json'), { exitCode: null, message: 'not json' });
  });
});

describe('api.proto', () => {
  // Field numbers of the public runtime.v1 API (k8s.io/cri-api), the ones containerd decodes by.
  const expected: Record<string, Record<string, number>> = {
    PodSandboxConfig: { metadata: 1, hostname: 2, log_directory: 3, dns_config: 4, port_mappings: 5, labels: 6, annotations: 7, linux: 8 },
    LinuxPodSandboxConfig: { cgroup_parent: 1, security_context: 2 },
    LinuxSandboxSecurityContext: { namespace_options: 1, run_as_user: 3, readonly_rootfs: 4, privileged: 6, run_as_group: 8 },
    NamespaceOption: { network: 1, pid: 2, ipc: 3 },
    ContainerConfig: { metadata: 1, image: 2, command: 3, args: 4, working_dir: 5, envs: 6, mounts: 7, labels: 9, annotations: 10, log_path: 11, stdin: 12, stdin_once: 13, tty: 14, linux: 15 },
    LinuxContainerSecurityContext: { privileged: 2, namespace_options: 3, run_as_user: 5, readonly_rootfs: 7, run_as_group: 12 },
    ContainerStatus: { id: 1, state: 3, created_at: 4, started_at: 5, finished_at: 6, exit_code: 7, image: 8, image_ref: 9, reason: 10, message: 11, log_path: 15 },
    Container: { id: 1, pod_sandbox_id: 2, metadata: 3, image: 4, image_ref: 5, state: 6, created_at: 7 },
    PodSandboxStatus: { id: 1, metadata: 2, state: 3, created_at: 4, network: 5, linux: 6, labels: 7, annotations: 8 },
    ExecSyncRequest: { container_id: 1, cmd: 2, timeout: 3 },
    ExecRequest: { container_id: 1, cmd: 2, tty: 3, stdin: 4, stdout: 5, stderr: 6 },
    AuthConfig: { username: 1, password: 2, auth: 3, server_address: 4, identity_token: 5, registry_token: 6 },
    PullImageRequest: { image: 1, auth: 2, sandbox_config: 3 },
    ContainerStats: { attributes: 1, cpu: 2, memory: 3 },
    MemoryUsage: { timestamp: 1, working_set_bytes: 2 },
  };
  test('declares the public field numbers', () => {
    const def = loadCriDefinition();
    for (const [message, fields] of Object.entries(expected)) {
      const type = (def[`runtime.v1.${message}`] as { type?: { field: { name: string; number: number }[] } } | undefined)?.type;
      assert.ok(type, `runtime.v1.${message} missing`);
      const numbers = Object.fromEntries(type.field.map((f) => [f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f.number]));
      for (const [name, number] of Object.entries(fields)) assert.equal(numbers[name], number, `${message}.${name}`);
    }
  });
});
