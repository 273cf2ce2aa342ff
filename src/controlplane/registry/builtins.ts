// Every built-in resource the embedded control plane serves.
import { appsResources } from './builtin-apps.js';
import { coreResources } from './builtin-core.js';
import { otherResources } from './builtin-other.js';
import type { ResourceDef } from './types.js';

export function builtinResources(): ResourceDef[] {
  return [...coreResources(), ...appsResources(), ...otherResources()];
}
