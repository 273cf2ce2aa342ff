// Typed failures of the edge database. SQLite reports them as SqliteError with a string code
// (SQLITE_FULL, SQLITE_CORRUPT, ...); callers decide on `code`, never on message text.

export type DatabaseErrorCode =
  /** The file cannot be created or opened (missing permission, a directory in the way). */
  | 'cannot_open'
  /** The file exists but is not an SQLite database, or its pages are damaged. */
  | 'corrupt'
  /** The file or its directory is read-only. */
  | 'readonly'
  /** SQLITE_FULL: the disk (or max_page_count) is full. The write was rolled back; retry later. */
  | 'disk_full'
  /** Another connection held the lock longer than busy_timeout. */
  | 'busy'
  /** The operating system reported an I/O error. */
  | 'io'
  /** A schema migration failed or the schema is newer than this build. */
  | 'schema'
  /** Any other SQLite error (constraint, misuse, ...). */
  | 'sqlite';

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  readonly code: DatabaseErrorCode;
  /** The SQLite result code when SQLite raised it (e.g. "SQLITE_FULL"). */
  readonly sqliteCode: string | undefined;
  /** What was being done: "open", "migrate", "write", ... */
  readonly op: string;

  constructor(code: DatabaseErrorCode, op: string, message: string, opts: { sqliteCode?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.op = op;
    this.sqliteCode = opts.sqliteCode;
  }
}

/** Maps an SQLite extended result code (e.g. SQLITE_IOERR_WRITE) to our code. */
export function classifySqliteCode(sqliteCode: string): DatabaseErrorCode {
  const primary = sqliteCode.split('_').slice(0, 2).join('_');
  switch (primary) {
    case 'SQLITE_FULL':
      return 'disk_full';
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return 'corrupt';
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return 'readonly';
    case 'SQLITE_CANTOPEN':
      return 'cannot_open';
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return 'busy';
    case 'SQLITE_IOERR':
      return 'io';
    default:
      return 'sqlite';
  }
}

/** Wraps anything thrown by better-sqlite3 or fs into a DatabaseError (passes DatabaseError through). */
export function toDatabaseError(err: unknown, op: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const sqliteCode = sqliteCodeOf(err);
  if (sqliteCode !== undefined) {
    return new DatabaseError(classifySqliteCode(sqliteCode), op, `${op}: ${errorText(err)}`, { sqliteCode, cause: err });
  }
  const fsCode = (err as { code?: unknown } | null)?.code;
  if (fsCode === 'EACCES' || fsCode === 'EPERM' || fsCode === 'EROFS') {
    return new DatabaseError('readonly', op, `${op}: ${errorText(err)}`, { cause: err });
  }
  if (fsCode === 'ENOSPC') return new DatabaseError('disk_full', op, `${op}: ${errorText(err)}`, { cause: err });
  if (typeof fsCode === 'string') return new DatabaseError('cannot_open', op, `${op}: ${errorText(err)}`, { cause: err });
  return new DatabaseError('sqlite', op, `${op}: ${errorText(err)}`, { cause: err });
}

/** True when a write failed only because the disk is full: the caller may retry later. */
export function isDiskFull(err: unknown): boolean {
  return err instanceof DatabaseError ? err.code === 'disk_full' : sqliteCodeOf(err)?.startsWith('SQLITE_FULL') === true;
}

/** Runs a database operation and rethrows its failure as a DatabaseError. */
export function guardDatabase<T>(op: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toDatabaseError(err, op);
  }
}

function sqliteCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
