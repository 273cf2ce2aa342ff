import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { FakeRuntimeService } from '../../../testing/fake-runtime-service.js';
import type { Pod } from '../pod-contracts.js';
import { decodeHealthResponse, encodeHealthRequest } from './grpc-probe.js';
import { runProbe } from './run-probe.js';

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: {} };
const target = { pod, container: { name: 'app' }, containerId: 'c1', podIP: '127.0.0.1' };

/** The service name of a HealthCheckRequest (field 1; short names only in this test). */
function decodeService(buf: Buffer): string {
  return buf.length === 0 ? '' : buf.subarray(2, 2 + (buf[1] ?? 0)).toString('utf8');
}

/** The server side needs an object: grpc-js treats a falsy request ('') as no request at all. */
interface Req { service: string }

describe('grpc probes', () => {
  const server = new grpc.Server();
  let port = 0;
  const statusOf: Record<string, number> = { '': 1, sick: 2 };

  before(async () => {
    server.addService({
      Check: {
        path: '/grpc.health.v1.Health/Check',
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: Req) => encodeHealthRequest(v.service),
        requestDeserialize: (b: Buffer): Req => ({ service: decodeService(b) }),
        responseSerialize: (status: number) => Buffer.from([0x08, status]),
        responseDeserialize: decodeHealthResponse,
      },
    }, {
      Check: (call: grpc.ServerUnaryCall<Req, number>, cb: grpc.sendUnaryData<number>) => {
        if (call.request.service === 'slow') return; // never answers
        const status = statusOf[call.request.service];
        if (status === undefined) cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
        else cb(null, status);
      },
    });
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
    });
  });
  after(() => server.forceShutdown());

  it('encodes and decodes the health messages', () => {
    assert.equal(decodeService(encodeHealthRequest('abc')), 'abc');
    assert.equal(encodeHealthRequest('').length, 0);
    assert.equal(decodeHealthResponse(Buffer.from([0x08, 0x02])), 2);
    assert.equal(decodeHealthResponse(Buffer.alloc(0)), 0);
  });

  it('succeeds when the service is SERVING', async () => {
    const out = await runProbe({ grpc: { port } }, 'liveness', target, new FakeRuntimeService());
    assert.deepEqual(out, { result: 'success', message: 'service healthy' });
  });

  it('fails when the service is NOT_SERVING', async () => {
    const out = await runProbe({ grpc: { port, service: 'sick' } }, 'liveness', target, new FakeRuntimeService());
    assert.deepEqual(out, { result: 'failure', message: 'service unhealthy (responded with "NOT_SERVING")' });
  });

  it('fails at timeoutSeconds when the health rpc hangs', async () => {
    const out = await runProbe({ grpc: { port, service: 'slow' }, timeoutSeconds: 1 }, 'liveness', target, new FakeRuntimeService());
    assert.equal(out.result, 'failure');
    assert.match(out.message, /^timeout: /);
  });

  it('fails when nothing listens', async () => {
    const out = await runProbe({ grpc: { port: 1 } }, 'liveness', target, new FakeRuntimeService());
    assert.equal(out.result, 'failure');
    assert.match(out.message, /failed to connect|timeout/);
  });
});
