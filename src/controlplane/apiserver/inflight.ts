// Max in-flight requests, like kube-apiserver's --max-requests-inflight (400) and
// --max-mutating-requests-inflight (200). Long-running requests (watch, log, exec, attach,
// portforward) are not counted. Over the limit the request gets 429 with Retry-After: 1.
import { errors } from '../errors.js';

export const defaultMaxInFlight = 400;
export const defaultMaxMutatingInFlight = 200;

export type RequestClass = 'readonly' | 'mutating';

export class InFlightLimiter {
  readonly #limits: Record<RequestClass, number>;
  readonly #counts: Record<RequestClass, number> = { readonly: 0, mutating: 0 };

  constructor(maxReadonly: number, maxMutating: number) {
    this.#limits = { readonly: maxReadonly, mutating: maxMutating };
  }

  /** Takes a slot or throws 429. The returned function gives the slot back (idempotent). */
  acquire(cls: RequestClass): () => void {
    if (this.#counts[cls] >= this.#limits[cls]) throw errors.tooManyRequests('Too many requests, please try again later.', 1);
    this.#counts[cls]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#counts[cls]--;
    };
  }

  inFlight(cls: RequestClass): number {
    return this.#counts[cls];
  }
}

export function classOf(method: string): RequestClass {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'readonly' : 'mutating';
}
