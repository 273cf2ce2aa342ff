// KubeEdge's device tables (edge/pkg/metamanager/dao/models/device.go, formerly devicetwin/dtclient)
// with their column names and types, so an edgecore.db written by either edgecore reads in the other.
// IF NOT EXISTS adopts a file KubeEdge created. Ours, ignored by KubeEdge: the indexes on deviceid and
// device_twin_pending, the twin and state changes not yet reported to the cloud.
import type { Migration } from '../dbm/index.js';

export const DEVICETWIN_SCHEMA_MODULE = 'devicetwin';

export const DEVICETWIN_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE IF NOT EXISTS device (
        id varchar(64) NOT NULL PRIMARY KEY,
        name text,
        description text,
        state text,
        last_online text
      );
      CREATE TABLE IF NOT EXISTS device_attr (
        id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
        deviceid text,
        name text,
        description text,
        value text,
        optional integer,
        attr_type text,
        metadata text
      );
      CREATE TABLE IF NOT EXISTS device_twin (
        id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
        deviceid text,
        name text,
        description text,
        expected text,
        actual text,
        expected_meta text,
        actual_meta text,
        expected_version text,
        actual_version text,
        optional integer,
        attr_type text,
        metadata text
      );
      CREATE INDEX IF NOT EXISTS idx_device_attr_deviceid ON device_attr (deviceid);
      CREATE INDEX IF NOT EXISTS idx_device_twin_deviceid ON device_twin (deviceid);
      CREATE TABLE IF NOT EXISTS device_twin_pending (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        deviceid TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        UNIQUE (deviceid, kind, name)
      );
    `,
  },
];
