// Authorization, kept apart so node authorization (system:node:<name> may only touch its own node,
// its pods and what they mount) can replace this policy in a later issue without touching routing.
// Today every authenticated user may do everything, like a cluster with only system:masters users.
import { errors } from '../errors.js';
import type { UserInfo } from '../objects/index.js';
import type { Verb } from './request-info.js';

export interface ResourceAttributes {
  kind: 'resource';
  verb: Verb;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export interface NonResourceAttributes {
  kind: 'nonresource';
  verb: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

export type Attributes = ResourceAttributes | NonResourceAttributes;

export type Decision = { allowed: true } | { allowed: false; reason: string };

export type Authorizer = (user: UserInfo, attrs: Attributes) => Decision;

/** The policy in force: allow every authenticated user. */
export const authorize: Authorizer = (user) =>
  user.groups.includes('system:authenticated') ? { allowed: true } : { allowed: false, reason: 'not authenticated' };

/** Throws a 403 Status worded like kube-apiserver's when the decision is a denial. */
export function enforce(authorizer: Authorizer, user: UserInfo, attrs: Attributes): void {
  const decision = authorizer(user, attrs);
  if (decision.allowed) return;
  if (attrs.kind === 'nonresource') {
    throw errors.forbidden(`forbidden: User "${user.username}" cannot ${attrs.verb} path "${attrs.path}": ${decision.reason}`);
  }
  const res = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? ` in the namespace "${attrs.namespace}"` : ' at the cluster scope';
  const subject = attrs.name ? `${attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource} "${attrs.name}" is forbidden` : `${attrs.resource} is forbidden`;
  throw errors.forbidden(
    `${subject}: User "${user.username}" cannot ${attrs.verb} resource "${res}" in API group "${attrs.group}"${where}: ${decision.reason}`,
    { group: attrs.group, resource: attrs.resource }, attrs.name || undefined);
}
