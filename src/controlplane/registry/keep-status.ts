// Status is written only through the status subresource, so a main-resource update keeps the old one.
import type { KubeObject } from '../../api/index.js';

export function keepStatus(obj: KubeObject, old: KubeObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = structuredClone(old.status);
}
