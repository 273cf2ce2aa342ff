// The decisions of the device webhooks (KubeEdge's admissioncontroller admitDevice / admitDeviceModel, with
// the rules of api/device-validation that the embedded API server applies too). CREATE and UPDATE are
// validated; DELETE and CONNECT pass, as in KubeEdge. An UPDATE that changes only metadata and status
// passes unchecked, the same rule as the embedded control plane's device admission: a model change may
// leave a device invalid, and it must still take labels, finalizers and status. Denials carry the
// embedded server's 422 Invalid Status, so kubectl shows the same field errors on both.
import { isDeepStrictEqual } from 'node:util';
import {
  DEVICES_GROUP, validateDevice, validateDeviceModel, type Device, type DeviceModel, type FieldError,
} from '../../api/index.js';
import { allow, deny, type AdmissionRequest, type AdmissionResponse } from './review.js';

/** The resources served, one per webhook path (/devices, /devicemodels). */
export const AdmissionTargets = ['devices', 'devicemodels'] as const;
export type AdmissionTarget = (typeof AdmissionTargets)[number];

const kindOf: Readonly<Record<AdmissionTarget, string>> = { devices: 'Device', devicemodels: 'DeviceModel' };

/** Where a Device's model is read; resolves undefined when it does not exist (404). */
export interface ModelSource {
  get(namespace: string, name: string): Promise<DeviceModel | undefined>;
}

/** The model could not be read for another reason than its absence (API server down, 403, timeout). */
export class ModelLookupError extends Error {
  override readonly name = 'ModelLookupError';
  constructor(readonly namespace: string, readonly modelName: string, readonly code: number | undefined, cause: unknown) {
    super(`cannot get DeviceModel ${JSON.stringify(modelName)} in namespace ${JSON.stringify(namespace)}: ${describe(cause)}`, { cause });
  }
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Everything but metadata and status (and apiVersion/kind) is the desired state a write may change. */
function specChanged(old: Rec, next: Rec): boolean {
  const strip = ({ metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest }: Rec): Rec => rest;
  return !isDeepStrictEqual(strip(old), strip(next));
}

function modelRefName(device: Rec): string | undefined {
  const spec = device.spec;
  const ref = isRec(spec) ? spec.deviceModelRef : undefined;
  const name = isRec(ref) ? ref.name : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

const invalid = (uid: string, kind: string, name: string, causes: FieldError[]): AdmissionResponse =>
  deny(uid, {
    code: 422, reason: 'Invalid',
    message: `${kind}.${DEVICES_GROUP} ${JSON.stringify(name)} is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    details: { name, group: DEVICES_GROUP, kind, causes },
  });

const badRequest = (uid: string, message: string): AdmissionResponse => deny(uid, { code: 400, reason: 'BadRequest', message });

/** A wrong rule in the webhook configuration would validate objects with the wrong rules: refuse it. */
function wrongResource(target: AdmissionTarget, req: AdmissionRequest): string | undefined {
  const r = req.resource;
  if (!r || (r.group === DEVICES_GROUP && r.resource === target && !req.subResource)) return undefined;
  const got = `${r.resource ?? ''}${req.subResource ? `/${req.subResource}` : ''}.${r.group ?? ''}`;
  return `this webhook path validates ${target}.${DEVICES_GROUP}, not ${got}; check the ValidatingWebhookConfiguration rules`;
}

async function deviceCauses(device: Rec, namespace: string, models: ModelSource): Promise<FieldError[]> {
  const modelName = modelRefName(device);
  const model = modelName === undefined ? undefined : await models.get(namespace, modelName);
  const metadata = isRec(device.metadata) ? device.metadata : {};
  const withNs = { ...device, metadata: { ...metadata, namespace } } as unknown as Device;
  return validateDevice(withNs, model);
}

/** The answer to one AdmissionRequest sent to the `target` path. Never throws. */
export async function admit(target: AdmissionTarget, req: AdmissionRequest, models: ModelSource): Promise<AdmissionResponse> {
  const { uid, operation } = req;
  if (operation === 'DELETE' || operation === 'CONNECT') return allow(uid);
  if (operation !== 'CREATE' && operation !== 'UPDATE') return badRequest(uid, `unsupported operation ${JSON.stringify(operation)}`);
  const wrong = wrongResource(target, req);
  if (wrong) return badRequest(uid, wrong);
  const obj = req.object;
  if (!isRec(obj) || !isRec(obj.metadata)) return badRequest(uid, 'request.object must be an object with metadata');
  if (operation === 'UPDATE' && isRec(req.oldObject) && !specChanged(req.oldObject, obj)) return allow(uid);

  const kind = kindOf[target];
  const name = req.name ?? (typeof obj.metadata.name === 'string' ? obj.metadata.name : '');
  const namespace = req.namespace ?? (typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : '');
  let causes: FieldError[];
  try {
    causes = target === 'devices' ? await deviceCauses(obj, namespace, models) : validateDeviceModel(obj as unknown as DeviceModel);
  } catch (err) {
    // Never let a device through unchecked because its model could not be read.
    return deny(uid, {
      code: 500, reason: 'InternalError',
      message: `Internal error occurred: ${describe(err)}; ${kind} ${JSON.stringify(name)} was not validated`,
      details: { name, group: DEVICES_GROUP, kind },
    });
  }
  return causes.length === 0 ? allow(uid) : invalid(uid, kind, name, causes);
}
