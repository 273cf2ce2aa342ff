// Names that appear on KubeEdge's wire (beehive model, edge/pkg/common/modules, cloudhub model).
// Our folder names are the module names inside this project; KubeEdge's own names for a few
// modules differ ("websocket" for edgehub, "twin" for devicetwin) and are translated only at the wire.

/** `route.operation` values. */
export const Operations = {
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  query: 'query',
  patch: 'patch',
  upload: 'upload',
  response: 'response',
  error: 'error',
  keepalive: 'keepalive',
  connect: 'connect',
  publish: 'publish',
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  message: 'message',
  get: 'get',
  getResult: 'get_result',
  list: 'list',
  detail: 'detail',
  delta: 'delta',
  document: 'document',
  updated: 'updated',
  deleted: 'deleted',
  connected: 'connected',
  disconnected: 'disconnected',
  start: 'start',
  stop: 'stop',
  ping: 'ping',
  pong: 'pong',
  config: 'config',
} as const;
export type Operation = (typeof Operations)[keyof typeof Operations];

/**
 * `route.group` values. On the wire the edge routes by resource, func, twin, user and taskmanager;
 * the others are beehive module groups inside each process.
 */
export const Groups = {
  resource: 'resource',
  func: 'func',
  twin: 'twin',
  user: 'user',
  taskmanager: 'taskmanager',
  meta: 'meta',
  bus: 'bus',
  hub: 'hub',
  edged: 'edged',
  edgestream: 'edgestream',
  cloudhub: 'cloudhub',
  edgecontroller: 'edgecontroller',
  devicecontroller: 'devicecontroller',
  synccontroller: 'synccontroller',
  dynamiccontroller: 'dynamiccontroller',
} as const;
export type Group = (typeof Groups)[keyof typeof Groups];

/** Our module names: equal to the folder name, the log component and the config key. */
export const Modules = {
  cloudhub: 'cloudhub',
  edgecontroller: 'edgecontroller',
  devicecontroller: 'devicecontroller',
  synccontroller: 'synccontroller',
  dynamiccontroller: 'dynamiccontroller',
  cloudstream: 'cloudstream',
  router: 'router',
  taskmanager: 'taskmanager',
  edgehub: 'edgehub',
  metamanager: 'metamanager',
  edged: 'edged',
  eventbus: 'eventbus',
  servicebus: 'servicebus',
  devicetwin: 'devicetwin',
  edgestream: 'edgestream',
} as const;
export type ModuleName = (typeof Modules)[keyof typeof Modules];

/** KubeEdge's names for the modules whose wire name differs from our folder name. */
export const WireModuleNames = {
  edgehub: 'websocket',
  devicetwin: 'twin',
  cloudstream: 'cloudStream',
} as const satisfies Partial<Record<ModuleName, string>>;

/** Our module name → the name KubeEdge puts in `route.source` / `route.destination`. */
export function toWireModule(module: string): string {
  return (WireModuleNames as Record<string, string>)[module] ?? module;
}

/** A name seen in `route.source` / `route.destination` → our module name. */
export function fromWireModule(wire: string): string {
  for (const [ours, theirs] of Object.entries(WireModuleNames)) {
    if (theirs === wire) return ours;
  }
  return wire;
}

/** Special `route.source` values KubeEdge uses that are not module names. */
export const Sources = {
  /** cloudhub's edge manager (device/membership traffic). */
  edgeManager: 'edgemgr',
  /** MQTT traffic handed over by eventbus; the resource is the base64url topic. */
  bus: 'bus',
  /** Cloud-connection events published inside edgecore (resource `node/connection`). */
  nodeConnection: 'edgehub',
  meta: 'meta',
} as const;

/** Fixed `content` values. */
export const Contents = {
  /** Ack content for a persisted downstream message. */
  ok: 'OK',
  /** Keepalive content from the edge. */
  ping: 'ping',
  /** Reply content for ping/pong/config operations. */
  ack: 'ack',
  cloudConnected: 'cloud_connected',
  cloudDisconnected: 'cloud_disconnected',
} as const;
