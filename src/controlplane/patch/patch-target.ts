// What a patch needs to know about the object it changes.

export interface PatchTarget {
  kind: string;
  apiVersion: string;
  /** False for custom resources: Kubernetes answers 415 to strategic merge patches on them. */
  strategicMerge: boolean;
  /** Required for 'apply'. For the other types, when set, the write is recorded in managedFields as an Update. */
  fieldManager?: string;
  /** Apply only: take over fields other managers own instead of failing with 409. */
  force?: boolean;
  /** Subresource being patched ('status', 'scale'); recorded in managedFields. */
  subresource?: string;
  /** Fields this request cannot change, e.g. [['status']] for the main resource. Apply ignores them in the
   *  configuration and does not claim them; the object layer restores them for the other patch types. */
  resetFields?: readonly (readonly string[])[];
  /** managedFields timestamps (RFC 3339); default now. */
  time?: string;
}
