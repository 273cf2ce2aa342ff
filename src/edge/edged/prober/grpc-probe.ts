// grpc probes: grpc.health.v1.Health/Check over plaintext (kubelet: probe/grpc). The two messages are
// one field each, so they are encoded by hand; grpc-js is loaded only when a pod uses a grpc probe.
import type { ProbeOutcome } from './exec-probe.js';

const servingStatus = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/** HealthCheckRequest { string service = 1; } */
export function encodeHealthRequest(service: string): Buffer {
  const bytes = Buffer.from(service, 'utf8');
  if (bytes.length === 0) return Buffer.alloc(0);
  const len: number[] = [];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) { len.push(n); break; }
    len.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...len]), bytes]);
}

/** HealthCheckResponse { ServingStatus status = 1; } -> the status number (0 when absent). */
export function decodeHealthResponse(buf: Buffer): number {
  let status = 0;
  let i = 0;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; i < buf.length; shift += 7) {
      const b = buf[i++] as number;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    return v;
  };
  while (i < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    if (tag >>> 3 === 1 && wire === 0) status = varint();
    else if (wire === 0) varint();
    else if (wire === 2) i += varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else break;
  }
  return status;
}

export async function grpcProbe(addr: string, service: string, timeoutSeconds: number): Promise<ProbeOutcome> {
  let grpc: typeof import('@grpc/grpc-js');
  try {
    grpc = await import('@grpc/grpc-js');
  } catch {
    return { result: 'unknown', message: 'grpc probes are not supported here (@grpc/grpc-js is missing)' };
  }
  const client = new grpc.Client(addr, grpc.credentials.createInsecure());
  try {
    const status = await new Promise<number>((resolve, reject) => {
      client.makeUnaryRequest('/grpc.health.v1.Health/Check', encodeHealthRequest, decodeHealthResponse, service,
        new grpc.Metadata(), { deadline: Date.now() + timeoutSeconds * 1000 },
        (err, value) => (err ? reject(err) : resolve(value ?? 0)));
    });
    if (status !== 1) return { result: 'failure', message: `service unhealthy (responded with ${JSON.stringify(servingStatus[status] ?? String(status))})` };
    return { result: 'success', message: 'service healthy' };
  } catch (err) {
    const e = err as { code?: number; details?: string; message?: string };
    if (e.code === grpc.status.UNIMPLEMENTED) {
      return { result: 'failure', message: `this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details ?? ''}` };
    }
    if (e.code === grpc.status.DEADLINE_EXCEEDED) return { result: 'failure', message: `timeout: health rpc did not complete within ${timeoutSeconds}s` };
    if (e.code === grpc.status.UNAVAILABLE) return { result: 'failure', message: `error: failed to connect service at ${JSON.stringify(addr)}: ${e.details ?? e.message ?? ''}` };
    return { result: 'failure', message: `error: health rpc probe failed: ${e.message ?? String(err)}` };
  } finally {
    client.close();
  }
}
