// One unary runtime.v1 call with a deadline: nothing waits forever on a runtime that stopped answering.
// Calls fail fast (no waitForReady) when the socket is gone, so a dead containerd is 'Unavailable' at once.
import { Metadata, type Client, type MethodDefinition, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { toRuntimeError } from './errors.js';

export type UnaryCall = <Res>(method: string, request: object, deadlineMs: number) => Promise<Res>;

export function unaryCaller(client: Client, service: ServiceDefinition, endpoint: string): UnaryCall {
  return <Res>(method: string, request: object, deadlineMs: number): Promise<Res> => {
    const def = service[method] as MethodDefinition<object, Res> | undefined;
    if (!def) return Promise.reject(new Error(`api.proto has no method ${method}`));
    return new Promise<Res>((resolve, reject) => {
      client.makeUnaryRequest<object, Res>(
        def.path, def.requestSerialize, def.responseDeserialize, request, new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (err: ServiceError | null, res?: Res) => {
          if (err) reject(toRuntimeError(err, { method, endpoint, deadlineMs }));
          else if (res === undefined) reject(toRuntimeError({ code: 2, details: 'empty response' }, { method, endpoint, deadlineMs }));
          else resolve(res);
        },
      );
    });
  };
}
