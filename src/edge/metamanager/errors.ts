// Typed failures of metamanager queries. Persist failures are DatabaseError (from dbm).

/** The object is neither stored locally nor (for remote-queryable types) known to the cloud. */
export class MetaNotFoundError extends Error {
  override readonly name = 'MetaNotFoundError';
  readonly code = 'not_found';
  readonly resource: string;
  /** 'local': not in edgecore.db and not asked remotely; 'cloud': the cloud answered not found. */
  readonly source: 'local' | 'cloud';

  constructor(resource: string, source: 'local' | 'cloud', opts: { detail?: string; cause?: unknown } = {}) {
    super(`${resource} not found${source === 'cloud' ? ' in the cloud' : ''}${opts.detail ? `: ${opts.detail}` : ''}`,
      opts.cause === undefined ? undefined : { cause: opts.cause });
    this.resource = resource;
    this.source = source;
  }
}

export type RemoteQueryErrorCode =
  /** The link to the cloud is down: retry when edgehub reports connected. */
  | 'not_connected'
  /** The request timed out or the link dropped while waiting. */
  | 'request_failed'
  /** The cloud answered with an error other than not found. */
  | 'remote_error'
  /** The cloud's answer carried no object and no recognisable error. */
  | 'bad_response';

export class RemoteQueryError extends Error {
  override readonly name = 'RemoteQueryError';
  readonly code: RemoteQueryErrorCode;
  readonly resource: string;

  constructor(code: RemoteQueryErrorCode, resource: string, message: string, opts: { cause?: unknown } = {}) {
    super(`${resource}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.resource = resource;
  }
}
