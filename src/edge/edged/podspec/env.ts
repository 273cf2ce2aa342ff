// Container env in kubelet's order (makeEnvironmentVariables): envFrom sources first, then env
// entries, each `value` expanded against what came before. Service links (enableServiceLinks) are
// not added: the edge has no service env to give. A later name overrides an earlier one in place.
import type { KeyValue } from '../../runtime/types.js';
import { PodConfigError } from '../pod-contracts.js';
import type { EnvInput, Json, ResolveEnv } from '../pod-contracts.js';
import { expand, mappingFor } from './expansion.js';
import { containerResourceValue, podFieldValue } from './field-refs.js';
import { obj, objs, str } from './json-fields.js';
import { configMapStrings, secretStrings } from './object-data.js';

const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function configError(message: string): PodConfigError {
  return new PodConfigError('CreateContainerConfigError', message);
}

type Kind = 'configmap' | 'secret';

/** The object, undefined when missing and optional; throws when missing and required. */
async function fetchObject(input: EnvInput, kind: Kind, name: string, optional: boolean): Promise<Json | undefined> {
  const ns = input.pod.metadata.namespace;
  let found: Json | undefined;
  try {
    found = kind === 'configmap' ? await input.source.configMap(ns, name) : await input.source.secret(ns, name);
  } catch (err) {
    if (optional) return undefined;
    throw configError(`failed to get ${kind} ${ns}/${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!found && !optional) throw configError(`${kind} "${name}" not found`);
  return found;
}

async function addEnvFrom(input: EnvInput, env: Map<string, string>): Promise<void> {
  for (const from of objs(input.container['envFrom'])) {
    const prefix = str(from['prefix']) ?? '';
    const cmRef = from['configMapRef'] !== undefined ? obj(from['configMapRef']) : undefined;
    const ref = cmRef ?? obj(from['secretRef']);
    const kind: Kind = cmRef ? 'configmap' : 'secret';
    const name = str(ref['name']) ?? '';
    const found = await fetchObject(input, kind, name, ref['optional'] === true);
    if (!found) continue;
    const values = kind === 'configmap' ? configMapStrings(found) : secretStrings(found);
    for (const [key, value] of values) {
      // kubelet skips invalid names (and emits an InvalidEnvironmentVariableNames event).
      if (envVarName.test(prefix + key)) env.set(prefix + key, value);
    }
  }
}

async function keyRefValue(input: EnvInput, kind: Kind, ref: Json): Promise<string | undefined> {
  const name = str(ref['name']) ?? '';
  const key = str(ref['key']) ?? '';
  const optional = ref['optional'] === true;
  const found = await fetchObject(input, kind, name, optional);
  if (!found) return undefined;
  const value = (kind === 'configmap' ? configMapStrings(found) : secretStrings(found)).get(key);
  if (value === undefined && !optional) {
    const label = kind === 'configmap' ? 'ConfigMap' : 'Secret';
    throw configError(`couldn't find key ${key} in ${label} ${input.pod.metadata.namespace}/${name}`);
  }
  return value;
}

/** The value of one valueFrom; undefined = skip the variable (optional source missing). */
async function valueFrom(input: EnvInput, from: Json): Promise<string | undefined> {
  try {
    if (from['fieldRef'] !== undefined) {
      return podFieldValue(input.pod, str(obj(from['fieldRef'])['fieldPath']) ?? '', input);
    }
    if (from['resourceFieldRef'] !== undefined) {
      return containerResourceValue(obj(from['resourceFieldRef']), input.pod, input.container, input.node);
    }
  } catch (err) {
    throw configError(err instanceof Error ? err.message : String(err));
  }
  if (from['configMapKeyRef'] !== undefined) return keyRefValue(input, 'configmap', obj(from['configMapKeyRef']));
  if (from['secretKeyRef'] !== undefined) return keyRefValue(input, 'secret', obj(from['secretKeyRef']));
  return '';
}

export const resolveEnv: ResolveEnv = async (input) => {
  const env = new Map<string, string>();
  await addEnvFrom(input, env);
  for (const entry of objs(input.container['env'])) {
    const name = str(entry['name']);
    if (name === undefined) continue;
    const value = str(entry['value']) ?? '';
    if (value !== '') {
      env.set(name, expand(value, mappingFor(env)));
    } else if (entry['valueFrom'] !== undefined) {
      const resolved = await valueFrom(input, obj(entry['valueFrom']));
      if (resolved !== undefined) env.set(name, resolved);
    } else {
      env.set(name, '');
    }
  }
  return [...env].map(([key, value]): KeyValue => ({ key, value }));
};
