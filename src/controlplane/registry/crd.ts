// A CustomResourceDefinition becomes one ResourceDef: served versions in kube-aware order (the first is
// preferred), printer columns, status and scale subresources, selectable fields and the schema. Objects
// are stored once and served in every version unchanged (conversion strategy None).
import type { KubeObject } from '../../api/index.js';
import { errors } from '../errors.js';
import { timestampSince } from './age.js';
import { allVerbs } from './builtin-core.js';
import { defaultCRDNames, validateCRD } from './crd-validation.js';
import { evaluateJsonPath, jsonPathText } from './jsonpath.js';
import { keepStatus } from './keep-status.js';
import { asArray, asString, dig, isRecord, type JsonRecord } from './object-access.js';
import type { ColumnType, ResourceDef, ResourceStrategy, ScaleSpec, TableColumn } from './types.js';
import { compareKubeVersions } from './version-order.js';

const columnTypes: readonly ColumnType[] = ['string', 'integer', 'number', 'boolean', 'date'];

/** Converts a selected value to the cell type the column declares; null when it does not fit. */
function typedCell(type: ColumnType, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer': return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number': return typeof value === 'number' ? value : null;
    case 'boolean': return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : timestampSince(value, now);
    default: return jsonPathText(value);
  }
}

function printerColumn(raw: JsonRecord): TableColumn {
  const type = (columnTypes as readonly string[]).includes(asString(raw.type)) ? (raw.type as ColumnType) : 'string';
  const path = asString(raw.jsonPath);
  return {
    name: asString(raw.name), type, format: asString(raw.format), description: asString(raw.description),
    priority: typeof raw.priority === 'number' ? raw.priority : 0,
    cell: (obj, now) => {
      try {
        return typedCell(type, evaluateJsonPath(obj, path)[0], now ?? new Date());
      } catch {
        return null;
      }
    },
  };
}

/** Without additionalPrinterColumns a custom resource table shows NAME and an Age column of type date. */
function crdTableColumns(version: JsonRecord): TableColumn[] {
  const columns = asArray(version.additionalPrinterColumns).filter(isRecord);
  if (columns.length > 0) return columns.map(printerColumn);
  return [printerColumn({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp',
    description: 'Time since the object was created (from metadata.creationTimestamp).' })];
}

function scaleOf(version: JsonRecord): ScaleSpec | undefined {
  const scale = dig(version, 'subresources', 'scale');
  if (!isRecord(scale)) return undefined;
  const spec: ScaleSpec = { specReplicasPath: asString(scale.specReplicasPath), statusReplicasPath: asString(scale.statusReplicasPath) };
  if (asString(scale.labelSelectorPath)) spec.labelSelectorPath = asString(scale.labelSelectorPath);
  return spec;
}

function selectableFieldsOf(version: JsonRecord): ResourceDef['selectableFields'] {
  const fields: NonNullable<ResourceDef['selectableFields']> = {};
  for (const raw of asArray(version.selectableFields).filter(isRecord)) {
    const path = asString(raw.jsonPath);
    fields[path.replace(/^\./, '')] = (obj) => {
      const value = evaluateJsonPath(obj, path)[0];
      return value === undefined || value === null ? '' : jsonPathText(value);
    };
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** Custom resources: status is reset on create and kept on update when the status subresource is on. */
function customResourceStrategy(hasStatus: boolean): ResourceStrategy | undefined {
  if (!hasStatus) return undefined;
  return {
    prepareForCreate: (obj) => { delete obj.status; },
    prepareForUpdate: keepStatus,
  };
}

export function crdToResourceDefs(crd: KubeObject): ResourceDef {
  const copy = structuredClone(crd);
  defaultCRDNames(copy);
  const name = asString(copy.metadata.name);
  const causes = validateCRD(copy);
  if (causes.length > 0) throw errors.invalid('CustomResourceDefinition', 'apiextensions.k8s.io', name, causes);
  const spec = copy.spec as JsonRecord;
  const names = spec.names as JsonRecord;
  const versions = asArray(spec.versions).filter(isRecord);
  const served = versions.filter((v) => v.served === true).sort((a, b) => compareKubeVersions(asString(a.name), asString(b.name)));
  const storage = versions.find((v) => v.storage === true) ?? versions[0] ?? {};
  const preferred = served[0] ?? storage;
  const scale = scaleOf(preferred);
  const hasStatus = isRecord(dig(preferred, 'subresources', 'status'));
  const def: ResourceDef = {
    group: asString(spec.group), version: asString(preferred.name), versions: served.map((v) => asString(v.name)),
    resource: asString(names.plural), singular: asString(names.singular), kind: asString(names.kind),
    listKind: asString(names.listKind), namespaced: spec.scope === 'Namespaced',
    shortNames: asArray(names.shortNames).map(asString), categories: asArray(names.categories).map(asString),
    verbs: [...allVerbs], subresources: { ...(hasStatus ? { status: true } : {}), ...(scale ? { scale } : {}) },
    strategicMerge: false, columns: crdTableColumns(preferred), age: false,
    schema: dig(preferred, 'schema', 'openAPIV3Schema') as Record<string, unknown>, crd: name,
  };
  const strategy = customResourceStrategy(hasStatus);
  if (strategy) def.strategy = strategy;
  const selectable = selectableFieldsOf(preferred);
  if (selectable) def.selectableFields = selectable;
  return def;
}
