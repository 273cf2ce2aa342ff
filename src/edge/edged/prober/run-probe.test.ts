import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createCA, issueCertificate } from '../../../core/pki/index.js';
import { FakeRuntimeService } from '../../../testing/fake-runtime-service.js';
import { RuntimeError } from '../../runtime/types.js';
import type { Json, Pod, PodContainer, ProbeTarget } from '../pod-contracts.js';
import { runProbe } from './run-probe.js';

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: {} };

function target(container: Partial<PodContainer> = {}, podIP = '127.0.0.1'): ProbeTarget {
  return { pod, container: { name: 'app', ...container }, containerId: 'c1', podIP };
}

function runtimeWithContainer(opts: { enforceExecTimeout?: boolean } = {}): FakeRuntimeService {
  const rt = new FakeRuntimeService(opts);
  rt.putContainer({ id: 'c1', name: 'app' });
  return rt;
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) {
    s.closeAllConnections?.();
    s.close();
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function httpServer(handler: RequestListener): Promise<number> {
  return listen(createHttpServer(handler));
}

describe('exec probes', () => {
  it('succeeds on exit 0 and passes command, container and timeout to execSync', async () => {
    const rt = runtimeWithContainer();
    rt.scriptExec({ cat: { stdout: Buffer.from('ok') } });
    const out = await runProbe({ exec: { command: ['cat', '/tmp/healthy'] }, timeoutSeconds: 4 }, 'liveness', target(), rt);
    assert.deepEqual(out, { result: 'success', message: 'ok' });
    const call = rt.calls.find((c) => c.method === 'execSync');
    assert.deepEqual(call?.args, ['c1', ['cat', '/tmp/healthy'], 4]);
  });

  it('fails on a non-zero exit with stdout and stderr in the message', async () => {
    const rt = runtimeWithContainer();
    rt.scriptExec({ check: { stdout: Buffer.from('out;'), stderr: Buffer.from('no such file'), exitCode: 1 } });
    const out = await runProbe({ exec: { command: ['check'] } }, 'readiness', target(), rt);
    assert.equal(out.result, 'failure');
    assert.equal(out.message, 'out;no such file');
  });

  it('says the exit code when a failing command printed nothing', async () => {
    const rt = runtimeWithContainer();
    rt.scriptExec({ false: { exitCode: 2 } });
    const out = await runProbe({ exec: { command: ['false'] } }, 'readiness', target(), rt);
    assert.deepEqual(out, { result: 'failure', message: 'command exited with code 2' });
  });

  it('keeps at most 10 KiB of output', async () => {
    const rt = runtimeWithContainer();
    rt.scriptExec({ big: { stdout: Buffer.alloc(50_000, 'x'), exitCode: 1 } });
    const out = await runProbe({ exec: { command: ['big'] } }, 'readiness', target(), rt);
    assert.equal(out.message.length, 10 * 1024);
  });

  it('reports a DeadlineExceeded from the runtime as a timed-out failure', async () => {
    const rt = runtimeWithContainer();
    rt.execScript = () => Promise.reject(new RuntimeError('DeadlineExceeded', 'deadline'));
    const out = await runProbe({ exec: { command: ['sleep', '10'] } }, 'liveness', target(), rt);
    assert.deepEqual(out, { result: 'failure', message: 'command "sleep 10" timed out' });
  });

  it('resolves at timeoutSeconds when the command hangs and the runtime enforces the deadline', async () => {
    const rt = runtimeWithContainer();
    rt.scriptExec({ sleep: 'hang' });
    const out = await runProbe({ exec: { command: ['sleep', 'inf'] }, timeoutSeconds: 1 }, 'liveness', target(), rt);
    assert.equal(out.result, 'failure');
    assert.match(out.message, /timed out/);
  });

  it('resolves at timeoutSeconds even when the runtime never answers', async () => {
    const rt = runtimeWithContainer({ enforceExecTimeout: false });
    rt.scriptExec({ sleep: 'hang' });
    const out = await runProbe({ exec: { command: ['sleep', 'inf'] } }, 'liveness', target(), rt);
    assert.deepEqual(out, { result: 'failure', message: 'command "sleep inf" timed out' });
  });

  it('turns other runtime errors into unknown (kubelet discards those)', async () => {
    const rt = new FakeRuntimeService(); // no container c1: NotFound
    const out = await runProbe({ exec: { command: ['true'] } }, 'liveness', target(), rt);
    assert.equal(out.result, 'unknown');
    assert.match(out.message, /not found/);
  });

  it('expands $(VAR) from literal env values only', async () => {
    const rt = runtimeWithContainer();
    const env = [{ name: 'FILE', value: '/tmp/ok' }, { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }];
    await runProbe({ exec: { command: ['test', '-f', '$(FILE)', '$(SECRET)', '$(NOPE)', '$$(FILE)'] } }, 'liveness', target({ env }), rt);
    const call = rt.calls.find((c) => c.method === 'execSync');
    assert.deepEqual(call?.args[1], ['test', '-f', '/tmp/ok', '', '$(NOPE)', '$(FILE)']);
  });

  it('is unknown without any handler', async () => {
    const out = await runProbe({ periodSeconds: 1 }, 'liveness', target(), runtimeWithContainer());
    assert.equal(out.result, 'unknown');
    assert.match(out.message, /missing probe handler/);
  });
});

describe('httpGet probes', () => {
  it('succeeds on 2xx, sends kubelet headers and the probe headers, and uses the pod IP by default', async () => {
    let seen: { url?: string; headers?: IncomingHttpHeaders } = {};
    const port = await httpServer((req, res) => {
      seen = { url: req.url, headers: req.headers };
      res.end('fine');
    });
    const probe: Json = { httpGet: { path: 'healthz?x=1', port, httpHeaders: [{ name: 'X-Probe', value: 'yes' }, { name: 'Host', value: 'app.local' }] } };
    const out = await runProbe(probe, 'readiness', target(), runtimeWithContainer());
    assert.deepEqual(out, { result: 'success', message: 'fine' });
    assert.equal(seen.url, '/healthz?x=1');
    assert.equal(seen.headers?.['x-probe'], 'yes');
    assert.equal(seen.headers?.host, 'app.local');
    assert.equal(seen.headers?.accept, '*/*');
    assert.match(seen.headers?.['user-agent'] ?? '', /^kube-probe\/\d+\.\d+$/);
  });

  it('fails on 4xx/5xx with the status code', async () => {
    const port = await httpServer((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    });
    const out = await runProbe({ httpGet: { path: '/', port } }, 'readiness', target(), runtimeWithContainer());
    assert.deepEqual(out, { result: 'failure', message: 'HTTP probe failed with statuscode: 503' });
  });

  it('resolves a named container port', async () => {
    const port = await httpServer((_req, res) => res.end());
    const container = { ports: [{ name: 'http', containerPort: port }] };
    const out = await runProbe({ httpGet: { path: '/', port: 'http' } }, 'readiness', target(container), runtimeWithContainer());
    assert.equal(out.result, 'success');
    const missing = await runProbe({ httpGet: { path: '/', port: 'metrics' } }, 'readiness', target(container), runtimeWithContainer());
    assert.equal(missing.result, 'unknown');
  });

  it('follows same-host redirects and reports other-host redirects as a success with a warning', async () => {
    const port = await httpServer((req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else if (req.url === '/new') res.writeHead(500).end();
      else res.writeHead(301, { location: 'http://elsewhere.invalid/' }).end('moved');
    });
    const same = await runProbe({ httpGet: { path: '/old', port } }, 'readiness', target(), runtimeWithContainer());
    assert.deepEqual(same, { result: 'failure', message: 'HTTP probe failed with statuscode: 500' });
    const other = await runProbe({ httpGet: { path: '/away', port } }, 'readiness', target(), runtimeWithContainer());
    assert.equal(other.result, 'success');
    assert.match(other.message, /^Probe terminated redirects/);
  });

  it('stops after 10 same-host redirects', async () => {
    const port = await httpServer((_req, res) => res.writeHead(302, { location: '/again' }).end());
    const out = await runProbe({ httpGet: { path: '/', port } }, 'readiness', target(), runtimeWithContainer());
    assert.equal(out.result, 'failure');
    assert.match(out.message, /stopped after 10 redirects/);
  });

  it('does not wait for an endless body: 10 KiB are enough', async () => {
    const port = await httpServer((_req, res) => {
      const chunk = Buffer.alloc(4096, 'y');
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    });
    const out = await runProbe({ httpGet: { path: '/', port }, timeoutSeconds: 5 }, 'readiness', target(), runtimeWithContainer());
    assert.equal(out.result, 'success');
    assert.ok(out.message.length <= 10 * 1024);
  });

  it('fails at timeoutSeconds when the server never answers', async () => {
    const port = await httpServer(() => undefined);
    const out = await runProbe({ httpGet: { path: '/slow', port }, timeoutSeconds: 1 }, 'liveness', target(), runtimeWithContainer());
    assert.equal(out.result, 'failure');
    assert.match(out.message, /Client\.Timeout exceeded/);
  });

  it('fails when nothing listens', async () => {
    const port = await httpServer(() => undefined);
    servers.pop()?.close();
    await new Promise((r) => setTimeout(r, 20));
    const out = await runProbe({ httpGet: { path: '/', port } }, 'liveness', target(), runtimeWithContainer());
    assert.equal(out.result, 'failure');
    assert.match(out.message, /ECONNREFUSED/);
  });

  it('speaks HTTPS without verifying the certificate', async () => {
    const ca = await createCA('probe-test-ca');
    const leaf = await issueCertificate(ca, { commonName: 'pod', ipAddresses: ['127.0.0.1'], usage: 'server' });
    const port = await listen(createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => res.end('tls')));
    const out = await runProbe({ httpGet: { path: '/', port, scheme: 'HTTPS' } }, 'readiness', target(), runtimeWithContainer());
    assert.deepEqual(out, { result: 'success', message: 'tls' });
  });
});

describe('tcpSocket probes', () => {
  it('succeeds when the port accepts a connection and fails when it refuses', async () => {
    const server = createTcpServer((s) => s.end());
    servers.push(server as unknown as Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const ok = await runProbe({ tcpSocket: { port } }, 'liveness', target(), runtimeWithContainer());
    assert.equal(ok.result, 'success');
    server.close();
    await new Promise((r) => setTimeout(r, 20));
    const refused = await runProbe({ tcpSocket: { port, host: '127.0.0.1' } }, 'liveness', target({}, '10.0.0.1'), runtimeWithContainer());
    assert.equal(refused.result, 'failure');
    assert.match(refused.message, new RegExp(`^dial tcp 127\\.0\\.0\\.1:${port}: `));
  });

  it('rejects an invalid port as unknown', async () => {
    const out = await runProbe({ tcpSocket: { port: 70000 } }, 'liveness', target(), runtimeWithContainer());
    assert.equal(out.result, 'unknown');
    assert.match(out.message, /invalid port/);
  });
});
