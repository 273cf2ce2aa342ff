export { ModuleBus, DEFAULT_MAILBOX_CAPACITY } from './module-bus.js';
export type { ModuleBusOptions } from './module-bus.js';
export type { Mailbox } from './mailbox.js';
export {
  UnknownModuleError,
  DuplicateModuleError,
  DuplicateRequestError,
  MailboxFullError,
  TimeoutError,
  BusClosedError,
} from './errors.js';
