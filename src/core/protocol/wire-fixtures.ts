// Frames in the exact shape KubeEdge 1.2x writes them (Go encoding/json of beehive model.Message:
// header and route fields in struct order, empty fields omitted, content always present).
// Written by hand for tests; ids and times are arbitrary.

/** cloud → edge: a pod for the node, after cloudhub stripped node/<node>/. */
export const podInsertFrame =
  '{"header":{"msg_id":"1f0c2e58-8a0b-4f0e-9d2b-6c4b1f8e2a11","timestamp":1718000000123,"resourceversion":"4821"},' +
  '"route":{"source":"edgecontroller","group":"resource","operation":"insert","resource":"default/pod/nginx"},' +
  '"content":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"nginx","namespace":"default","uid":"b7d5a3a2-1c9e-4c55-8e1b-0d2f4e6a9c01","resourceVersion":"4821"},' +
  '"spec":{"nodeName":"edge-1","containers":[{"name":"nginx","image":"nginx:1.25"}]}}}';

/** edge → cloud: the ack for podInsertFrame (metamanager's NewRespByMessage with content "OK"). */
export const podAckFrame =
  '{"header":{"msg_id":"6a1d7f3c-0b5e-4d8a-a2c1-93e7b5d40f22","parent_msg_id":"1f0c2e58-8a0b-4f0e-9d2b-6c4b1f8e2a11","timestamp":1718000000456},' +
  '"route":{"source":"edgecontroller","group":"resource","operation":"response","resource":"default/pod/nginx"},' +
  '"content":"OK"}';

/** edge → cloud: keepalive every 15 s from edgehub (wire name "websocket"). */
export const keepaliveFrame =
  '{"header":{"msg_id":"0d9e8c7b-6a5f-4e3d-2c1b-a09f8e7d6c55","timestamp":1718000015000},' +
  '"route":{"source":"websocket","group":"resource","operation":"keepalive","resource":"node"},' +
  '"content":"ping"}';

/** edge → cloud: node status of a cluster-scoped object (namespace "null"). */
export const nodeStatusFrame =
  '{"header":{"msg_id":"3c2b1a09-8f7e-4d6c-b5a4-1e2d3c4b5a66","timestamp":1718000020000},' +
  '"route":{"source":"edged","group":"resource","operation":"update","resource":"null/nodestatus/edge-1"},' +
  '"content":{"extendResource":null,"status":{"conditions":[{"type":"Ready","status":"True"}]}}}';

/** edge → cloud: a synchronous query from metaserver for a configmap (sync flag set by SendSync). */
export const syncQueryFrame =
  '{"header":{"msg_id":"9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b577","timestamp":1718000030000,"sync":true},' +
  '"route":{"source":"metamanager","group":"meta","operation":"query","resource":"default/configmap/app-config"},' +
  '"content":null}';

/** cloud → edge: membership update from devicecontroller (group twin, no ack needed). */
export const membershipFrame =
  '{"header":{"msg_id":"7b6a5948-3726-4150-9f8e-7d6c5b4a3988","timestamp":1718000040000},' +
  '"route":{"source":"devicecontroller","group":"twin","operation":"update","resource":"membership"},' +
  '"content":{"event_id":"","timestamp":1718000040000,"added_devices":[{"id":"default/sensor-1","name":"sensor-1"}],"removed_devices":null}}';

/** edge → cloud: reported twin values from devicetwin (source "twin", group "resource"). */
export const twinEdgeUpdatedFrame =
  '{"header":{"msg_id":"5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c99","timestamp":1718000050000},' +
  '"route":{"source":"twin","group":"resource","operation":"update","resource":"device/default/sensor-1/twin/edge_updated"},' +
  '"content":{"event_id":"","timestamp":1718000050000,"twin":{"temperature":{"actual":{"value":"21.5","metadata":{"timestamp":1718000050000}},"metadata":{"type":"string"}}}}}';

/** An error reply without source or group (KubeEdge's NewErrorMessage leaves them empty). */
export const errorFrame =
  '{"header":{"msg_id":"2e1d0c9b-8a7f-4e6d-5c4b-3a291f0e9daa","parent_msg_id":"9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b577","timestamp":1718000031000},' +
  '"route":{"operation":"error","resource":"default/configmap/app-config"},' +
  '"content":"configmaps \\"app-config\\" not found"}';

export const allFrames: readonly string[] = [
  podInsertFrame,
  podAckFrame,
  keepaliveFrame,
  nodeStatusFrame,
  syncQueryFrame,
  membershipFrame,
  twinEdgeUpdatedFrame,
  errorFrame,
];
