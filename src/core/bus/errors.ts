/** send/sendSync to a module that is not registered (KubeEdge: "bad request module name"). */
export class UnknownModuleError extends Error {
  override readonly name = 'UnknownModuleError';
  constructor(readonly module: string) {
    super(`module "${module}" is not registered on the bus`);
  }
}

/** register() of a name that is already taken. */
export class DuplicateModuleError extends Error {
  override readonly name = 'DuplicateModuleError';
  constructor(readonly module: string) {
    super(`module "${module}" is already registered on the bus`);
  }
}

/** A mailbox holds `capacity` undelivered messages; more are refused rather than queued without bound. */
export class MailboxFullError extends Error {
  override readonly name = 'MailboxFullError';
  constructor(
    readonly module: string,
    readonly capacity: number,
  ) {
    super(`mailbox of module "${module}" is full (${capacity} messages)`);
  }
}

/** sendSync got no response within its timeout. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly module: string,
    readonly msgId: string,
    readonly timeoutMs: number,
  ) {
    super(`no response from module "${module}" to message ${msgId} within ${timeoutMs} ms`);
  }
}

/** The bus or the mailbox was closed while the operation was pending, or before it started. */
export class BusClosedError extends Error {
  override readonly name = 'BusClosedError';
  constructor(what: string) {
    super(`${what} is closed`);
  }
}

/** sendSync with a msg_id that already has a request waiting; ids must be unique per request. */
export class DuplicateRequestError extends Error {
  override readonly name = 'DuplicateRequestError';
  constructor(readonly msgId: string) {
    super(`a sendSync for message ${msgId} is already waiting`);
  }
}
