// Strategic-merge metadata for the built-in kinds we serve: which lists merge (and by which key) instead
// of being replaced. The facts mirror the `patchStrategy` / `patchMergeKey` struct tags of the Kubernetes
// Go types (k8s.io/api core/v1, apps/v1, batch/v1 and metav1.ObjectMeta). A path not in the table is a
// map that merges or a list that is replaced, which is also the rule for kinds we have no table for.

/** Patch metadata of one field. For a list of objects, `fields` describes each element. */
export interface PatchSchema {
  readonly fields?: Readonly<Record<string, PatchSchema>>;
  /** 'merge' on a list: merge items by `mergeKey`, or as a set for lists of scalars. */
  readonly strategy?: 'merge';
  readonly mergeKey?: string;
  /** The Go tag also says retainKeys (volumes, Deployment strategy): clients send `$retainKeys`. */
  readonly retainKeys?: boolean;
}

const mergeBy = (mergeKey: string, element?: PatchSchema, retainKeys = false): PatchSchema => ({
  strategy: 'merge', mergeKey, ...(element?.fields ? { fields: element.fields } : {}), ...(retainKeys ? { retainKeys } : {}),
});
const object = (fields: Record<string, PatchSchema>): PatchSchema => ({ fields });

const objectMeta = object({
  finalizers: { strategy: 'merge' },
  ownerReferences: mergeBy('uid'),
});

const container = object({
  ports: mergeBy('containerPort'),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
});

const podSpec = object({
  volumes: mergeBy('name', undefined, true),
  initContainers: mergeBy('name', container),
  containers: mergeBy('name', container),
  ephemeralContainers: mergeBy('name', container),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  schedulingGates: mergeBy('name'),
  resourceClaims: mergeBy('name', undefined, true),
});

const podStatus = object({
  conditions: mergeBy('type'),
  hostIPs: mergeBy('ip'),
  podIPs: mergeBy('ip'),
  resourceClaimStatuses: mergeBy('name', undefined, true),
});

const podTemplateSpec = object({ metadata: objectMeta, spec: podSpec });
const conditionsByType = object({ conditions: mergeBy('type') });

/** A workload whose spec embeds a pod template; `extraSpec` adds kind-specific spec fields. */
const workload = (extraSpec: Record<string, PatchSchema> = {}): PatchSchema =>
  object({ metadata: objectMeta, spec: object({ template: podTemplateSpec, ...extraSpec }), status: conditionsByType });

const withMeta = (fields: Record<string, PatchSchema> = {}): PatchSchema => object({ metadata: objectMeta, ...fields });

/** Keyed by `<group>/<Kind>`, group '' for the core group. */
const kinds: Readonly<Record<string, PatchSchema>> = {
  '/Pod': withMeta({ spec: podSpec, status: podStatus }),
  '/PodTemplate': withMeta({ template: podTemplateSpec }),
  '/ReplicationController': workload(),
  '/Service': withMeta({ spec: object({ ports: mergeBy('port') }), status: conditionsByType }),
  '/Node': withMeta({
    spec: object({ podCIDRs: { strategy: 'merge' } }),
    status: object({ conditions: mergeBy('type'), addresses: mergeBy('type') }),
  }),
  '/Namespace': withMeta({ status: conditionsByType }),
  '/ServiceAccount': withMeta({ secrets: mergeBy('name') }),
  '/PersistentVolumeClaim': withMeta({ status: conditionsByType }),
  'apps/Deployment': workload({ strategy: { retainKeys: true } }),
  'apps/ReplicaSet': workload(),
  'apps/DaemonSet': workload(),
  'apps/StatefulSet': workload(),
  'batch/Job': workload(),
  'batch/CronJob': withMeta({
    spec: object({ jobTemplate: object({ metadata: objectMeta, spec: object({ template: podTemplateSpec }) }) }),
  }),
};

/** Every Kubernetes object has ObjectMeta, so metadata keeps its merge rules even for kinds without a table. */
const fallback: PatchSchema = withMeta();

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The schema of a whole object; kinds without a table get the ObjectMeta-only fallback. */
export function patchSchemaFor(kind: string, apiVersion?: string): PatchSchema {
  if (apiVersion !== undefined) return kinds[`${groupOf(apiVersion)}/${kind}`] ?? fallback;
  const match = Object.entries(kinds).find(([key]) => key.endsWith(`/${kind}`));
  return match ? match[1] : fallback;
}

/** Whether we hold a strategic-merge table for this kind (beyond ObjectMeta). */
export function hasPatchSchema(kind: string, apiVersion: string): boolean {
  return kinds[`${groupOf(apiVersion)}/${kind}`] !== undefined;
}

export interface MergeRule {
  /** For lists: 'merge' merges items (by mergeKey, or as a set of scalars); 'replace' replaces the list.
   *  Maps always merge in a strategic merge patch. */
  strategy: 'merge' | 'replace';
  mergeKey?: string;
  retainKeys: boolean;
}

/** The merge rule for a field path (field names only; list elements are transparent), e.g.
 *  mergeKeyFor('Deployment', ['spec', 'template', 'spec', 'containers', 'ports']) → merge by containerPort. */
export function mergeKeyFor(kind: string, path: readonly string[], apiVersion?: string): MergeRule {
  let node: PatchSchema | undefined = patchSchemaFor(kind, apiVersion);
  for (const name of path) node = node?.fields?.[name];
  return {
    strategy: node?.strategy ?? 'replace',
    ...(node?.mergeKey !== undefined ? { mergeKey: node.mergeKey } : {}),
    retainKeys: node?.retainKeys ?? false,
  };
}
