// admission.k8s.io AdmissionReview: the request the API server POSTs to a validating webhook and the answer
// it expects (same apiVersion, kind AdmissionReview, response.uid = request.uid). Pure: text in, values out.
// v1 is what the webhook configuration asks for; v1beta1 has the same shape, so it is answered in kind.
import type { StatusCause } from '../../api/index.js';

export const ReviewVersions = ['admission.k8s.io/v1', 'admission.k8s.io/v1beta1'] as const;
export type ReviewVersion = (typeof ReviewVersions)[number];

export interface GroupVersionResource {
  group?: string;
  version?: string;
  resource?: string;
}

/** The fields of AdmissionRequest the device webhooks read; the rest (userInfo, options, ...) is ignored. */
export interface AdmissionRequest {
  uid: string;
  /** CREATE, UPDATE, DELETE or CONNECT; anything else is answered as unsupported. */
  operation: string;
  resource?: GroupVersionResource;
  subResource?: string;
  name?: string;
  namespace?: string;
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
}

/** metav1.Status as carried in AdmissionResponse.result. */
export interface ReviewStatus {
  status: 'Failure';
  code: number;
  reason: string;
  message: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  result?: ReviewStatus;
}

export interface DecodedReview {
  apiVersion: ReviewVersion;
  request: AdmissionRequest;
}

/** The body is not an AdmissionReview with a request: the HTTP answer is 400 with this message. */
export class ReviewDecodeError extends Error {
  override readonly name = 'ReviewDecodeError';
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(req: Rec, key: string): string | undefined {
  const v = req[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ReviewDecodeError(`request.${key} must be a string`);
  return v;
}

function decodeResource(value: unknown): GroupVersionResource | undefined {
  if (!isRec(value)) return undefined;
  const pick = (k: string): string | undefined => (typeof value[k] === 'string' ? value[k] : undefined);
  const out: GroupVersionResource = {};
  const group = pick('group');
  const version = pick('version');
  const resource = pick('resource');
  if (group !== undefined) out.group = group;
  if (version !== undefined) out.version = version;
  if (resource !== undefined) out.resource = resource;
  return out;
}

function decodeRequest(value: unknown): AdmissionRequest {
  if (!isRec(value)) throw new ReviewDecodeError('AdmissionReview has no request');
  const { uid, operation } = value;
  if (typeof uid !== 'string' || uid === '') throw new ReviewDecodeError('request.uid must be a non-empty string');
  if (typeof operation !== 'string' || operation === '') throw new ReviewDecodeError('request.operation must be a non-empty string');
  const req: AdmissionRequest = { uid, operation };
  const resource = decodeResource(value.resource);
  if (resource) req.resource = resource;
  for (const key of ['subResource', 'name', 'namespace'] as const) {
    const v = optionalString(value, key);
    if (v !== undefined) req[key] = v;
  }
  if (value.object !== undefined && value.object !== null) req.object = value.object;
  if (value.oldObject !== undefined && value.oldObject !== null) req.oldObject = value.oldObject;
  if (value.dryRun === true) req.dryRun = true;
  return req;
}

/** Parses a request body; throws ReviewDecodeError saying what is wrong. */
export function decodeReview(body: string): DecodedReview {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    throw new ReviewDecodeError(`request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isRec(doc)) throw new ReviewDecodeError('request body is not a JSON object');
  const { apiVersion, kind } = doc;
  if (kind !== 'AdmissionReview') {
    throw new ReviewDecodeError(`expected kind AdmissionReview, got ${kind === undefined ? 'none' : JSON.stringify(kind)}`);
  }
  if (!ReviewVersions.includes(apiVersion as ReviewVersion)) {
    throw new ReviewDecodeError(`expected apiVersion ${ReviewVersions.join(' or ')}, got ${apiVersion === undefined ? 'none' : JSON.stringify(apiVersion)}`);
  }
  return { apiVersion: apiVersion as ReviewVersion, request: decodeRequest(doc.request) };
}

/** The answer document for a decoded review. */
export function encodeReview(apiVersion: ReviewVersion, response: AdmissionResponse): string {
  return JSON.stringify({ apiVersion, kind: 'AdmissionReview', response });
}

export const allow = (uid: string): AdmissionResponse => ({ uid, allowed: true });

export function deny(uid: string, status: Omit<ReviewStatus, 'status'>): AdmissionResponse {
  return { uid, allowed: false, result: { status: 'Failure', ...status } };
}
