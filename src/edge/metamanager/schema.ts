// KubeEdge's metamanager tables (edge/pkg/metamanager/dao/models/meta.go), with gorm's column names
// and types, so a file written by either edgecore reads in the other. IF NOT EXISTS adopts a file a
// KubeEdge edgecore created. The index on meta(type) is ours (lists by type); KubeEdge ignores it.
import type { Migration } from '../dbm/index.js';

export const META_TABLE = 'meta';
export const META_V2_TABLE = 'meta_v2';
export const METAMANAGER_SCHEMA_MODULE = 'metamanager';

export const META_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE IF NOT EXISTS meta (
        key varchar(256) NOT NULL PRIMARY KEY,
        type varchar(32),
        value text
      );
      CREATE TABLE IF NOT EXISTS meta_v2 (
        key varchar(256) NOT NULL PRIMARY KEY,
        group_version_resource varchar(256),
        namespace varchar(256),
        name varchar(256),
        resource_version integer,
        value text
      );
      CREATE INDEX IF NOT EXISTS idx_meta_type ON meta (type);
    `,
  },
];
